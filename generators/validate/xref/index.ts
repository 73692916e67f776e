// Cross-reference checks: what no per-resource schema can see. Pure functions over the parsed
// resources and the repository index; each finding names both ends.
import type { Finding } from '../../check/finding.ts';
import { checkAppProjects } from './app-projects.ts';
import type { XrefCheck, XrefContext } from './context.ts';
import { checkHpaTargets } from './hpa-targets.ts';
import { checkRolloutRefs } from './rollout-refs.ts';
import { checkSecretStores } from './secret-stores.ts';
import { checkSourcePaths } from './source-paths.ts';
import { checkSyncWaves } from './sync-waves.ts';

export const XREF_CHECKS: readonly XrefCheck[] = [checkAppProjects, checkSourcePaths, checkRolloutRefs, checkSecretStores, checkHpaTargets, checkSyncWaves];

export function crossReferenceChecks(ctx: XrefContext): Finding[] {
  return XREF_CHECKS.flatMap((check) => check(ctx));
}

export type { XrefContext };
