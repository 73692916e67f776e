// applicationset/generators/generator_spec_processor.go Transform, with the matrix (matrix.go)
// and merge (merge.go) generators that call back into it.
//
// A generator entry may set several generator fields; each runs (GetRelevantGenerators, in Go
// struct field order). Parameters are filtered by the entry's `selector` on their flattened
// form. Inside a matrix, the second child is rendered with each parameter set of the first
// (RenderGeneratorParams) before it runs. Nesting is limited as Go's types limit it: a matrix or
// merge child may itself be a matrix or merge, whose children may not.
import { formatValue } from '../go/fmt.ts';
import { marshalJSON } from '../go/json.ts';
import { isEmptyValue, mergoMerge } from '../go/mergo.ts';
import { GoError, deepCopy, isGoMap, type GoMap } from '../go/values.ts';
import { ControllerError, renderGeneratorParams } from '../render.ts';
import { Selector, flattenParameters, type LabelSelector } from '../selector.ts';
import { clustersParams } from './clusters.ts';
import { GeneratorError, UnmodelledGenerator, atPointer, wrapAt, type GenContext } from './context.ts';
import { gitParams } from './git.ts';
import { listParams } from './list.ts';

export type Level = 'top' | 'nested' | 'terminal';

/** Fields of ApplicationSetGenerator, in struct order. */
const TERMINAL_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin'] as const;
const COMPOSITE_KINDS = ['matrix', 'merge'] as const;
const UNMODELLED: Record<string, string> = {
  scmProvider: 'SCM provider',
  clusterDecisionResource: 'cluster decision resource',
  pullRequest: 'pull request',
  plugin: 'plugin',
};

export const KNOWN_GENERATOR_KEYS = new Set<string>([...TERMINAL_KINDS, ...COMPOSITE_KINDS, 'selector']);

export interface TransformResult {
  kind: string;
  params: (GoMap | null)[];
  template: Record<string, unknown>;
}

/** The generator fields that are set, as GetRelevantGenerators finds them at this level. */
export function relevantKinds(gen: Record<string, unknown>, level: Level): string[] {
  const kinds: string[] = [...TERMINAL_KINDS];
  if (level !== 'terminal') kinds.push(...COMPOSITE_KINDS);
  return kinds.filter((k) => gen[k] !== undefined && gen[k] !== null);
}

/**
 * mergo.Merge(generatorTemplate, appSetTemplate) without override: what the generator's own
 * template sets wins, its empty fields are filled from the ApplicationSet's template.
 */
export function mergeTemplates(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  const out = deepCopy(dst);
  const fill = (d: Record<string, unknown>, s: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(s)) {
      const cur = d[k];
      if (isGoMap(cur) && isGoMap(v) && !isEmptyValue(cur) && k !== 'valuesObject') fill(cur, v);
      else if (isEmptyValue(cur)) d[k] = deepCopy(v);
    }
  };
  fill(out, src);
  return out;
}

const asObj = (v: unknown) => (isGoMap(v) ? v : {});

/**
 * A git generator's parameter sets once per distinct spec within one expansion: a matrix renders
 * its second git generator for every parameter set of the first, and the rendered spec takes a
 * handful of values (one per environment) across hundreds of sets. gitParams is a function of
 * the spec and the expansion's context only; each use gets a deep copy (a matrix merges into
 * the nested maps of what it is handed, as mergo does with a fresh result). Specs holding
 * anything but plain data, and failures, are not kept.
 */
const gitResults = new WeakMap<GenContext, Map<string, GoMap[]>>();
const isPlainData = (v: unknown): boolean =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) ? v.every(isPlainData) : isGoMap(v) && Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isPlainData));

function gitParamsOnce(spec: Record<string, unknown>, g: GenContext): (GoMap | null)[] {
  if (!isPlainData(spec)) return gitParams(spec, g);
  let bySpec = gitResults.get(g);
  if (!bySpec) gitResults.set(g, (bySpec = new Map()));
  const key = JSON.stringify(spec);
  let sets = bySpec.get(key);
  if (!sets) bySpec.set(key, (sets = gitParams(spec, g)));
  return sets.map((p) => deepCopy(p));
}

function generate(kind: string, spec: Record<string, unknown>, level: Level, g: GenContext, pointer: string): (GoMap | null)[] {
  const injected = g.generators?.[kind];
  if (injected) return injected(spec, g);
  switch (kind) {
    case 'list':
      return listParams(spec, g.appSet);
    case 'clusters':
      return clustersParams(spec, g);
    case 'git':
      return gitParamsOnce(spec, g);
    case 'matrix':
      return matrixParams(spec, level === 'top' ? 'nested' : 'terminal', g, pointer);
    case 'merge':
      return mergeParams(spec, level === 'top' ? 'nested' : 'terminal', g, pointer);
  }
  throw new UnmodelledGenerator(UNMODELLED[kind] ?? kind, pointer);
}

/**
 * Transform: the parameter sets (and merged template) of each generator the entry sets.
 * `pointer` is the JSON pointer of the entry in the ApplicationSet.
 */
export function transform(
  requested: Record<string, unknown>,
  level: Level,
  baseTemplate: Record<string, unknown>,
  g: GenContext,
  genParams: GoMap,
  pointer: string,
): TransformResult[] {
  let selector: Selector | undefined;
  if (requested.selector !== undefined && requested.selector !== null) {
    try {
      selector = Selector.from(requested.selector as LabelSelector);
    } catch (e) {
      wrapAt('error parsing label selector', `${pointer}/selector`, e);
    }
  }
  const res: TransformResult[] = [];
  for (const kind of relevantKinds(requested, level)) {
    const template = mergeTemplates(asObj(asObj(requested[kind]).template), baseTemplate);
    let gen = requested;
    if (Object.keys(genParams).length > 0) {
      try {
        gen = renderGeneratorParams(requested, genParams, g.appSet.goTemplate, g.appSet.goTemplateOptions);
      } catch (e) {
        atPointer(pointer, e);
      }
    }
    let params: (GoMap | null)[];
    try {
      params = generate(kind, asObj(gen[kind]), level, g, `${pointer}/${kind}`);
    } catch (e) {
      if (e instanceof GoError && !(e instanceof ControllerError)) throw new GeneratorError(e.message, `${pointer}/${kind}`);
      atPointer(`${pointer}/${kind}`, e);
    }
    const filtered = selector ? params.filter((p) => selector!.matches(flattenParameters(p ?? {}))) : params;
    res.push({ kind, params: filtered, template });
  }
  return res;
}

/** Transform of a matrix/merge child: exactly one generator, with at least its parameter list. */
function childParams(child: Record<string, unknown>, level: Level, g: GenContext, genParams: GoMap, pointer: string): (GoMap | null)[] {
  let t: TransformResult[];
  try {
    t = transform(child, level, {}, g, genParams, pointer);
  } catch (e) {
    wrapAt('child generator returned an error on parameter generation', pointer, e);
  }
  if (t.length === 0) throw new GeneratorError('child generator generated no parameters', pointer);
  if (t.length > 1) throw new GeneratorError('found more than one generator in matrix.Generators', pointer);
  return t[0].params;
}

/** fmt %v of every value (utils.ConvertToMapStringString). */
const toStringMap = (m: GoMap | null): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, formatValue(v === undefined ? null : v, 'v')]));

/** utils.CombineStringMaps: both maps as strings; a key both set differently is an error. */
export function combineStringMaps(a: GoMap | null, b: GoMap | null): GoMap {
  const out: GoMap = { ...toStringMap(a) };
  for (const [k, v] of Object.entries(toStringMap(b))) {
    if (k in out && out[k] !== v) throw new ControllerError(`found duplicate key ${k} with different value, a: ${out[k]} ,b: ${v}`);
    out[k] = v;
  }
  return out;
}

export function matrixParams(spec: Record<string, unknown>, childLevel: Level, g: GenContext, pointer: string): GoMap[] {
  const gens = Array.isArray(spec.generators) ? (spec.generators as Record<string, unknown>[]) : [];
  if (gens.length < 2) throw new GeneratorError('found less than two generators, Matrix support only two', `${pointer}/generators`);
  if (gens.length > 2) throw new GeneratorError('found more than two generators, Matrix support only two', `${pointer}/generators`);
  let g0: (GoMap | null)[];
  try {
    g0 = childParams(asObj(gens[0]), childLevel, g, {}, `${pointer}/generators/0`);
  } catch (e) {
    wrapAt('error failed to get params for first generator in matrix generator', `${pointer}/generators/0`, e);
  }
  const res: GoMap[] = [];
  for (const a of g0) {
    let g1: (GoMap | null)[];
    try {
      g1 = childParams(asObj(gens[1]), childLevel, g, a ?? {}, `${pointer}/generators/1`);
    } catch (e) {
      wrapAt('failed to get params for second generator in the matrix generator', `${pointer}/generators/1`, e);
    }
    for (const b of g1) {
      if (g.appSet.goTemplate) {
        const tmp: GoMap = {};
        // mergo.Merge(&tmp, b, WithOverride) then mergo.Merge(&tmp, a, WithOverride): on a key
        // both set, the FIRST generator's value wins (maps of both are merged key by key). As in
        // Go, values are shared, not copied: b is generated afresh for each a, and a's nested
        // maps end up in every set made from it.
        try {
          mergoMerge(tmp, b ?? {}, true);
          mergoMerge(tmp, a ?? {}, true);
        } catch (e) {
          if (e instanceof GoError)
            throw new GeneratorError(`failed to merge params from the second generator in the matrix generator with the first: ${e.message}`, pointer);
          throw e;
        }
        res.push(tmp);
      } else {
        try {
          res.push(combineStringMaps(a, b));
        } catch (e) {
          if (e instanceof ControllerError)
            throw new GeneratorError(`failed to combine string maps with merging params for the matrix generator: ${e.message}`, pointer);
          throw e;
        }
      }
    }
  }
  return res;
}

/**
 * merge.go getParamSetsByMergeKey: parameter sets keyed by the JSON of their merge-key values
 * (top-level keys only); two sets with the same key are an error.
 */
export function paramSetsByMergeKey(mergeKeys: readonly string[], paramSets: readonly (GoMap | null)[]): Map<string, GoMap> {
  if (mergeKeys.length < 1) throw new ControllerError('no merge keys were specified, Merge requires at least one');
  const keys = [...new Set(mergeKeys)];
  const out = new Map<string, GoMap>();
  for (const p of paramSets) {
    const keyMap: GoMap = {};
    for (const k of keys) keyMap[k] = p && k in p ? p[k] : null;
    const key = marshalJSON(keyMap);
    if (out.has(key))
      throw new ControllerError(
        `the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${key}`,
      );
    out.set(key, p ?? {});
  }
  return out;
}

export function mergeParams(spec: Record<string, unknown>, childLevel: Level, g: GenContext, pointer: string): GoMap[] {
  const gens = Array.isArray(spec.generators) ? (spec.generators as Record<string, unknown>[]) : [];
  if (gens.length < 2) throw new GeneratorError('found less than two generators, Merge requires two or more', `${pointer}/generators`);
  const sets: (GoMap | null)[][] = [];
  gens.forEach((child, i) => {
    try {
      sets.push(childParams(asObj(child), childLevel, g, {}, `${pointer}/generators/${i}`));
    } catch (e) {
      wrapAt(`error getting param sets from generators: error getting params from generator ${i + 1} of ${gens.length}`, `${pointer}/generators/${i}`, e);
    }
  });
  const mergeKeys = Array.isArray(spec.mergeKeys) ? spec.mergeKeys.map(String) : [];
  const byKey = (paramSets: (GoMap | null)[]) => {
    try {
      return paramSetsByMergeKey(mergeKeys, paramSets);
    } catch (e) {
      if (e instanceof ControllerError) throw new GeneratorError(`error getting param sets by merge key: ${e.message}`, `${pointer}/mergeKeys`);
      throw e;
    }
  };
  const base = byKey(sets[0]);
  for (const other of sets.slice(1)) {
    const overrides = byKey(other);
    for (const [key, baseSet] of base) {
      const override = overrides.get(key);
      if (!override) continue;
      if (g.appSet.goTemplate) {
        try {
          mergoMerge(baseSet, override, true);
        } catch (e) {
          if (e instanceof GoError) throw new GeneratorError(`error merging base param set with override param set: ${e.message}`, pointer);
          throw e;
        }
      } else Object.assign(baseSet, override);
    }
  }
  // Go returns the merged sets in map iteration order; the first generator's order is used here.
  return [...base.values()];
}

