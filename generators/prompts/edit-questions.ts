// The questions of `gitops-scaffold add service|tenant|cluster|environment`, shared by the
// interactive CLI (which asks only what flags and --answers left open) and the plop generators:
// one `askEntity` for both, so the questions, the defaults and the checks are the same. Each
// answer is checked when it is given, against the repository's platform.yaml: declared tenants,
// environments and clusters are offered as lists, names already taken are refused. The answers
// become model fields through one function, `entityFromAnswers`.

import type { AddOptions, Entity, EntityKind } from '../model/edits.ts';
import type { PlatformSpec } from '../model/types.ts';
import { InputError } from '../model/errors.ts';
import { splitImageRef } from './image-ref.ts';
import { isLabel, isServerUrl, schemaChoices, splitList, tenantList, type Validator } from './questions.ts';

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

export function clusterQuestions(ctx: EditContext = {}) {
  return [
    { type: 'input', name: 'name', message: 'Cluster name', validate: newName('cluster', ctx.clusters, ctx) },
    { type: 'input', name: 'server', message: 'Kubernetes API server URL', validate: isServerUrl },
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

export const QUESTIONS: Record<EntityKind, (ctx?: EditContext) => any[]> = {
  service: serviceQuestions,
  tenant: tenantQuestions,
  cluster: clusterQuestions,
  environment: environmentQuestions,
};

type Prompt = (questions: any[], answers?: Record<string, any>) => Promise<Record<string, any>>;

/**
 * Asks what `known` (flat answers from flags, --answers, plop bypass) leaves open, with the
 * platform's context, and returns the entity. The CLI and the plop generators both call it.
 */
export async function askEntity(kind: EntityKind, known: Record<string, any>, ctx: EditContext, prompt: Prompt): Promise<{ entity: Entity; options: AddOptions }> {
  if (kind === 'service' && ctx.tenants && !ctx.tenants.length && known.tenant === undefined)
    throw new InputError('add service: the platform has no tenant yet; nothing was written', [{ path: 'tenants', message: 'a service belongs to a tenant', fix: 'gitops-scaffold add tenant NAME first' }]);
  const asked = await prompt(QUESTIONS[kind](ctx), { ...known });
  return entityFromAnswers(kind, { ...asked, ...known });
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
