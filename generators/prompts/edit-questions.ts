// The questions of `gitops-scaffold add service|tenant|cluster|environment`, shared by the
// interactive CLI (which asks only what flags and --answers left open) and the plop generators:
// one `askEntity` for both, so the questions, the defaults and the checks are the same. Each
// answer is checked when it is given, against the repository's platform.yaml: declared tenants,
// environments and clusters are offered as lists, names already taken are refused. The answers
// become model fields through one function, `entityFromAnswers`.

import { LIST_KEY, addEntity, nameProblemPaths, type AddOptions, type Entity, type EntityKind } from '../model/edits.ts';
import type { PlatformSpec } from '../model/types.ts';
import { InputError, type Problem } from '../model/errors.ts';
import { specProblems } from '../model/validate-spec.ts';
import { splitImageRef } from './image-ref.ts';
import { INIT_DEFAULTS, accessFromAnswers, isLabel, isServerUrl, schemaChoices, splitList, spokeAccessQuestions, tenantList, type Validator } from './questions.ts';

/** What the questions offer and check, read from the current platform.yaml. */
export interface EditContext {
  tenants?: string[];
  /** Environments of each tenant (all declared ones when it names none). */
  tenantEnvironments?: Record<string, string[]>;
  environments?: string[];
  clusters?: string[];
  services?: string[];
  /** The platform's default strategy (delivery.strategy). */
  strategy?: string;
  /** plop asks "update it?" at the end: an existing name is then allowed. */
  allowExisting?: boolean;
  /**
   * The platform.yaml being edited: each answer is then also checked against the whole model (the
   * rules `add` applies at the end: a host another service uses, a name too long for the names
   * derived from it, a second hub), so no answer is refused only after the last question.
   */
  spec?: PlatformSpec;
}

export function contextOf(spec: PlatformSpec): EditContext {
  const environments = spec.environments.map((e) => e.name);
  const tenants = (spec.tenants ?? []).map((t) => t.name);
  return {
    tenants,
    tenantEnvironments: Object.fromEntries((spec.tenants ?? []).map((t) => [t.name, t.environments?.length ? t.environments : environments])),
    environments,
    clusters: spec.clusters.map((c) => c.name),
    services: (spec.services ?? []).map((s) => s.name),
    strategy: spec.delivery?.strategy,
    spec,
  };
}

const optionalLabel: Validator = (v) => v === undefined || v === '' || isLabel(v);
const isPort: Validator = (v) => (/^\d+$/.test(String(v).trim()) && Number(v) >= 1 && Number(v) <= 65535) || 'a port number between 1 and 65535';
const isImage: Validator = (v) => {
  if (typeof v !== 'string' || !v.trim()) return 'the image, e.g. ghcr.io/acme/payments-api:1.4.2 (or without the tag)';
  const ref = splitImageRef(v.trim());
  if (ref.tag === 'latest') return '"latest" is a floating tag: pin a version, e.g. ghcr.io/acme/payments-api:1.4.2';
  if (ref.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(ref.digest)) return 'the digest is sha256:<64 hex digits>';
  return /\s/.test(v.trim()) ? 'an image reference has no spaces' : true;
};
const isTag: Validator = (v) => (typeof v === 'string' && /^[\w][\w.-]{0,127}$/.test(v.trim()) && v.trim() !== 'latest') || 'a pinned tag, e.g. 1.4.2 (never latest)';
const isHost: Validator = (v) => v === undefined || v === '' || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(String(v)) || 'a lowercase host name, e.g. payments.example.com (or empty)';
const tagOf = (image: unknown) => (typeof image === 'string' ? splitImageRef(image.trim()).tag : undefined);

/** A new name: valid, and not one the platform already declares (unless plop will ask "update?"). */
const newName =
  (kind: EntityKind, taken: string[] | undefined, ctx: EditContext): Validator =>
  (v) => {
    const ok = isLabel(v);
    if (ok !== true) return ok;
    if (!ctx.allowExisting && taken?.includes(String(v))) return `${kind} "${v}" exists already (gitops-scaffold add ${kind} ${v} --update changes it)`;
    if (kind === 'tenant') return tenantList(String(v));
    return true;
  };

/**
 * Environments as a checkbox of the declared ones. `all` checked means "all of them, and the ones
 * declared later" for tenants and services, so it is written as no list at all.
 */
function environmentsQuestion(message: string, choices: (a: Record<string, any>) => string[], allMeansAll: boolean) {
  return {
    type: 'checkbox',
    name: 'environments',
    message,
    choices,
    default: (a: Record<string, any>) => (allMeansAll ? choices(a) : []),
    validate: (v: unknown) => (allMeansAll || splitList(v).length > 0) || 'choose at least one (space toggles, enter accepts)',
    filter: (v: unknown, a: Record<string, any>) => (allMeansAll && splitList(v).length === choices(a).length ? [] : splitList(v)),
  };
}

export function serviceQuestions(ctx: EditContext = {}) {
  const tenants = ctx.tenants ?? [];
  const envsOf = (a: Record<string, any>) => ctx.tenantEnvironments?.[a.tenant] ?? ctx.environments ?? [];
  return [
    { type: 'input', name: 'name', message: 'Service name', validate: newName('service', ctx.services, ctx) },
    tenants.length
      ? { type: 'list', name: 'tenant', message: 'Tenant (team) owning it', choices: tenants }
      : { type: 'input', name: 'tenant', message: 'Tenant (team) owning it', validate: isLabel },
    { type: 'input', name: 'image', message: 'Image (repository, with :tag if you like), e.g. ghcr.io/acme/payments-api:1.4.2', validate: isImage },
    { type: 'input', name: 'tag', message: 'Image tag (pinned)', validate: isTag, when: (a: Record<string, any>) => tagOf(a.image) === undefined },
    { type: 'input', name: 'port', message: 'Container port', default: '8080', validate: isPort },
    { type: 'list', name: 'strategy', message: 'Delivery strategy', choices: schemaChoices('delivery', 'strategy'), default: ctx.strategy ?? 'rolling' },
    { type: 'input', name: 'host', message: 'Public host name in the last environment (empty: not routed)', default: '', validate: isHost },
    ...(ctx.environments?.length ? [environmentsQuestion("Environments it deploys to (all checked: all of the tenant's)", envsOf, true)] : []),
  ];
}

export function tenantQuestions(ctx: EditContext = {}) {
  return [
    { type: 'input', name: 'name', message: 'Tenant (team) name', validate: newName('tenant', ctx.tenants, ctx) },
    { type: 'input', name: 'description', message: 'Description (may be empty)', default: '' },
    ...(ctx.environments?.length ? [environmentsQuestion('Environments it deploys to (all checked: all, and those added later)', () => ctx.environments ?? [], true)] : []),
  ];
}

/** A cluster other than the hub (which Argo CD reaches in-cluster): asked how Argo CD authenticates to it. */
const isSpoke = (a: Record<string, any>) => String(a.server ?? '').trim().replace(/\/$/, '') !== INIT_DEFAULTS.hubServer;

export function clusterQuestions(ctx: EditContext = {}) {
  return [
    { type: 'input', name: 'name', message: 'Cluster name', validate: newName('cluster', ctx.clusters, ctx) },
    { type: 'input', name: 'server', message: 'Kubernetes API server URL', validate: isServerUrl },
    // The questions of init's spoke loop: a spoke added later is registered the same way.
    ...spokeAccessQuestions(() => '', isSpoke),
    ctx.environments?.length
      ? environmentsQuestion('Environments it serves', () => ctx.environments ?? [], false)
      : { type: 'input', name: 'environments', message: 'Environments it serves (comma-separated)', validate: (v: unknown) => splitList(v).length > 0 || 'at least one environment', filter: splitList },
    { type: 'input', name: 'region', message: 'Region (may be empty)', default: '', validate: optionalLabel },
  ];
}

/** The answer "a new cluster" to "which cluster serves it?". */
export const NEW_CLUSTER = '(a new cluster)';

export function environmentQuestions(ctx: EditContext = {}) {
  const clusters = ctx.clusters ?? [];
  const order = ctx.environments ?? [];
  const isNew = (a: Record<string, any>) => a.cluster === NEW_CLUSTER || (a.cluster !== undefined && !clusters.includes(a.cluster));
  return [
    { type: 'input', name: 'name', message: 'Environment name', validate: newName('environment', ctx.environments, ctx) },
    order.length
      ? { type: 'list', name: 'after', message: `Insert after which environment? (order: ${order.join(' -> ')})`, choices: [{ name: `just before ${order.at(-1)} (the last stays the production end)`, value: '' }, ...order.slice(0, -1).map((e) => ({ name: `after ${e}`, value: e }))], default: '' }
      : { type: 'input', name: 'after', message: 'Insert after which environment (empty: just before the last)', default: '', validate: optionalLabel },
    { type: 'confirm', name: 'protected', message: 'Protected (signed images, manual promotion)?', default: false },
    clusters.length
      ? { type: 'list', name: 'cluster', message: 'Cluster serving it', choices: [...clusters, NEW_CLUSTER] }
      : { type: 'input', name: 'cluster', message: 'Cluster serving it (a new cluster name)', validate: isLabel },
    { type: 'input', name: 'newCluster', message: 'Name of the new cluster', validate: newName('cluster', clusters, { ...ctx, allowExisting: false }), when: (a: Record<string, any>) => a.cluster === NEW_CLUSTER },
    { type: 'input', name: 'server', message: 'API server URL of the new cluster', validate: isServerUrl, when: isNew },
    { type: 'input', name: 'region', message: 'Region of the new cluster (may be empty)', default: '', validate: optionalLabel, when: isNew },
  ];
}

const QUESTION_SETS: Record<EntityKind, (ctx?: EditContext) => any[]> = {
  service: serviceQuestions,
  tenant: tenantQuestions,
  cluster: clusterQuestions,
  environment: environmentQuestions,
};

/** The questions of `add KIND`, each answer checked on its own and, given ctx.spec, against the model. */
export const QUESTIONS: Record<EntityKind, (ctx?: EditContext) => any[]> = Object.fromEntries(
  Object.entries(QUESTION_SETS).map(([kind, questions]) => [kind, (ctx: EditContext = {}) => questions(ctx).map((q) => withModelCheck(kind as EntityKind, q, ctx))]),
) as Record<EntityKind, (ctx?: EditContext) => any[]>;

/**
 * Valid stand-ins for the answers not given yet, so the model can judge the answer being given:
 * the edited model is checked once with the answer and once with the stand-in in its place, and
 * only what the answer adds is reported (a problem of a later answer is that answer's to report).
 */
function standIns(kind: EntityKind, ctx: EditContext): Record<string, unknown> {
  const first = (xs: string[] | undefined) => xs?.[0];
  switch (kind) {
    case 'service':
      return { name: 'answer-check', tenant: first(ctx.tenants), image: 'registry.invalid/answer-check', tag: '0.0.0', port: '8080' };
    case 'tenant':
      return { name: 'answer-check' };
    case 'cluster':
      return { name: 'answer-check', server: 'https://answer-check.invalid', environments: ctx.environments?.slice(0, 1) ?? [] };
    case 'environment':
      return { name: 'answer-check', cluster: first(ctx.clusters), newCluster: 'answer-check-cluster', server: 'https://answer-check.invalid' };
  }
}

/** The model's problems once the answers are applied (empty when it is valid), paths by name with the entity's name as `*`. */
function modelProblems(kind: EntityKind, answers: Record<string, unknown>, ctx: EditContext): Problem[] {
  let entity: Entity;
  let next: PlatformSpec;
  try {
    const edit = entityFromAnswers(kind, answers);
    entity = edit.entity;
    const exists = ((ctx.spec as any)[LIST_KEY[kind]] ?? []).some((x: { name: string }) => x.name === entity.name);
    next = addEntity(ctx.spec!, kind, entity, { ...edit.options, update: exists && ctx.allowExisting === true }).spec;
  } catch (err) {
    if (err instanceof InputError) return err.problems.map((p) => ({ ...p, path: `edit:${p.path}` }));
    throw err;
  }
  const own = `${LIST_KEY[kind]}[${entity.name}]`;
  // Messages may point at other entries by index ("already used at services[1].host"): by name, as paths are.
  const byName = (text: string) => text.replace(/\b(services|tenants|clusters|environments)\[(\d+)\]/g, (whole, key: string, i: string) => ((next as any)[key]?.[Number(i)]?.name ? `${key}[${(next as any)[key][Number(i)].name}]` : whole));
  return nameProblemPaths(next, specProblems(next)).map((p) => ({ ...p, message: byName(p.message), path: p.path.startsWith(own) ? `${LIST_KEY[kind]}[*]${p.path.slice(own.length)}` : p.path }));
}

const describeProblem = (p: Problem) => `${p.message}${p.fix ? ` (${p.fix})` : ''}`;

/** The question's own check first, then what the answer does to the whole model. */
function withModelCheck(kind: EntityKind, q: Record<string, any>, ctx: EditContext): Record<string, any> {
  if (!ctx.spec || q.type === 'confirm') return q;
  const own = q.validate as Validator | undefined;
  return {
    ...q,
    validate: (v: unknown, answers: Record<string, any> = {}) => {
      const local = own ? own(v, answers) : true;
      if (local !== true) return local;
      const base = { ...standIns(kind, ctx), ...answers };
      const given = modelProblems(kind, { ...base, [q.name]: v }, ctx);
      if (!given.length) return true;
      const key = (p: Problem) => `${p.path}\0${p.message}`;
      const without = new Set(modelProblems(kind, { ...base, [q.name]: standIns(kind, ctx)[q.name] }, ctx).map(key));
      const added = given.find((p) => !without.has(key(p)));
      return added ? describeProblem(added) : true;
    },
  };
}

/** A known answer (a flag, --answers) checked as the question would check it when typed. */
function checkKnown(q: Record<string, any>, value: unknown, answers: Record<string, any>): true | string {
  const choices = typeof q.choices === 'function' ? q.choices(answers) : q.choices;
  if (q.type === 'list' && Array.isArray(choices)) {
    const values = choices.map((c: any) => (typeof c === 'object' ? c.value : c));
    if (!values.includes(value)) return `is not one of: ${values.filter((x: unknown) => x !== '').join(', ')}`;
    return true;
  }
  const filtered = q.filter ? q.filter(value, answers) : value;
  return q.validate ? q.validate(filtered, answers) : true;
}

/** Flag names of the answers, for errors about known answers. */
const FLAG_OF: Record<string, string> = { name: 'NAME', newCluster: '--cluster', authType: '--set auth.type', caData: '--set caData', clusterName: '--set auth.clusterName', roleArn: '--set auth.roleArn', clientId: '--set auth.clientId', tenantId: '--set auth.tenantId' };

type Prompt = (questions: any[], answers?: Record<string, any>) => Promise<Record<string, any>>;

/**
 * Asks what `known` (flat answers from flags, --answers, plop bypass) leaves open, with the
 * platform's context, and returns the entity. The CLI and the plop generators both call it.
 */
export async function askEntity(kind: EntityKind, known: Record<string, any>, ctx: EditContext, prompt: Prompt): Promise<{ entity: Entity; options: AddOptions }> {
  assertCanAsk(kind, ctx);
  const questions = QUESTIONS[kind](ctx);
  // What flags and --answers gave is checked before the first question: a bad --tenant is
  // refused now, not after every other answer was typed.
  const problems: Problem[] = [];
  for (const q of questions) {
    if (!(q.name in known) || (typeof q.when === 'function' && !q.when(known))) continue;
    const verdict = checkKnown(q, known[q.name], known);
    if (verdict !== true) problems.push({ path: FLAG_OF[q.name] ?? `--${q.name}`, message: `${JSON.stringify(known[q.name])}${verdict.startsWith('is ') ? ' ' : ': '}${verdict}`, fix: 'fix the flag, or leave it out to be asked' });
  }
  if (problems.length) throw new InputError(`add ${kind}: ${problems.length === 1 ? 'an answer given on the command line is' : 'answers given on the command line are'} not valid; nothing was asked or written`, problems);
  const asked = await prompt(questions, { ...known });
  return entityFromAnswers(kind, { ...asked, ...known });
}

/** A service needs a tenant to belong to: with none declared, refuse before the first question (CLI and plop alike). */
export function assertCanAsk(kind: EntityKind, ctx: EditContext): void {
  if (kind === 'service' && ctx.tenants && !ctx.tenants.length)
    throw new InputError('add service: the platform has no tenant yet; nothing was written', [{ path: 'tenants', message: 'a service belongs to a tenant', fix: 'gitops-scaffold add tenant NAME first' }]);
}

/** Flat answers (prompts, plop) -> the entity's model fields, plus where an environment goes. */
export function entityFromAnswers(kind: EntityKind, a: Record<string, any>): { entity: Entity; options: AddOptions } {
  const text = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim());
  const e: Record<string, any> = { name: text(a.name) };
  const options: AddOptions = {};
  const envs = a.environments === undefined ? [] : splitList(a.environments);
  if (kind === 'service') {
    const ref = text(a.image) ? splitImageRef(text(a.image)!) : undefined;
    Object.assign(e, { tenant: text(a.tenant), image: ref?.repository, tag: text(a.tag) ?? ref?.tag });
    if (ref?.digest) e.digest = ref.digest;
    if (text(a.port) !== undefined) e.port = /^\d+$/.test(String(a.port).trim()) ? Number(a.port) : String(a.port);
    if (text(a.strategy)) e.strategy = text(a.strategy);
    if (text(a.host)) e.host = text(a.host);
    if (envs.length) e.environments = envs;
  }
  if (kind === 'tenant') {
    if (text(a.description)) e.description = text(a.description);
    if (envs.length) e.environments = envs;
  }
  if (kind === 'cluster') {
    e.server = text(a.server);
    if (envs.length === 1) e.environment = envs[0];
    else if (envs.length) e.environments = envs;
    if (text(a.region)) e.region = text(a.region);
    Object.assign(e, accessFromAnswers(a));
  }
  if (kind === 'environment') {
    if (a.protected === true) e.protected = true;
    if (text(a.after)) options.after = text(a.after);
    const cluster = a.cluster === NEW_CLUSTER ? text(a.newCluster) : text(a.cluster);
    if (cluster) options.cluster = { name: cluster, ...(text(a.server) ? { server: text(a.server) } : {}), ...(text(a.region) ? { region: text(a.region) } : {}) };
  }
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  return { entity: e as Entity, options };
}
