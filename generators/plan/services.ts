// Services (apps/<tenant>/<service>): a kustomize base holding everything a service is made of,
// and one overlay per environment it runs in, registered through target.json so the tenant's
// ApplicationSet deploys it to every cluster serving that environment. The base is written for
// the service's last environment; every overlay states its own environment in full.
//
// Sync waves inside a service: secrets, then config (ServiceAccount, Services, routes, policies,
// analysis templates), then the migration hook, then the workload, then the smoke test.

import type { Platform, Service } from '../model/types.ts';
import { WAVES, type PlannedFile } from './types.ts';
import { serviceDir, serviceNames, type ServiceNames } from './service/names.ts';
import { baseEnvironment, serviceEnvironments, type ServiceInEnv } from './service/environments.ts';
import { serviceLabels, selectorLabels } from './service/labels.ts';
import { imageRef, workloadPodTemplate } from './service/pods.ts';
import { externalSecrets } from './service/secrets.ts';
import { analysisTemplates } from './service/analysis.ts';
import { rolloutStrategy } from './service/strategy.ts';
import { routeObject, servicesData, type RouteObject } from './service/traffic.ts';
import { hpaData, networkPolicyData, pdbData } from './service/policies.ts';
import { migrationJobData, smokeTestJobData } from './service/hooks.ts';
import { planOverlay } from './service/overlays.ts';
import { planRolloutsPlugin } from './service/rollouts-plugin.ts';

export { rolloutsAddonEntries } from './service/rollouts-plugin.ts';

/** Bounds how long a new version may take to become available before the Rollout aborts. */
const PROGRESS_DEADLINE_SECONDS = 600;
const REVISION_HISTORY_LIMIT = 5;

interface BaseFile {
  file: string;
  template: string;
  data: object;
}

function workloadFile(p: Platform, s: Service, names: ServiceNames, base: ServiceInEnv): BaseFile {
  const common = {
    name: names.workload,
    labels: serviceLabels(s),
    description: s.description || null,
    wave: String(WAVES.workload),
    replicas: base.replicas,
    revisionHistoryLimit: REVISION_HISTORY_LIMIT,
    progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
    selector: selectorLabels(s),
    template: workloadPodTemplate(p, s, imageRef(s.image, base.tag, base.digest), base.resources),
  };
  if (s.strategy === 'rolling') return { file: 'deployment.yaml', template: 'service/deployment.yaml.hbs', data: common };
  return { file: 'rollout.yaml', template: 'service/rollout.yaml.hbs', data: { ...common, baseEnv: base.env.name, strategy: rolloutStrategy(p, s, names, base) } };
}

function planBase(p: Platform, s: Service, names: ServiceNames, base: ServiceInEnv, route: RouteObject | undefined): PlannedFile[] {
  const dir = `${serviceDir(s)}/base`;
  const labels = serviceLabels(s);
  const config = String(WAVES.config);
  const files: BaseFile[] = [];
  const add = (file: string, template: string, data: object) => files.push({ file, template, data });

  if (s.secrets.length) add('external-secrets.yaml', 'service/external-secrets.yaml.hbs', { wave: String(WAVES.secrets), labels, secrets: externalSecrets(s) });
  add('serviceaccount.yaml', 'service/serviceaccount.yaml.hbs', { name: names.workload, labels, wave: config, automount: s.automountServiceAccountToken });
  add('services.yaml', 'service/services.yaml.hbs', { wave: config, ...servicesData(s, names) });
  if (route) add(route.file, route.template, { wave: config, ...route.data });
  add('networkpolicy.yaml', 'service/networkpolicy.yaml.hbs', { wave: config, ...networkPolicyData(p, s, names) });
  add('pdb.yaml', 'service/pdb.yaml.hbs', { wave: config, ...pdbData(s, names) });
  if (s.strategy !== 'rolling') add('analysis-templates.yaml', 'service/analysis-templates.yaml.hbs', { wave: config, templates: analysisTemplates(p, s, names) });
  if (s.migration) add('migration-job.yaml', 'service/migration-job.yaml.hbs', migrationJobData(p, s, names, s.migration.image ?? imageRef(s.image, base.tag, base.digest), base.resources));
  files.push(workloadFile(p, s, names, base));
  add('hpa.yaml', 'service/hpa.yaml.hbs', { wave: String(WAVES.workload), ...hpaData(s, names, base.replicas, base.maxReplicas) });
  if (s.smokeTest) add('smoke-test-job.yaml', 'service/smoke-test-job.yaml.hbs', smokeTestJobData(p, s, names));

  const kustomization: PlannedFile = {
    path: `${dir}/kustomization.yaml`,
    owner: 'managed',
    template: 'service/kustomization-base.yaml.hbs',
    data: { service: s.name, tenant: s.tenant, baseEnv: base.env.name, resources: files.map((f) => f.file) },
  };
  return [...files.map<PlannedFile>((f) => ({ path: `${dir}/${f.file}`, owner: 'managed', template: f.template, data: f.data })), kustomization];
}

export function planService(p: Platform, s: Service): PlannedFile[] {
  const envs = serviceEnvironments(p, s);
  // A service none of whose environments the tenant deploys to has nothing to render.
  if (!envs.length) return [];
  const names = serviceNames(s);
  const base = baseEnvironment(envs);
  const route = routeObject(p, s, names, base);
  return [...planBase(p, s, names, base, route), ...envs.flatMap((e) => planOverlay(p, s, names, e, `${serviceDir(s)}/overlays/${e.env.name}`, route))];
}

/** `planOne`: how one service is planned (default planService; the pipeline's render memo hands
 *  its own, incremental/service-units.ts, which answers unchanged services from the memo). */
export function planServices(p: Platform, planOne: (p: Platform, s: Service) => PlannedFile[] = planService): PlannedFile[] {
  return [...p.services.flatMap((s) => planOne(p, s)), ...planRolloutsPlugin(p)];
}
