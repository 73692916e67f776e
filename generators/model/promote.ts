// The one promotion engine: a pure edit of the model. `gitops-scaffold promote`, the generated CI
// pipeline's promote step (which runs that command) and rollbacks all come through here.
//
// What an environment runs is a model value: the service's `overrides.<env>.tag` / `.digest`, or
// its `tag` / `digest` where the environment has no override (an overridden tag drops the base
// digest: a digest belongs to the tag it was given with). The overlay is only its render.
// Promotion copies what one environment runs into the next one, as explicit overrides of the
// target, so a promotion's diff in platform.yaml reads as what it does.
//
//   promote SERVICE                    the next pending step: the first environment (in the
//                                      service's promotion order) that does not run what the one
//                                      before it runs takes that version
//   promote SERVICE --to ENV           ENV takes what the environment before it runs
//   promote SERVICE --to ENV --from E  ENV takes what E runs; E must come right before ENV
//                                      unless --allow-skip (then the ones in between are skipped)
//   promote SERVICE --tag T [--digest D] [--to FIRST]
//                                      a new build into the first environment (the CI pipeline);
//                                      a later environment only with --allow-skip
//   promote SERVICE --to ENV --revision REF
//                                      rollback: ENV takes what ENV ran at REF

import { InputError, type Problem } from './errors.ts';
import { normalize } from './normalize.ts';
import { validateSpec } from './validate-spec.ts';
import type { Platform, PlatformSpec, Service, ServiceEnvOverride, ServiceSpec } from './types.ts';

export interface ImageVersion {
  tag: string;
  digest?: string;
}

/** What `env` runs of a service as written in platform.yaml (the planner's rule, used by both). */
export function imageIn(service: Pick<ServiceSpec, 'tag' | 'digest' | 'overrides'>, env: string): ImageVersion {
  const o = service.overrides?.[env] ?? {};
  const tag = o.tag ?? service.tag ?? '';
  const digest = o.digest ?? (o.tag ? undefined : service.digest);
  return digest ? { tag, digest } : { tag };
}

export const sameVersion = (a: ImageVersion, b: ImageVersion) => a.tag === b.tag && (a.digest ?? '') === (b.digest ?? '');
export const showVersion = (v: ImageVersion) => (v.digest ? `${v.tag}@${v.digest.slice(0, 19)}…` : v.tag);

export interface PromoteRequest {
  service: string;
  /** The environment that changes. Default: the next pending step (or the first environment for a build). */
  to?: string;
  /** Where the version comes from. Default: the environment right before `to`. */
  from?: string;
  /** A new build: the tag (and digest) the first environment takes. */
  build?: ImageVersion;
  /** Rollback: platform.yaml as it was at `ref`; `to` takes what it ran then. */
  revision?: { ref: string; spec: unknown };
  /** Let the version skip environments of the promotion order. */
  allowSkip?: boolean;
}

export type PromotionSource = { kind: 'environment'; env: string } | { kind: 'build' } | { kind: 'revision'; ref: string };

export interface Promotion {
  service: string;
  tenant: string;
  /** The service's environments, in promotion order. */
  order: string[];
  to: string;
  /** Protected environments are changed only through a pull request. */
  protected: boolean;
  source: PromotionSource;
  before: ImageVersion;
  after: ImageVersion;
  /** Environments the version passed over (only with allowSkip). */
  skipped: string[];
}

export interface PromoteResult {
  spec: PlatformSpec;
  promotion: Promotion;
  status: 'promoted' | 'unchanged';
  notes: string[];
}

const fail = (headline: string, problems: Problem[]): never => {
  throw new InputError(`${headline}; nothing was written`, problems);
};

function serviceOf(platform: Platform, spec: PlatformSpec, name: string): { service: Service; written: ServiceSpec; index: number } {
  const index = (spec.services ?? []).findIndex((s) => s.name === name);
  if (index >= 0 && spec.services![index].chart)
    fail(`promote: ${name} is a Helm chart, not an image`, [{ path: `services[${name}]`, message: 'promote moves image tags and digests', fix: `set services[${name}].overrides.<env>.chartVersion (gitops-scaffold add service ${name} --update --set overrides.<env>.chartVersion=X)` }]);
  const service = platform.services.find((s) => s.name === name);
  if (index < 0 || !service)
    fail(`promote: no service "${name}" in platform.yaml`, [{ path: `services[${name}]`, message: 'not declared', fix: `use one of: ${(spec.services ?? []).map((s) => s.name).join(', ') || '(no services yet: gitops-scaffold add service)'}` }]);
  return { service: service!, written: spec.services![index], index };
}

function envIn(order: string[], service: string, env: string, flag: string): number {
  const i = order.indexOf(env);
  if (i < 0) fail(`promote ${service}: it does not run in "${env}"`, [{ path: flag, message: `${service} deploys to ${order.join(' -> ')}`, fix: `use one of: ${order.join(', ')}` }]);
  return i;
}

/** The override of `env` with exactly `version` (tag, and digest only when the version has one). */
function withVersion(o: ServiceEnvOverride | undefined, version: ImageVersion): ServiceEnvOverride {
  const { tag: _t, digest: _d, ...rest } = o ?? {};
  return { tag: version.tag, ...(version.digest ? { digest: version.digest } : {}), ...rest };
}

/** The first environment (after the first) that does not run what the one before it runs. */
function nextPending(written: ServiceSpec, order: string[]): number | undefined {
  for (let i = 1; i < order.length; i++) if (!sameVersion(imageIn(written, order[i]), imageIn(written, order[i - 1]))) return i;
  return undefined;
}

export function planPromotion(specData: PlatformSpec, req: PromoteRequest): PromoteResult {
  const spec = validateSpec(specData);
  const platform = normalize(spec);
  const { service, written, index } = serviceOf(platform, spec, req.service);
  const order = service.environments;
  const at = `services[${service.name}]`;
  const notes: string[] = [];
  if (req.build && req.revision) fail(`promote ${service.name}: --tag and --revision both name the version`, [{ path: '--revision', message: 'a rollback takes the version an environment ran at REF; a build brings a new one', fix: 'give one of them' }]);
  if (req.build && req.from) fail(`promote ${service.name}: --tag and --from both name the version`, [{ path: '--from', message: 'a build brings a new version; --from takes one from an environment', fix: 'give one of them' }]);
  if (req.revision && req.from) fail(`promote ${service.name}: --revision and --from both name the version`, [{ path: '--from', message: 'a rollback takes what the target ran at REF', fix: 'give one of them' }]);
  if (req.revision && !req.to) fail(`promote ${service.name} --revision ${req.revision.ref}: which environment rolls back?`, [{ path: '--to', message: 'required with --revision', fix: `add --to ENV (one of: ${order.join(', ')})` }]);

  let toIndex: number;
  let source: PromotionSource;
  let after: ImageVersion;
  const skipped: string[] = [];
  if (req.to !== undefined) toIndex = envIn(order, service.name, req.to, '--to');
  else if (req.build) toIndex = 0;
  else {
    const pending = nextPending(written, order);
    if (pending === undefined) {
      const v = imageIn(written, order[0]);
      return { spec, status: 'unchanged', notes: [`every environment of ${service.name} (${order.join(', ')}) runs ${showVersion(v)}: nothing to promote`], promotion: { service: service.name, tenant: service.tenant, order, to: order[order.length - 1], protected: false, source: { kind: 'environment', env: order[0] }, before: v, after: v, skipped } };
    }
    toIndex = pending;
  }
  const to = order[toIndex];

  if (req.build) {
    source = { kind: 'build' };
    after = req.build.digest ? { tag: req.build.tag, digest: req.build.digest } : { tag: req.build.tag };
    if (toIndex > 0) {
      if (!req.allowSkip)
        fail(`promote ${service.name}: a new build goes into ${order[0]} first, not ${to}`, [
          { path: '--to', message: `${to} would skip ${order.slice(0, toIndex).join(', ')}, where ${after.tag} has not run`, fix: `promote into ${order[0]} (drop --to), or pass --allow-skip to skip ${order.slice(0, toIndex).join(', ')} on purpose` },
        ]);
      skipped.push(...order.slice(0, toIndex));
    }
  } else if (req.revision) {
    source = { kind: 'revision', ref: req.revision.ref };
    const old = (req.revision.spec as PlatformSpec | undefined)?.services?.find((s) => s?.name === service.name);
    if (!old || typeof old.tag !== 'string')
      fail(`promote ${service.name} --revision ${req.revision.ref}: the service is not in platform.yaml at ${req.revision.ref}`, [{ path: '--revision', message: `platform.yaml at ${req.revision.ref} declares no service ${service.name}`, fix: 'name a revision where the service ran (git log -- platform.yaml)' }]);
    after = imageIn(old!, to);
  } else {
    if (toIndex === 0) fail(`promote ${service.name}: ${to} is the first environment; nothing comes before it`, [{ path: '--to', message: `${to} takes new builds (the CI pipeline promotes them), not another environment's version`, fix: `promote a build with --tag TAG [--digest sha256:...], or roll back with --revision REF` }]);
    const fromIndex = req.from !== undefined ? envIn(order, service.name, req.from, '--from') : toIndex - 1;
    if (fromIndex >= toIndex)
      fail(`promote ${service.name}: ${req.from} comes after ${to} in the promotion order`, [{ path: '--from', message: `order: ${order.join(' -> ')}`, fix: `promote forwards only; to roll ${to} back, use --revision REF (what it ran at a Git revision) or git revert` }]);
    if (fromIndex < toIndex - 1) {
      const between = order.slice(fromIndex + 1, toIndex);
      if (!req.allowSkip)
        fail(`promote ${service.name}: from ${order[fromIndex]} to ${to} skips ${between.join(', ')}`, [{ path: '--from', message: `${to} takes what ${order[toIndex - 1]} runs, in promotion order`, fix: `promote --to ${between[0]} first, or pass --allow-skip to skip ${between.join(', ')} on purpose` }]);
      skipped.push(...between);
    }
    source = { kind: 'environment', env: order[fromIndex] };
    after = imageIn(written, order[fromIndex]);
  }

  const before = imageIn(written, to);
  const env = platform.environments.find((e) => e.name === to)!;
  const promotion: Promotion = { service: service.name, tenant: service.tenant, order, to, protected: env.protected, source, before, after, skipped };
  if (sameVersion(before, after)) {
    if (source.kind === 'environment' && toIndex > 0) {
      const upstream = order.slice(0, toIndex).reverse().find((e) => !sameVersion(imageIn(written, e), after));
      if (upstream) notes.push(`${upstream} runs ${showVersion(imageIn(written, upstream))}, which has not reached ${source.env} yet: promote --to ${order[order.indexOf(upstream) + 1]} first`);
    }
    return { spec, promotion, status: 'unchanged', notes: [`${to} already runs ${showVersion(after)}`, ...notes] };
  }
  const services = [...spec.services!];
  services[index] = { ...written, overrides: { ...(written.overrides ?? {}), [to]: withVersion(written.overrides?.[to], after) } };
  const next = { ...spec, services };
  // A tag or digest that the model refuses (e.g. `latest`, a malformed digest) stops here, named.
  validateSpec(next, `promote ${service.name} to ${to}`);
  if (skipped.length) notes.push(`skipped ${skipped.join(', ')} (--allow-skip)`);
  return { spec: next, promotion, status: 'promoted', notes };
}

/** `payments-api: staging 2.14.1 -> 2.15.0 (from dev)`. */
export function describePromotion(p: Promotion): string {
  const from = p.source.kind === 'environment' ? `from ${p.source.env}` : p.source.kind === 'build' ? 'new build' : `as at ${p.source.ref}`;
  return `${p.service} in ${p.to}: ${showVersion(p.before)} -> ${showVersion(p.after)} (${from})`;
}
