// The per-resource controller rules as units across runs (the pre-write check's sim.jsonl): the
// written resources are grouped by folder (their own, at most three levels down: `apps/team-01/web`,
// `argocd/apps`), and a folder's findings of every per-resource rule are kept under the hash of
// its resources' files (path and text) and places, in order. A later run takes a folder's
// findings while that hash holds, reading none of its resources; adding a service checks its
// service's folder and the few files it changes elsewhere only. Only rules whose findings on a resource depend on that resource alone
// (PerResourceRule) are units: a finding's line, message and resource come from the file's text.
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { sha256 } from '../../io/manifest.ts';
import { fileKey, RESOURCE_CACHE_PREFIX, type ResourceMemo } from '../resource-memo.ts';
import { kindOf, type PerResourceRule } from './util.ts';

export const RULE_UNIT_PREFIX = `${RESOURCE_CACHE_PREFIX}units/`;

/** The folder a file's resources are kept under: its own, or its ancestor three levels down (`apps/team-01/web`). */
export function unitOf(file: string): string {
  let end = -1;
  for (let depth = 0; depth < 3; depth++) {
    const next = file.indexOf('/', end + 1);
    if (next < 0) break;
    end = next;
  }
  return end < 0 ? '' : file.slice(0, end);
}

interface Unit {
  resources: ParsedResource[];
  /** Each resource's place in the whole list. */
  places: number[];
}

/** Per rule with findings in the unit (absent: none), its resources' that have any: [place in the unit, findings]. */
type UnitEntry = Record<string, [number, Finding[]][]>;

const isFinding = (f: unknown): f is Finding => !!f && typeof f === 'object' && typeof (f as Finding).rule === 'string' && typeof (f as Finding).message === 'string';
function isEntry(v: unknown, ids: ReadonlySet<string>, size: number): v is UnitEntry {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([id, list]) => {
    return ids.has(id) && Array.isArray(list) && list.length > 0 && list.every((x) => Array.isArray(x) && x.length === 2 && Number.isInteger(x[0]) && x[0] >= 0 && x[0] < size && Array.isArray(x[1]) && x[1].every(isFinding));
  });
}

const applies = (rule: PerResourceRule, kind: string) => rule.kinds === 'every' || rule.kinds.includes(kind);

/** A unit's findings computed now, per rule (the gate of a rule skips a file that cannot give it one). */
function computed(unit: Unit, rules: readonly PerResourceRule[], memo: ResourceMemo): UnitEntry {
  const entry: UnitEntry = {};
  const texts = new Map<string, string | undefined>();
  const text = (file: string) => {
    if (!texts.has(file)) texts.set(file, memo.read(file));
    return texts.get(file);
  };
  for (const rule of rules) {
    const found: [number, Finding[]][] = [];
    unit.resources.forEach((r, i) => {
      if (!applies(rule, kindOf(r) ?? '')) return;
      if (rule.mayFind) {
        const t = text(r.file);
        if (t !== undefined && !rule.mayFind(t)) return;
      }
      const fs = rule.check(r);
      if (fs.length) found.push([i, fs]);
    });
    if (found.length) entry[rule.id] = found;
  }
  return entry;
}

/**
 * Every per-resource rule's findings over the written resources, each rule's in the list's order:
 * what `rule.check` gives on each resource of its kinds (cached units as JSON, like fresh ones).
 */
export function unitFindings(rules: readonly PerResourceRule[], written: readonly ParsedResource[], memo: ResourceMemo): Map<string, Finding[]> {
  const units = new Map<string, Unit>();
  // A file's resources are next to each other in the list: the unit is looked up once per file.
  let lastFile: string | undefined;
  let unit: Unit | undefined;
  for (let i = 0; i < written.length; i++) {
    const r = written[i];
    if (r.file !== lastFile || !unit) {
      const name = unitOf(r.file);
      unit = units.get(name);
      if (!unit) units.set(name, (unit = { resources: [], places: [] }));
      lastFile = r.file;
    }
    unit.resources.push(r);
    unit.places.push(i);
  }
  const ids = rules.map((r) => r.id).join('\0');
  const ruleIds = new Set(rules.map((r) => r.id));
  const placed = new Map<string, [number, Finding[]][]>(rules.map((r) => [r.id, []]));
  for (const [name, unit] of units) {
    // The unit's resources as their files' keys and places, in order (no path holds a NUL).
    const parts: (string | number)[] = [ids, name];
    let keyed = true;
    let last: string | undefined;
    for (const r of unit.resources) {
      if (r.file !== last) {
        const key = fileKey(memo, r.file);
        if (key === null) {
          keyed = false;
          break;
        }
        parts.push(key);
        last = r.file;
      }
      parts.push(r.docIndex);
    }
    let entry: UnitEntry;
    if (keyed) {
      const key = RULE_UNIT_PREFIX + sha256(parts.join('\0'));
      memo.use(key);
      const known = memo.cache.get(key);
      if (isEntry(known, ruleIds, unit.resources.length)) entry = known;
      else memo.cache.set(key, (entry = JSON.parse(JSON.stringify(computed(unit, rules, memo))) as UnitEntry));
    } else entry = computed(unit, rules, memo);
    for (const [id, list] of Object.entries(entry)) for (const [i, fs] of list) placed.get(id)!.push([unit.places[i], fs]);
  }
  const out = new Map<string, Finding[]>();
  for (const [id, list] of placed) out.set(id, list.sort((a, b) => a[0] - b[0]).flatMap(([, fs]) => fs));
  return out;
}
