// Every Kubernetes name a service's resources use, composed in one place. The model caps service
// names at MAX_LABEL - LONGEST_SERVICE_SUFFIX.length, so each name here fits a DNS label as long
// as its suffix is listed in SERVICE_SUFFIXES (a test holds them to the cap).

import type { Service } from '../../model/types.ts';

export const SERVICE_SUFFIXES = {
  canary: '-canary',
  preview: '-preview',
  migration: '-migrate',
  smokeTest: '-smoke-test',
  successRate: '-success-rate',
  latency: '-latency',
} as const;

export interface ServiceNames {
  /** Rollout / Deployment, ServiceAccount, HPA, PDB, NetworkPolicy, route. */
  workload: string;
  /** The Service clients call: stable (canary), active (blue-green) or the only one (rolling). */
  main: string;
  /** Second Service: canary (canary) or preview (blue-green); absent for rolling. */
  second?: string;
  migrationJob: string;
  smokeTestJob: string;
  successRateTemplate: string;
  latencyTemplate: string;
  smokeTestTemplate: string;
}

export function serviceNames(s: Service): ServiceNames {
  const n = s.name;
  const second = s.strategy === 'canary' ? n + SERVICE_SUFFIXES.canary : s.strategy === 'blueGreen' ? n + SERVICE_SUFFIXES.preview : undefined;
  return {
    workload: n,
    main: n,
    ...(second ? { second } : {}),
    migrationJob: n + SERVICE_SUFFIXES.migration,
    smokeTestJob: n + SERVICE_SUFFIXES.smokeTest,
    successRateTemplate: n + SERVICE_SUFFIXES.successRate,
    latencyTemplate: n + SERVICE_SUFFIXES.latency,
    smokeTestTemplate: n + SERVICE_SUFFIXES.smokeTest,
  };
}

/** Where a service's files live in the generated repository. */
export const serviceDir = (s: Service) => `apps/${s.tenant}/${s.name}`;
