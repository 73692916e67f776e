// Controller rules of the offline simulation: what Argo CD, the ApplicationSet and notifications
// controllers, Argo Rollouts, Argo Workflows and the API server do with configuration that every
// schema accepts. One small module per controller area; each rule is a pure function of the
// parsed resources returning findings with rule `sim/<area>/<name>`, file, JSON pointer and a
// message that says what the controller would do.

import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { appsetRules } from './appset.ts';
import { argocdSettingsRules } from './argocd-settings.ts';
import { kustomizeImageRules } from './kustomize-images.ts';
import { namesAndLabelsRules } from './names-labels.ts';
import { notificationsRules } from './notifications.ts';
import { promotionRules } from './promotion.ts';
import { rolloutsRules } from './rollouts.ts';
import { syncWindowRules } from './sync-windows.ts';
import { writtenResources, type ControllerRule } from './util.ts';
import type { ResourceMemo } from '../resource-memo.ts';
import { unitFindings } from './units.ts';
import { workflowRules } from './workflows.ts';

export const CONTROLLER_RULES: readonly ControllerRule[] = [
  ...argocdSettingsRules,
  ...appsetRules,
  ...notificationsRules,
  ...syncWindowRules,
  ...rolloutsRules,
  ...namesAndLabelsRules,
  ...kustomizeImageRules,
  ...workflowRules,
  ...promotionRules,
];

/**
 * Every controller rule over the resources as written in files (kustomize build output repeats
 * them and would report each problem twice). With the pre-write check's memo, the per-resource
 * rules run as folder units kept across runs (units.ts).
 */
export function controllerRules(resources: readonly ParsedResource[], memo?: ResourceMemo): Finding[] {
  const written = writtenResources(resources);
  if (!memo) return CONTROLLER_RULES.flatMap((rule) => rule(written));
  const perResource = unitFindings(PER_RESOURCE_RULES, written, memo);
  return CONTROLLER_RULES.flatMap((rule) => (rule.perResource ? perResource.get(rule.perResource.id)! : rule(written, memo)));
}

const PER_RESOURCE_RULES = CONTROLLER_RULES.flatMap((rule) => (rule.perResource ? [rule.perResource] : []));
