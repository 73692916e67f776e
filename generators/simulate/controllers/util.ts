// Shared pieces of the controller rules: the finding shape (rule `sim/<area>/<name>`, file, JSON
// pointer, the line when the parser can place it) and small readers for untrusted parsed YAML.
// Every rule here is a pure function of the parsed resources: no I/O, no clock.

import type { Finding, Severity } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { pointerToDotted } from '../../check/parse.ts';
import type { ResourceMemo } from '../resource-memo.ts';

export type Obj = Record<string, any>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);
export const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
/** A value an Argo / shell / kustomize template still has to fill in: not checkable as written. */
export const isTemplated = (v: unknown): boolean => typeof v === 'string' && /\{\{|\$\{|\$\(/.test(v);

/** Joins pointer segments (RFC 6901 escaping). */
export function ptr(...segments: (string | number)[]): string {
  return segments.map((s) => (typeof s === 'string' && s.startsWith('/') ? s : '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
}

/** A controller rule: what the named controller would do with these resources. */
export type ControllerRule = ((resources: readonly ParsedResource[], memo?: ResourceMemo) => Finding[]) & { perResource?: PerResourceRule };

/**
 * A rule whose findings on a resource depend on that resource alone (its file's text and place in
 * it): the pre-write check reuses them across runs while the file is unchanged (controllers/
 * index.ts), so an unchanged file is never parsed for it.
 */
export interface PerResourceRule {
  id: string;
  /** The kinds it reads ('every': every resource). */
  kinds: readonly string[] | 'every';
  check(r: ParsedResource): Finding[];
  /**
   * False only when no parse of a file with this text can give the rule a finding (a string the
   * rule looks for is not in it, and no escape could spell it): such a file's resources are
   * neither parsed nor kept in the cache.
   */
  mayFind?(text: string): boolean;
}

/** The rule over a resource list: each resource of these kinds, in the list's order. */
export function perResourceRule(id: string, kinds: readonly string[] | 'every', check: (r: ParsedResource) => Finding[], mayFind?: (text: string) => boolean): ControllerRule {
  const rule: ControllerRule = (resources) => {
    const out: Finding[] = [];
    for (const r of kinds === 'every' ? resources : ofKind(resources, ...kinds)) for (const f of check(r)) out.push(f);
    return out;
  };
  rule.perResource = { id, kinds, check, ...(mayFind ? { mayFind } : {}) };
  return rule;
}

/**
 * Whether a YAML or JSON text may parse to a string holding `needle` (printable ASCII, no
 * spaces): only when the text holds it, or holds a backslash (a double-quoted or JSON escape can
 * spell any character; folding joins lines with a space or a line break, never with nothing).
 */
export const mayHold = (text: string, needle: string): boolean => text.includes(needle) || text.includes('\\');

export interface FindingInput {
  rule: string;
  severity: Severity;
  /** JSON pointer inside the resource. */
  path: string;
  /** What the controller would do; the field path is prefixed. */
  message: string;
  fix: string;
  /** Lines below the field's own line (a line inside a block scalar such as policy.csv). */
  lineOffset?: number;
}

export function finding(r: ParsedResource, f: FindingInput): Finding {
  const fieldLine = r.lineOf?.(f.path);
  const line = fieldLine !== undefined && f.lineOffset ? fieldLine + f.lineOffset : (fieldLine ?? r.line);
  const meta = asObj(r.obj?.metadata);
  return {
    rule: f.rule,
    severity: f.severity,
    message: `${pointerToDotted(f.path)}: ${f.message}`,
    fix: f.fix,
    file: r.file,
    ...(line ? { line } : {}),
    path: f.path,
    resource: { apiVersion: str(r.obj?.apiVersion), kind: str(r.obj?.kind), name: str(meta.name), namespace: str(meta.namespace) },
    source: 'simulate',
  };
}

export const kindOf = (r: ParsedResource) => str(r.obj?.kind);
export const nameOf = (r: ParsedResource) => str(asObj(r.obj?.metadata).name);

/**
 * The resources of a list by kind, in list order, built once per list: every rule asks for a
 * few kinds of the same list (controllerRules hands each rule the same array), and a scan of the
 * whole repository per question is what made the rules cost seconds at fleet scale. The list's
 * length is checked, so a list grown after indexing is indexed again.
 */
interface KindIndex {
  length: number;
  byKind: Map<string, ParsedResource[]>;
  /** Each resource's place in the list, built at the first question for several kinds present. */
  position?: Map<ParsedResource, number>;
  /** Per kind, its resources grouped by metadata.name (undefined: no string name), built at the kind's first question. */
  byKindAndName: Map<string, Map<string | undefined, ParsedResource[]>>;
}
const kindIndexes = new WeakMap<readonly ParsedResource[], KindIndex>();

function buildKindIndex(resources: readonly ParsedResource[]): KindIndex {
  const index: KindIndex = { length: resources.length, byKind: new Map(), byKindAndName: new Map() };
  for (const r of resources) {
    const kind = kindOf(r) ?? '';
    let list = index.byKind.get(kind);
    if (!list) index.byKind.set(kind, (list = []));
    list.push(r);
  }
  kindIndexes.set(resources, index);
  return index;
}

function kindIndex(resources: readonly ParsedResource[]): KindIndex {
  const known = kindIndexes.get(resources);
  if (known && known.length === resources.length) return known;
  return buildKindIndex(resources);
}

/**
 * The resources as written in files that hold an object (what the controller rules read), with
 * their kind index built in the same pass.
 */
export function writtenResources(resources: readonly ParsedResource[]): ParsedResource[] {
  const written: ParsedResource[] = [];
  for (const r of resources) if (r.origin === 'file' && r.obj && typeof r.obj === 'object') written.push(r);
  buildKindIndex(written);
  return written;
}

/** The resources of these kinds, in the list's order (a fresh array). */
export function ofKind(resources: readonly ParsedResource[], ...kinds: string[]): ParsedResource[] {
  const index = kindIndex(resources);
  const present = [...new Set(kinds)].filter((k) => index.byKind.has(k));
  if (present.length === 0) return [];
  if (present.length === 1) return [...index.byKind.get(present[0])!];
  if (!index.position) {
    const position = (index.position = new Map());
    resources.forEach((r, i) => position.set(r, i));
  }
  const position = index.position;
  return present.flatMap((k) => index.byKind.get(k)!).sort((a, b) => position.get(a)! - position.get(b)!);
}

/** The resources of one kind with this metadata.name, in the list's order. */
export function ofKindNamed(resources: readonly ParsedResource[], kind: string, name: string | undefined): ParsedResource[] {
  const index = kindIndex(resources);
  // One pass over the kind's resources for all names (a filter per name was quadratic: a fleet's
  // Rollouts each name their own template).
  let byName = index.byKindAndName.get(kind);
  if (!byName) {
    index.byKindAndName.set(kind, (byName = new Map()));
    for (const r of index.byKind.get(kind) ?? []) {
      const n = nameOf(r);
      let list = byName.get(n);
      if (!list) byName.set(n, (list = []));
      list.push(r);
    }
  }
  let list = byName.get(name);
  if (!list) byName.set(name, (list = []));
  return list;
}

/** A rule on the ConfigMaps of one name (Argo CD's settings), each alone: a per-resource rule. */
export const configMapRule = (id: string, name: string, check: (cm: ParsedResource) => Finding[]): ControllerRule => perResourceRule(id, ['ConfigMap'], (r) => (nameOf(r) === name ? check(r) : []));

/** ConfigMaps by name (Argo CD reads its settings from fixed names, whatever the namespace). */
export const configMaps = (resources: readonly ParsedResource[], name: string) => [...ofKindNamed(resources, 'ConfigMap', name)];

/** Lists the items with "and": `a, b and c`. */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
