// A service as it runs in one environment: the model's defaults with that environment's overrides
// applied, so the workload, traffic and overlay modules never merge overrides themselves.

import type { Environment, Platform, Service } from '../../model/types.ts';
import { tenantNamespace } from '../../model/names.ts';
import { envByName } from '../context.ts';
import { hostIn } from './router.ts';
import { imageIn } from '../../model/promote.ts';

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ServiceInEnv {
  env: Environment;
  namespace: string;
  tag: string;
  /** Only with the tag it was given for: an overridden tag drops the base digest. */
  digest?: string;
  replicas: number;
  maxReplicas: number;
  resources: Resources;
  host?: string;
}

/** `250m` * 2 = `500m`, `1.5Gi` * 2 = `3Gi`: quantities keep their unit. */
export function scaleQuantity(quantity: string, factor: number): string {
  const m = /^([0-9]+(?:\.[0-9]+)?)(.*)$/.exec(quantity);
  if (!m) throw new Error(`not a quantity: ${quantity}`);
  const value = Number((Number(m[1]) * factor).toFixed(3));
  return `${value}${m[2]}`;
}

/**
 * Requests as the model says; memory limit = request (memory cannot be throttled, only killed, so
 * no overcommit), CPU may burst to twice the request (the namespace quota allows limits at twice
 * the requests). The CPU limit is explicit because the namespace LimitRange's default would
 * otherwise apply and could sit below the request.
 */
export const resourcesFor = (cpu: string, memory: string): Resources => ({
  requests: { cpu, memory },
  limits: { cpu: scaleQuantity(cpu, 2), memory },
});

/** Room for the autoscaler above the environment's baseline. */
export const maxReplicasFor = (replicas: number) => Math.max(replicas * 3, replicas + 2);

export function serviceInEnv(p: Platform, s: Service, env: string): ServiceInEnv {
  const o = s.overrides[env] ?? {};
  const replicas = o.replicas ?? s.replicas;
  // The promotion engine's rule (model/promote.ts): what an environment runs is a model value.
  const { tag, digest } = imageIn(s, env);
  const host = hostIn(p, s, env);
  return {
    env: envByName(p, env),
    namespace: tenantNamespace(s.namespace, env),
    tag,
    ...(digest ? { digest } : {}),
    replicas,
    maxReplicas: maxReplicasFor(replicas),
    resources: resourcesFor(o.cpu ?? s.cpu, o.memory ?? s.memory),
    ...(host ? { host } : {}),
  };
}

export const serviceEnvironments = (p: Platform, s: Service): ServiceInEnv[] => s.environments.map((e) => serviceInEnv(p, s, e));

/** The environment the base is written for: the last (most careful) one; overlays patch the rest. */
export const baseEnvironment = (envs: ServiceInEnv[]) => envs[envs.length - 1];
