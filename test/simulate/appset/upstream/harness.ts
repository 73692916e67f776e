// Reading upstream's test tables (fixtures/upstream/*.json, derived from Argo CD v3.5.1 by
// scripts/derive-appset-fixtures.ts) as the values our implementation takes and returns.
//
// Go literals come as JSON with markers: {"$go": type, "$v": value} for typed maps and slices,
// {"$struct": type, ...fields} for structs (Go field names), {"$num": text}, {"$call": name, args},
// {"$ref": name}, {"$conv": type, v}. `fromGo` turns them into engine values (Go-typed maps and
// slices tagged) and structs into the JSON objects an ApplicationSet manifest holds.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GoInt, goTypeOf, isGoMap, typed } from '../../../../generators/simulate/appset/go/values.ts';
import { unmarshalYAML } from '../../../../generators/simulate/appset/go/yaml.ts';
import { FIXTURES } from '../helpers.ts';

export const UPSTREAM = path.join(FIXTURES, 'upstream');

export interface Table {
  source: string;
  fields: string[];
  vars: Record<string, unknown>;
  cases: Record<string, unknown>[];
}

export const loadHelper = (name: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(UPSTREAM, `${name}.helper.json`), 'utf8')) as { vars: Record<string, unknown> }).vars;

export const loadTable = (name: string): Table => JSON.parse(readFileSync(path.join(UPSTREAM, `${name}.json`), 'utf8')) as Table;

export const tableNames = () =>
  readdirSync(UPSTREAM)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.helper.json') && f !== 'skipped.json' && f !== 'scenarios.json' && f !== 'sprig-runt.json')
    .map((f) => f.slice(0, -5));

/** Upstream cases not ported, with the reason (fixtures/upstream/skipped.json). */
export const SKIPPED: Record<string, Record<string, string>> = JSON.parse(readFileSync(path.join(UPSTREAM, 'skipped.json'), 'utf8'));

/** Go sentinel errors the tables reference, with their messages. */
const SENTINELS: Record<string, string> = {
  ErrNoMergeKeys: 'no merge keys were specified, Merge requires at least one',
  ErrNonUniqueParamSets: 'the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique',
  ErrLessThanTwoGeneratorsInMerge: 'found less than two generators, Merge requires two or more',
  ErrLessThanTwoGenerators: 'found less than two generators, Matrix support only two',
  ErrMoreThanTwoGenerators: 'found more than two generators, Matrix support only two',
  ErrMoreThenOneInnerGenerators: 'found more than one generator in matrix.Generators',
  ErrEmptyAppSetGenerator: 'ApplicationSet is empty',
};

const REFS: Record<string, unknown> = {
  'argoappsv1.ResourcesFinalizerName': 'resources-finalizer.argocd.argoproj.io',
  'v1alpha1.ResourcesFinalizerName': 'resources-finalizer.argocd.argoproj.io',
  'argoappsv1.PreDeleteFinalizerName': 'pre-delete-finalizer.argocd.argoproj.io',
  'argoappsv1.PostDeleteFinalizerName': 'post-delete-finalizer.argocd.argoproj.io',
  'application.ApplicationKind': 'Application',
  'metav1.LabelSelectorOpIn': 'In',
  'metav1.LabelSelectorOpNotIn': 'NotIn',
  'metav1.LabelSelectorOpExists': 'Exists',
  'metav1.LabelSelectorOpDoesNotExist': 'DoesNotExist',
  'v1alpha1.ApplicationSetReasonApplicationParamsGenerationError': 'ApplicationGenerationFromParamsError',
  'v1alpha1.ApplicationSetReasonRenderTemplateParamsError': 'RenderTemplateParamsError',
};

/** A Go error value of a table: its message. */
export class GoErrorValue {
  constructor(readonly message: string) {}
}

/** Raised for a literal this harness does not understand: the case must be listed as skipped. */
export class UnsupportedLiteral extends Error {}

/** Go field name -> JSON name (RepoURL -> repoURL, SCMProvider -> scmProvider, Path -> path). */
export function jsonName(field: string): string {
  const special: Record<string, string> = { SCMProvider: 'scmProvider', RepoURL: 'repoURL', URL: 'url', UID: 'uid' };
  if (special[field]) return special[field];
  const m = /^[A-Z]+/.exec(field);
  if (!m) return field;
  const run = m[0];
  if (run.length === field.length) return field.toLowerCase();
  if (run.length === 1) return field[0].toLowerCase() + field.slice(1);
  return run.slice(0, -1).toLowerCase() + field.slice(run.length - 1);
}

function goSprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%[wvsdq]/g, (verb) => {
    const a = args[i++];
    const s = a instanceof GoErrorValue ? a.message : String(a);
    return verb === '%q' ? JSON.stringify(s) : s;
  });
}

const EMBEDDED_META = new Set(['ObjectMeta', 'ApplicationSetTemplateMeta']);

/** A table value as our implementation takes it. */
export function fromGo(v: unknown, vars: Record<string, unknown> = {}): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => fromGo(x, vars));
  const o = v as Record<string, unknown>;
  if ('$num' in o) {
    const text = String(o.$num);
    return /[.eE]/.test(text) && !/^-?0[xX]/.test(text) ? Number(text) : new GoInt('int', BigInt(text.replace(/_/g, '')));
  }
  if ('$conv' in o) {
    const inner = fromGo(o.v, vars);
    switch (o.$conv) {
      case 'float64':
        return inner instanceof GoInt ? Number(inner.value) : inner;
      case 'int':
      case 'int64':
        return inner instanceof GoInt ? new GoInt(o.$conv, inner.value) : inner;
      case 'string':
        return String(inner);
      default:
        return inner;
    }
  }
  if ('$go' in o) {
    const type = String(o.$go);
    const inner = fromGo(o.$v, vars);
    if (type === 'map[string][]byte' || type === 'map[string]any') return inner;
    if (type.startsWith('[]') && !['[]string', '[]int', '[]byte'].includes(type)) return inner;
    return typed(inner as object, type.replace(/\bany\b/g, 'interface {}'));
  }
  if ('$ref' in o) {
    const ref = String(o.$ref);
    if (ref in SENTINELS) return new GoErrorValue(SENTINELS[ref]);
    if (ref in REFS) return REFS[ref];
    const finalizer = /\.(ResourcesFinalizerName|BackgroundPropagationPolicyFinalizer|ForegroundPropagationPolicyFinalizer)$/.exec(ref);
    if (finalizer)
      return { ResourcesFinalizerName: 'resources-finalizer.argocd.argoproj.io', BackgroundPropagationPolicyFinalizer: 'resources-finalizer.argocd.argoproj.io/background', ForegroundPropagationPolicyFinalizer: 'resources-finalizer.argocd.argoproj.io/foreground' }[finalizer[1]];
    if (ref in vars) return fromGo(vars[ref], vars);
    throw new UnsupportedLiteral(`reference ${ref}`);
  }
  if ('$call' in o) {
    if (o.$call === 'toAPIExtensionsJSON') return fromGo((o.args as unknown[])[1], vars);
    const args = (o.args as unknown[]).map((a) => fromGo(a, vars));
    switch (o.$call) {
      case 'errors.New':
        return new GoErrorValue(String(args[0]));
      case 'fmt.Errorf':
        return new GoErrorValue(goSprintf(String(args[0]), args.slice(1)));
      case 'metav1.NewTime':
      case 'time.Now':
        return undefined;
      case 'types.UID':
      case 'corev1.SecretType':
        return args[0];
      case 'getNestedListGenerator':
        return { list: { elements: [JSON.parse(String(args[0]))] } };
      case 'getTerminalListGeneratorMultiple':
        return { list: { elements: (args[0] as string[]).map((j) => JSON.parse(j)) } };
    }
    throw new UnsupportedLiteral(`call ${String(o.$call)}`);
  }
  if ('$struct' in o) {
    const type = String(o.$struct);
    if (type === 'apiextensionsv1.JSON' || type === 'runtime.RawExtension') {
      const raw = fromGo(o.Raw, vars);
      return typeof raw === 'string' ? (raw.trim().startsWith('{') || raw.trim().startsWith('[') ? JSON.parse(raw) : unmarshalYAML(raw)) : raw;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      if (k === '$struct' || k === '$items') continue;
      const value = fromGo(x, vars);
      if (value === undefined) continue;
      if (EMBEDDED_META.has(k)) out.metadata = { ...(out.metadata as object), ...(value as object) };
      else if (k === 'TypeMeta') Object.assign(out, value);
      else out[jsonName(k)] = value;
    }
    return out;
  }
  // A map[string]any literal or a table row: keys as written.
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromGo(x, vars)]));
}

/**
 * Go-aware deep equality: the Go types of maps and slices must match too (assert.Equal). With
 * `loose`, only the JSON shape counts: for Go structs, whose field types the schema fixes.
 */
export function goEqual(a: unknown, b: unknown, loose = false): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (a instanceof GoInt || b instanceof GoInt) return a instanceof GoInt && b instanceof GoInt && a.type === b.type && a.value === b.value;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || (!loose && goTypeOf(a) !== goTypeOf(b)) || a.length !== b.length) return false;
    return a.every((x, i) => goEqual(x, b[i], loose));
  }
  if (isGoMap(a) || isGoMap(b)) {
    if (!isGoMap(a) || !isGoMap(b) || (!loose && goTypeOf(a) !== goTypeOf(b))) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && goEqual(a[k], b[k], loose));
  }
  return a === b;
}

/** A readable form of a value with its Go types, for assertion messages. */
export function show(v: unknown): string {
  const walk = (x: unknown): unknown => {
    if (x instanceof GoInt) return `${x.type}(${x.value})`;
    if (Array.isArray(x)) return goTypeOf(x) === '[]interface {}' ? x.map(walk) : { [goTypeOf(x)!]: x.map(walk) };
    if (isGoMap(x)) {
      const o = Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
      return goTypeOf(x) === 'map[string]interface {}' ? o : { [goTypeOf(x)!]: o };
    }
    return x;
  };
  return JSON.stringify(walk(v), null, 1);
}

export function assertGoEqual(actual: unknown, expected: unknown, what = 'value', loose = false): void {
  if (!goEqual(actual, expected, loose)) assert.unreachable(`${what} differs\n  actual:   ${show(actual)}\n  expected: ${show(expected)}`);
}

/** assert.ElementsMatch: the same elements in any order. */
export function assertElementsMatch(actual: unknown[], expected: unknown[], what = 'elements'): void {
  const rest = [...expected];
  const unmatched: unknown[] = [];
  for (const a of actual) {
    const i = rest.findIndex((e) => goEqual(a, e));
    if (i >= 0) rest.splice(i, 1);
    else unmatched.push(a);
  }
  if (unmatched.length || rest.length)
    assert.unreachable(`${what} differ\n  unexpected: ${show(unmatched)}\n  missing:    ${show(rest)}`);
}

/** Runs every case of an upstream table as a uvu test, except the ones listed as skipped. */
export function runTable(name: string, run: (c: Record<string, unknown>, vars: Record<string, unknown>) => void): void {
  const table = loadTable(name);
  const skipped = SKIPPED[name] ?? {};
  table.cases.forEach((c, i) => {
    const caseName = String(c.name ?? c.testName ?? c.branch ?? `case ${i + 1}`);
    if (caseName in skipped) return;
    test(`${name} / ${caseName}`, () => run(c, table.vars));
  });
}

/** The message of an expected error (an errors.New / fmt.Errorf / sentinel value). */
export const errorMessage = (v: unknown): string | undefined => (v instanceof GoErrorValue ? v.message : typeof v === 'string' && v !== '' ? v : undefined);
