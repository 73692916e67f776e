// Argo CD hook Jobs of a service.
//
// Migration: a `Sync` hook in the migration wave, not a PreSync hook. PreSync hooks run before
// any object of the sync is applied, so on the first deployment the ExternalSecrets holding the
// database credentials would not exist yet and the migration could never start. In the Sync
// phase the waves order it after the secrets (and config) and before the workload, which is
// applied only once the migration has succeeded; the old version keeps serving meanwhile, exactly
// as with PreSync.
//
// Smoke test: a PostSync hook, run once every object is synced and healthy (the Rollout fully
// promoted), against the stable Service.
//
// Neither sets ttlSecondsAfterFinished: a TTL can delete the Job before Argo CD has read its
// result, and the sync never finishes (argo-cd#21055). The delete policy cleans up instead:
// BeforeHookCreation replaces the previous run's Job, HookSucceeded removes a successful one; a
// failed Job stays for its logs until the next sync.

import { WAVES } from '../types.ts';
import type { Platform, Service } from '../../model/types.ts';
import type { ServiceNames } from './names.ts';
import type { Resources } from './environments.ts';
import { serviceLabels } from './labels.ts';
import { migrationPodTemplate, serviceUrl, smokeTestPodTemplate } from './pods.ts';

const DELETE_POLICY = 'BeforeHookCreation,HookSucceeded';

const hookAnnotations = (hook: 'Sync' | 'PostSync', wave: number) => ({
  'argocd.argoproj.io/hook': hook,
  'argocd.argoproj.io/hook-delete-policy': DELETE_POLICY,
  'argocd.argoproj.io/sync-wave': String(wave),
});

export function migrationJobData(p: Platform, s: Service, names: ServiceNames, image: string, resources: Resources) {
  return {
    name: names.migrationJob,
    labels: serviceLabels(s),
    annotations: hookAnnotations('Sync', WAVES.migration),
    // Retries for transient failures (database not reachable yet); a deadline so a stuck
    // migration fails the sync instead of holding it forever.
    backoffLimit: 2,
    activeDeadlineSeconds: 900,
    template: migrationPodTemplate(p, s, image, resources),
  };
}

export function smokeTestJobData(p: Platform, s: Service, names: ServiceNames) {
  return {
    name: names.smokeTestJob,
    labels: serviceLabels(s),
    annotations: hookAnnotations('PostSync', WAVES.smokeTest),
    backoffLimit: 1,
    activeDeadlineSeconds: 300,
    template: smokeTestPodTemplate(p, s, serviceUrl(names.main, s.smokeTest!.path), 'smoke-test'),
  };
}
