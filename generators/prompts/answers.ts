// Answers from files and flags -> a PlatformSpec draft. Shared by the CLI, the plop generators
// and the tests, so every way in reads values the same way. Hostile input is refused here, never
// executed: `--set __proto__.x=1` (or constructor / prototype) names no field, a list index may
// only append (clusters[99999999] never allocates), YAML aliases are capped.

import { InputError, type Problem } from '../model/errors.ts';
import { platformSchema } from '../model/schema.ts';
import { parseYamlInput } from '../io/yaml-input.ts';

/** Keys that would reach Object.prototype (or a constructor) instead of a field of the model. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `clusters[0].name` -> ['clusters', 0, 'name'] */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  let consumed = '';
  while ((m = re.exec(path))) {
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    consumed += m[0];
  }
  if (!out.length || consumed.length !== path.replace(/\./g, '').length) throw new Error(`"${path}" is not a field path (use e.g. repo.url or clusters[0].name)`);
  const bad = out.find((seg) => typeof seg === 'string' && FORBIDDEN_KEYS.has(seg));
  if (bad !== undefined) throw new Error(`"${bad}" is not a field of the model (it names JavaScript internals; use e.g. repo.url)`);
  return out;
}

/** The schema node at a path of the model, to coerce a --set value to the right type. */
export function schemaAt(path: (string | number)[]): any {
  let node: any = platformSchema;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') node = node.items;
    else node = node.properties?.[seg] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node;
}

/**
 * Whether a path lies inside a free-form object of the model (a chart service's Helm `values`):
 * a node typed object with no properties of its own.
 */
function inFreeForm(path: (string | number)[]): boolean {
  let node: any = platformSchema;
  for (const seg of path) {
    if (!node) return false;
    if (node.type === 'object' && !node.properties && node.additionalProperties === undefined) return true;
    node = typeof seg === 'number' ? node.items : node.properties?.[seg] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return false;
}

/** Turns the text of a --set value into what the schema expects at that path. */
export function coerce(path: (string | number)[], raw: string): unknown {
  // Helm values take what `helm --set` takes: true/false, numbers and null as such, text as text
  // (a value in quotes, or anything else, stays a string).
  if (inFreeForm(path.slice(0, -1)) || inFreeForm(path)) {
    if (/^(true|false)$/.test(raw)) return raw === 'true';
    if (raw === 'null') return null;
    if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
    if (/^"(.*)"$/s.test(raw)) return raw.slice(1, -1);
    if (raw.trim().startsWith('{') || raw.trim().startsWith('[')) return parseYamlInput(raw, '--set value', path.join('.'));
    return raw;
  }
  const schema = schemaAt(path);
  // An enum value spelled another way (`blue-green`, `BlueGreen`) is the canonical one (blueGreen).
  if (Array.isArray(schema?.enum)) {
    const loose = (v: unknown) => String(v).toLowerCase().replace(/[-_\s]/g, '');
    const hits = schema.enum.filter((e: unknown) => loose(e) === loose(raw));
    if (!schema.enum.includes(raw) && hits.length === 1) return hits[0];
  }
  if (schema?.type === 'array') {
    const items = raw.trim() === '' ? [] : raw.trim().startsWith('[') ? asList(parseYamlInput(raw, `--set value`, path.join('.'))) : raw.split(',').map((s) => s.trim());
    // environments=dev,staging,prod -> [{name: dev}, ...] where a list of named objects is expected
    if (schema.items?.type === 'object' && schema.items.properties?.name) return items.map((i) => (typeof i === 'string' ? { name: i } : i));
    return items;
  }
  if (schema?.type === 'boolean') {
    if (/^(true|yes|y|1)$/i.test(raw)) return true;
    if (/^(false|no|n|0)$/i.test(raw)) return false;
    return raw;
  }
  if (schema?.type === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (schema?.type === 'object' && raw.trim().startsWith('{')) return parseYamlInput(raw, `--set value`, path.join('.'));
  return raw; // strings stay strings, whatever they look like ("yes", "0755", "1e3")
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error('a value starting with "[" must be a YAML list');
  return v;
}

const own = (node: object, key: string | number) => Object.prototype.hasOwnProperty.call(node, key);
const shown = (path: (string | number)[], upto: number) => path.slice(0, upto).reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');

/**
 * Sets `value` at `path` inside `target`, creating mappings and lists on the way. A list index
 * may address an existing item or append one (index = length); anything further is an error,
 * as is a field of something that is not a mapping.
 */
export function setIn(target: Record<string, any>, path: (string | number)[], value: unknown) {
  let node: any = target;
  path.forEach((seg, i) => {
    if (typeof seg === 'string' && FORBIDDEN_KEYS.has(seg)) throw new Error(`"${seg}" is not a field of the model`);
    if (typeof seg === 'number') {
      if (!Array.isArray(node)) throw new Error(`${shown(path, i) || 'the value'} is not a list, so [${seg}] does not apply`);
      if (!Number.isSafeInteger(seg) || seg > node.length)
        throw new Error(`index ${seg} is beyond the end of ${shown(path, i)} (${node.length} item${node.length === 1 ? '' : 's'}): use [${node.length}] to append`);
    } else if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`${shown(path, i) || 'the value'} is not a mapping, so .${seg} does not apply`);
    if (i === path.length - 1) node[seg] = value;
    else {
      if (!own(node, seg) || node[seg] === undefined || node[seg] === null) node[seg] = typeof path[i + 1] === 'number' ? [] : {};
      node = node[seg];
    }
  });
}

/**
 * `prefix`: where `target` sits in the model, e.g. ['services', 0] when the --set paths are
 * relative to one service (`gitops-scaffold add service --set overrides.prod.replicas=4`).
 */
export function applySets(target: Record<string, any>, sets: string[], prefix: (string | number)[] = []): Record<string, any> {
  const problems: Problem[] = [];
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) {
      problems.push({ path: `--set ${s}`, message: 'is not key=value', fix: 'write e.g. --set repo.url=https://github.com/acme/gitops.git' });
      continue;
    }
    try {
      const path = parsePath(s.slice(0, eq));
      setIn(target, path, coerce([...prefix, ...path], s.slice(eq + 1)));
    } catch (err) {
      problems.push({ path: `--set ${s.length > 200 ? `${s.slice(0, 200)}...` : s}`, message: err instanceof InputError && err.problems[0] ? err.problems[0].message : (err as Error).message });
    }
  }
  if (problems.length) throw new InputError('Some --set values could not be read; nothing was written', problems);
  return target;
}

export function parseAnswersText(text: string, source: string): Record<string, any> {
  const value = parseYamlInput(text, source);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${source} must hold a mapping (the shape of platform.yaml); nothing was written`, [{ path: source, message: `holds ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`, fix: 'write the answers as a mapping, e.g. name: acme' }]);
  return value as Record<string, any>;
}

/** Required answers of `init`, with the flag that sets each; listed all at once when missing. */
export const REQUIRED_INIT_ANSWERS: { path: string; flag: string; present: (a: any) => boolean }[] = [
  { path: 'name', flag: '--set name=<platform-name>', present: (a) => typeof a.name === 'string' && a.name !== '' },
  { path: 'repo.url', flag: '--set repo.url=<https://git.example.com/org/gitops.git>', present: (a) => typeof a.repo?.url === 'string' && a.repo.url !== '' },
  { path: 'environments', flag: '--set environments=dev,staging,prod', present: (a) => Array.isArray(a.environments) && a.environments.length > 0 },
  { path: 'clusters', flag: '--set clusters[0].name=hub --set clusters[0].server=https://kubernetes.default.svc --set clusters[0].environments=dev,prod', present: (a) => Array.isArray(a.clusters) && a.clusters.length > 0 },
];

export function missingInitAnswers(answers: any): Problem[] {
  return REQUIRED_INIT_ANSWERS.filter((r) => !r.present(answers)).map((r) => ({ path: r.path, message: 'required and not answered', fix: `${r.flag} (or key ${r.path} in --answers FILE)` }));
}
