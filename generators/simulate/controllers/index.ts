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
import { ofKind, writtenResources, type ControllerRule, type PerResourceRule } from './util.ts';
import { perResource, type ResourceMemo } from '../resource-memo.ts';
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
 * them and would report each problem twice).
 */
export function controllerRules(resources: readonly ParsedResource[], memo?: ResourceMemo): Finding[] {
  const written = writtenResources(resources);
  return CONTROLLER_RULES.flatMap((rule) => (rule.perResource && memo ? memoized(rule.perResource, written, memo) : rule(written, memo)));
}

const isFindingList = (v: unknown): v is Finding[] => Array.isArray(v) && v.every((f) => !!f && typeof f === 'object' && typeof (f as Finding).rule === 'string' && typeof (f as Finding).message === 'string');

/**
 * Across runs (the pre-write check's cache, resource-memo.ts): a per-resource rule's findings on
 * each resource, under its file's hash and its place in the file; on a hit the resource is not
 * read (the check's lazy resources stay unparsed).
 */
function memoized(rule: PerResourceRule, resources: readonly ParsedResource[], memo: ResourceMemo): Finding[] {
  const out: Finding[] = [];
  for (const r of ofKind(resources, ...rule.kinds)) {
    if (rule.mayFind) {
      const text = memo.read(r.file);
      if (text !== undefined && !rule.mayFind(text)) continue;
    }
    for (const f of perResource(memo, rule.id, r.file, r.docIndex, () => rule.check(r), isFindingList)) out.push(f);
  }
  return out;
}
