// Platform -> every file of the repository. Pure: the same model gives the same files, whatever
// order tenants, clusters and services were added in.

import type { Platform, PlatformSpec, Service } from '../model/types.ts';
import { platformSchema } from '../model/schema.ts';
import { SCHEMA_PATH, serializeSpec } from '../model/serialize.ts';
import type { PlannedFile } from './types.ts';
import { planBootstrap } from './bootstrap.ts';
import { planArgoCd } from './argocd.ts';
import { planProjects } from './projects.ts';
import { planApps, planAddonBases } from './apps.ts';
import { planClusters } from './clusters.ts';
import { planSecretStores } from './secret-stores.ts';
import { planArgoCdSecrets } from './argocd-secrets.ts';
import { planPrerequisites } from './prerequisites.ts';
import { planServices } from './services.ts';
import { planCharts } from './charts.ts';
import { planDocs } from './docs.ts';
import { planLintConfig } from './lint-config.ts';
import { planSupplyChain, type SupplyChainOptions } from './supply-chain/index.ts';
import { sealIntoSpec } from './supply-chain/sealed-secrets.ts';
import { validateSpec } from '../model/validate-spec.ts';
import { normalize } from '../model/normalize.ts';
import { STATE_GITIGNORE, STATE_GITIGNORE_PATH } from '../io/state-layout.ts';

export interface PlanInput {
  spec: PlatformSpec;
  platform: Platform;
  /** The current text of platform.yaml, so an edit keeps the user's comments. */
  previousModelText?: string;
  /** Inputs of the supply chain that do not live in platform.yaml (the Sealed Secrets certificate). */
  supplyChain?: SupplyChainOptions;
  /** How one service is planned (planServices); the render memo's units answer unchanged ones. */
  planService?: (p: Platform, s: Service) => PlannedFile[];
  /** How a platform-wide planner that may not read the services is run (default: it is called);
   *  the render memo's platform units answer it while the platform without its services is the
   *  same (incremental/service-units.ts platformUnits). */
  planUnit?: (name: string, planner: (p: Platform) => PlannedFile[], p: Platform) => PlannedFile[];
}

export function planRepo(input: PlanInput): PlannedFile[] {
  let { spec, platform, supplyChain } = input;
  const { previousModelText } = input;
  // Spoke tokens and the OIDC client secret given to seal become ciphertext in the model itself.
  if (supplyChain?.sealedSecrets?.certPem && supplyChain.sealedSecrets.values) {
    const sealed = sealIntoSpec(spec, supplyChain.sealedSecrets);
    if (sealed.changed) {
      spec = validateSpec(sealed.spec);
      platform = normalize(spec, platform.pins);
    }
    supplyChain = { ...supplyChain, sealedSecrets: { ...supplyChain.sealedSecrets, values: sealed.rest } };
  }
  // Planners that do not read the services go through planUnit (adding a service re-plans none of
  // them); planArgoCd, planServices, planSupplyChain, planPrerequisites and planDocs read them.
  const p = platform;
  const unit = (name: string, planner: (p: Platform) => PlannedFile[]) => (input.planUnit ? input.planUnit(name, planner, p) : planner(p));
  const files: PlannedFile[] = [
    { path: 'platform.yaml', owner: 'model', text: serializeSpec(spec, previousModelText) },
    { path: SCHEMA_PATH, owner: 'managed', json: platformSchema },
    { path: STATE_GITIGNORE_PATH, owner: 'managed', text: STATE_GITIGNORE },
    ...unit('bootstrap', planBootstrap),
    ...planArgoCd(platform),
    ...unit('argocd-secrets', planArgoCdSecrets),
    ...unit('projects', planProjects),
    ...unit('apps', planApps),
    ...unit('addon-bases', planAddonBases),
    ...unit('clusters', planClusters),
    ...unit('secret-stores', planSecretStores),
    ...planServices(platform, input.planService),
    ...unit('charts', planCharts),
    ...planSupplyChain(platform, supplyChain),
    ...unit('lint-config', planLintConfig),
    ...planPrerequisites(platform),
  ];
  // One paths set: what planDocs asks about (read there, not kept) and the duplicate check (a
  // second walk over the files only when the set is smaller than the list: a planner bug).
  const paths = new Set(files.map((f) => f.path));
  const docs = planDocs(platform, paths);
  if (paths.size !== files.length) {
    const seen = new Set<string>();
    for (const f of files) {
      if (seen.has(f.path)) throw new Error(`planner bug: ${f.path} planned twice`);
      seen.add(f.path);
    }
  }
  for (const f of docs) {
    if (paths.has(f.path)) throw new Error(`planner bug: ${f.path} planned twice`);
    paths.add(f.path);
    files.push(f);
  }
  return files;
}
