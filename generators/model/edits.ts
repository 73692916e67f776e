// Day-2 edits of the model: add, update or remove one service, tenant, cluster or environment.
// Pure: a PlatformSpec in, a new PlatformSpec out (the input is never mutated), InputError when
// the edit makes no sense. `gitops-scaffold add|remove` and the plop generators call these, then
// hand the new spec to the pipeline, which re-plans and writes only what changed.
//
// `patchModelText` applies the same edit to the text of platform.yaml node by node, so comments
// and formatting inside the lists survive, and add-then-remove gives back the same bytes.

import YAML from 'yaml';
import { fastParseDocuments } from '../check/fast-yaml.ts';
import { noteSerialized, rememberModel } from './serialize.ts';
import { InputError, type Problem } from './errors.ts';
import { noteValid, specProblems } from './validate-spec.ts';
import { locateProblems, sourceOf } from './locate.ts';
import { YAML_OPTIONS, isObject, patchNode, same } from './yaml-patch.ts';
import { orderedAfter, spliceModelText } from './text-splice.ts';
import type { PlatformSpec } from './types.ts';

export type EntityKind = 'service' | 'tenant' | 'cluster' | 'environment';
export const ENTITY_KINDS: readonly EntityKind[] = ['service', 'tenant', 'cluster', 'environment'];
export const LIST_KEY = { service: 'services', tenant: 'tenants', cluster: 'clusters', environment: 'environments' } as const;
export type Entity = Record<string, any> & { name: string };

const HUB_SERVER = 'https://kubernetes.default.svc';

export interface AddOptions {
  /** Replace the given fields of an entity that already exists (others are kept). */
  update?: boolean;
  /** environment: insert after this environment in promotion order. */
  after?: string;
  /** environment: the cluster serving it: an existing one (the environment is added to it) or, with `server`, a new one. */
  cluster?: { name: string; server?: string; region?: string };
}

export type EditStatus = 'added' | 'updated' | 'unchanged' | 'removed';

export interface EditResult {
  spec: PlatformSpec;
  status: EditStatus;
  /** Other entities the edit changed or removed with it, e.g. `cluster qa-eu-1 (served only qa)`. */
  notes: string[];
}

const names = (xs: { name: string }[] | undefined) => (xs ?? []).map((x) => x.name);
const list = (xs: string[]) => xs.join(', ') || '(none)';
const served = (c: { environment?: string; environments?: string[] }) => c.environments ?? (c.environment ? [c.environment] : []);

/** Every field given in `part` has the same value in `whole` (objects compared field by field). */
function covers(whole: unknown, part: unknown): boolean {
  if (isObject(part) && isObject(whole)) return Object.entries(part).every(([k, v]) => covers(whole[k], v));
  return same(whole, part);
}

/** `part` merged into `whole`: objects merge field by field, lists and values are replaced. Key order kept, new keys last. */
function mergeFields(whole: Record<string, any>, part: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...whole };
  for (const [k, v] of Object.entries(part)) out[k] = isObject(v) && isObject(out[k]) ? mergeFields(out[k], v) : v;
  return out;
}

const entityList = (spec: PlatformSpec, kind: EntityKind): Entity[] => ((spec as any)[LIST_KEY[kind]] ?? []) as Entity[];

function withList(spec: PlatformSpec, kind: EntityKind, items: Entity[]): PlatformSpec {
  const key = LIST_KEY[kind];
  const out: Record<string, any> = { ...spec };
  // An optional list that becomes empty goes away, so add-then-remove leaves no `services: []`.
  if (!items.length && (kind === 'service' || kind === 'tenant')) delete out[key];
  else out[key] = items;
  return out as PlatformSpec;
}

/** `environment: dev` <-> `environments: [...]`, keeping the key where it was. */
function setServed(cluster: Entity, envs: string[]): Entity {
  const out: Record<string, any> = {};
  const key = envs.length === 1 ? 'environment' : 'environments';
  const value = envs.length === 1 ? envs[0] : envs;
  let placed = false;
  for (const [k, v] of Object.entries(cluster)) {
    if (k === 'environment' || k === 'environments') {
      if (!placed) out[key] = value;
      placed = true;
    } else out[k] = v;
  }
  if (!placed) out[key] = value;
  return out as Entity;
}

function notFound(kind: EntityKind, name: string, spec: PlatformSpec): InputError {
  return new InputError(`there is no ${kind} "${name}" in platform.yaml; nothing was written`, [
    { path: `${LIST_KEY[kind]}[${name}]`, message: `not declared; declared: ${list(names(entityList(spec, kind)))}`, fix: 'check the name' },
  ]);
}

/** Adds an entity; the same entity again is a no-op; a different one needs `update`. */
export function addEntity(spec: PlatformSpec, kind: EntityKind, entity: Entity, opts: AddOptions = {}): EditResult {
  if (typeof entity.name !== 'string' || !entity.name) throw new InputError(`add ${kind}: a name is required; nothing was written`, [{ path: 'name', message: 'required', fix: `gitops-scaffold add ${kind} NAME (or --name NAME)` }]);
  if (kind === 'environment' && opts.after !== undefined && !spec.environments.some((e) => e.name === opts.after))
    throw new InputError(`--after ${opts.after}: no such environment; nothing was written`, [{ path: '--after', message: `"${opts.after}" is not declared; declared: ${list(names(spec.environments))}`, fix: 'name an existing environment' }]);
  const items = entityList(spec, kind);
  const index = items.findIndex((x) => x.name === entity.name);
  if (index >= 0) {
    const existing = items[index];
    const others = names(spec.environments).filter((e) => e !== entity.name);
    const movesTo = kind === 'environment' && opts.after !== undefined && opts.after !== entity.name ? others.indexOf(opts.after) + 1 : index;
    const clusterDiffers = kind === 'environment' && opts.cluster && !spec.clusters.some((c) => c.name === opts.cluster!.name && served(c).includes(entity.name));
    if (covers(existing, entity) && movesTo === index && !clusterDiffers) return { spec, status: 'unchanged', notes: [] };
    if (!opts.update) {
      const differing = Object.keys(entity).filter((k) => !covers(existing[k], entity[k]));
      throw new InputError(`${kind} "${entity.name}" already exists with different settings; nothing was written`, [
        {
          path: `${LIST_KEY[kind]}[${entity.name}]`,
          message: differing.length ? `differs in ${differing.join(', ')}` : 'differs in its place or cluster',
          fix: `re-run with --update to replace the fields you give (the others are kept), or remove it first (gitops-scaffold remove ${kind} ${entity.name})`,
        },
      ]);
    }
    return updateEntity(spec, kind, entity.name, entity, opts);
  }
  if (kind === 'environment') return addEnvironment(spec, entity, opts);
  return { spec: withList(spec, kind, [...items, entity]), status: 'added', notes: [] };
}

function addEnvironment(spec: PlatformSpec, entity: Entity, opts: AddOptions): EditResult {
  const envs = spec.environments;
  let at: number;
  if (opts.after !== undefined) {
    const i = envs.findIndex((e) => e.name === opts.after);
    if (i < 0) throw new InputError(`--after ${opts.after}: no such environment; nothing was written`, [{ path: '--after', message: `"${opts.after}" is not declared; declared: ${list(names(envs))}`, fix: 'name an existing environment' }]);
    at = i + 1;
  } else {
    // Default: just before the last environment, which stays the production end of the promotion
    // order (and keeps the defaults of the last one: protected, no-nights). With one environment, after it.
    at = envs.length > 1 ? envs.length - 1 : envs.length;
  }
  const environments = [...envs.slice(0, at), entity as any, ...envs.slice(at)];
  let clusters = spec.clusters;
  const notes: string[] = [];
  if (opts.cluster) {
    const { name, server, region } = opts.cluster;
    const existing = clusters.find((c) => c.name === name);
    if (existing) {
      if (server !== undefined && server !== existing.server)
        throw new InputError(`cluster "${name}" already exists with server ${existing.server}; nothing was written`, [{ path: '--server', message: `differs from the existing cluster's ${existing.server}`, fix: `drop --server to serve ${entity.name} on ${name}, or name a new cluster` }]);
      const order = environments.map((e) => e.name);
      const next = [...served(existing), entity.name].sort((a, b) => order.indexOf(a) - order.indexOf(b));
      clusters = clusters.map((c) => (c === existing ? (setServed(c as Entity, next) as any) : c));
      notes.push(`cluster ${name} now also serves ${entity.name}`);
    } else {
      if (!server)
        throw new InputError(`cluster "${name}" does not exist; nothing was written`, [{ path: '--server', message: `a new cluster needs its API server URL`, fix: `add --server https://... to create cluster ${name} for ${entity.name}, or name an existing cluster (${list(names(clusters))})` }]);
      clusters = [...clusters, { name, server, environment: entity.name, ...(region ? { region } : {}) }];
      notes.push(`cluster ${name} added to serve ${entity.name}`);
    }
  }
  return { spec: { ...spec, environments, clusters }, status: 'added', notes };
}

/** Replaces the given fields of an existing entity, keeping the others (objects merge field by field). */
export function updateEntity(spec: PlatformSpec, kind: EntityKind, name: string, fields: Record<string, any>, opts: AddOptions = {}): EditResult {
  const items = entityList(spec, kind);
  const index = items.findIndex((x) => x.name === name);
  if (index < 0) return addEntity(spec, kind, { ...fields, name }, { ...opts, update: false });
  let next = mergeFields(items[index], fields) as Entity;
  // A cluster serves either `environment` or `environments`: the one given wins.
  if (kind === 'cluster' && 'environment' in fields) delete next.environments;
  if (kind === 'cluster' && 'environments' in fields && !('environment' in fields)) {
    const envs = fields.environments;
    next = { ...next };
    delete next.environment;
    next.environments = envs;
  }
  let updated = items.map((x, i) => (i === index ? next : x));
  if (kind === 'environment' && opts.after !== undefined && opts.after !== name) {
    if (!updated.some((e) => e.name === opts.after)) throw new InputError(`--after ${opts.after}: no such environment; nothing was written`, [{ path: '--after', message: `"${opts.after}" is not declared; declared: ${list(names(items))}`, fix: 'name an existing environment' }]);
    const without = updated.filter((e) => e.name !== name);
    const at = without.findIndex((e) => e.name === opts.after) + 1;
    updated = [...without.slice(0, at), next, ...without.slice(at)];
  }
  const result = withList(spec, kind, updated);
  return { spec: result, status: same(result, spec) ? 'unchanged' : 'updated', notes: [] };
}

/** Removes an entity; refuses (exit 2) while others still depend on it, naming them. */
export function removeEntity(spec: PlatformSpec, kind: EntityKind, name: string): EditResult {
  const items = entityList(spec, kind);
  if (!items.some((x) => x.name === name)) throw notFound(kind, name, spec);
  const problems: Problem[] = [];
  const notes: string[] = [];
  let out: PlatformSpec = withList(spec, kind, items.filter((x) => x.name !== name));
  const services = spec.services ?? [];
  const tenants = spec.tenants ?? [];

  if (kind === 'service') {
    const sources = spec.ci?.sources;
    if (sources && name in sources) {
      const rest = { ...sources };
      delete rest[name];
      const ci: Record<string, any> = { ...spec.ci, sources: rest };
      if (!Object.keys(rest).length) delete ci.sources;
      out = { ...out, ci };
      notes.push(`ci.sources.${name} removed with it`);
    }
  }
  if (kind === 'tenant') {
    const users = services.filter((s) => s.tenant === name).map((s) => s.name);
    if (users.length) problems.push({ path: `tenants[${name}]`, message: `services still belong to it: ${list(users)}`, fix: `remove them first: ${users.map((s) => `gitops-scaffold remove service ${s}`).join('; ')}` });
  }
  if (kind === 'cluster') {
    const cluster = spec.clusters.find((c) => c.name === name)!;
    const users = tenants.filter((t) => t.clusters?.includes(name)).map((t) => t.name);
    if (users.length) problems.push({ path: `clusters[${name}]`, message: `tenants restricted to it: ${list(users)}`, fix: `take it out of their clusters list first (gitops-scaffold add tenant NAME --update --set clusters=...)` });
    for (const env of served(cluster)) {
      if (spec.clusters.some((c) => c.name !== name && served(c).includes(env))) continue;
      const envServices = services.filter((s) => (s.environments ?? tenants.find((t) => t.name === s.tenant)?.environments ?? names(spec.environments)).includes(env)).map((s) => s.name);
      problems.push({
        path: `clusters[${name}]`,
        message: `it is the only cluster serving environment "${env}"${envServices.length ? ` (services deployed there: ${list(envServices)})` : ''}`,
        fix: `add another cluster for ${env} first (gitops-scaffold add cluster NAME --server URL --environment ${env}), or remove the environment (gitops-scaffold remove environment ${env})`,
      });
    }
  }
  if (kind === 'environment') {
    const users = [
      ...tenants.filter((t) => t.environments?.includes(name)).map((t) => `tenant ${t.name}`),
      ...services.filter((s) => s.environments?.includes(name) || (s.overrides && name in s.overrides)).map((s) => `service ${s.name}`),
    ];
    if (users.length) problems.push({ path: `environments[${name}]`, message: `still named by ${list(users)}`, fix: `take ${name} out of their environments / overrides first (e.g. gitops-scaffold add tenant NAME --update --environments ...)` });
    // Clusters serving only this environment go with it (the inverse of `add environment --cluster --server`);
    // clusters serving others too just stop serving it.
    const clusters: any[] = [];
    for (const c of spec.clusters) {
      const envs = served(c);
      if (!envs.includes(name)) clusters.push(c);
      else if (envs.length > 1) {
        clusters.push(setServed(c as Entity, envs.filter((e) => e !== name)));
        notes.push(`cluster ${c.name} no longer serves ${name}`);
      } else {
        if (c.server.replace(/\/$/, '') === HUB_SERVER)
          problems.push({ path: `clusters[${c.name}]`, message: `the hub cluster (running Argo CD) serves only "${name}" and cannot go with it`, fix: `serve another environment on it first (gitops-scaffold add cluster ${c.name} --update --environments ${name},OTHER)` });
        const pinned = tenants.filter((t) => t.clusters?.includes(c.name)).map((t) => t.name);
        if (pinned.length) problems.push({ path: `clusters[${c.name}]`, message: `serves only "${name}" and would go with it, but tenants are restricted to it: ${list(pinned)}`, fix: 'take it out of their clusters list first' });
        notes.push(`cluster ${c.name} removed with it (it served only ${name})`);
      }
    }
    out = { ...out, clusters };
  }
  if (problems.length) throw new InputError(`cannot remove ${kind} "${name}": others depend on it; nothing was written`, problems);
  return { spec: out, status: 'removed', notes };
}

/** `services[3].port` -> `services[payments-api].port`: problems named by the entity, not its index. */
export function nameProblemPaths(spec: PlatformSpec, problems: Problem[]): Problem[] {
  return problems.map((p) => ({
    ...p,
    path: p.path.replace(/^(services|tenants|clusters|environments)\[(\d+)\]/, (whole, key: string, i: string) => {
      const item = ((spec as any)[key] ?? [])[Number(i)];
      return item && typeof item.name === 'string' && item.name ? `${key}[${item.name}]` : whole;
    }),
  }));
}

/** Validates the whole edited model; problems name the entity (`services[ledger].port`). */
export function validateEdited(spec: PlatformSpec, what: string, fixFor?: (field: string) => string | undefined, previous?: PlatformSpec): PlatformSpec {
  // Lines of platform.yaml only for what the file itself holds (not for values given as flags).
  const problems = locateProblems(nameProblemPaths(spec, specProblems(spec)), spec, sourceOf(previous), previous).map((p) => {
    if (p.fix) return p;
    const field = p.path.replace(/^\w+\[[^\]]+\]\.?/, '');
    const fix = fixFor?.(field);
    return fix ? { ...p, fix } : p;
  });
  if (problems.length) throw new InputError(`${what} would make platform.yaml invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}); nothing was written`, problems);
  noteValid(spec);
  return spec;
}

// ---- platform.yaml text ----------------------------------------------------------------------

/**
 * platform.yaml with `next` applied node by node: entries that did not change keep their text and
 * comments, a removed entry takes its own lines with it. Returns `previous` unchanged when it
 * cannot be patched (then the pipeline's serializer rewrites the changed top-level keys).
 *
 * `written`: `previous` is byte for byte the platform.yaml this tool last wrote (the manifest's
 * hash), so the edit can be spliced into the text (model/text-splice.ts: the same bytes as the
 * library path, without parsing and writing the whole file with the yaml library).
 */
export function patchModelText(previous: string, next: PlatformSpec, opts: { written?: boolean } = {}): string {
  const spliced = opts.written ? spliceModelText(previous, next as unknown as Record<string, unknown>) : undefined;
  if (spliced !== undefined) {
    noteSerialized(spliced, next);
    return spliced;
  }
  const doc = YAML.parseDocument(previous, { version: '1.1' });
  if (doc.errors.length || !YAML.isMap(doc.contents)) return previous;
  const before = doc.toJS() ?? {};
  // Keys keep their place; keys the edit dropped (an emptied `services`) go; new keys come last.
  const after = orderedAfter(before, next as unknown as Record<string, unknown>);
  patchNode(doc, doc.contents, before, after);
  const text = doc.toString(YAML_OPTIONS);
  // The serializer compares top-level values (key order included): only hand it text it will keep.
  // (The fast reader gives the yaml library's value for text this tool writes, else the library.)
  const fast = fastParseDocuments(text);
  const parsed = (fast?.length === 1 ? fast[0].value : YAML.parse(text, { version: '1.1' })) ?? {};
  if (!Object.entries(next).every(([k, v]) => same((parsed as any)[k], v))) return previous;
  noteSerialized(text, next);
  rememberModel(text, { value: parsed, fast: fast?.length === 1 }); // its value, just read
  return text;
}
