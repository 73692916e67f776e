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
import { ofKind, type ControllerRule, type PerResourceRule } from './util.ts';
import { sha256 } from '../../io/manifest.ts';
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
export function controllerRules(resources: readonly ParsedResource[], memo?: RuleMemo): Finding[] {
  const written = resources.filter((r) => r.origin === 'file' && r.obj && typeof r.obj === 'object');
  return CONTROLLER_RULES.flatMap((rule) => (rule.perResource && memo ? memoized(rule.perResource, written, memo) : rule(written)));
}

/**
 * Across runs (the pre-write check's cache): a per-resource rule's findings on each resource,
 * under the hash of its file's path and text and its place in the file; on a hit the resource is
 * not read (the check's lazy resources stay unparsed). The findings as JSON, hit or miss alike.
 */
export interface RuleMemo {
  cache: Map<string, unknown>;
  /** The text of a repository file (what the resources were parsed from). */
  read(path: string): string | undefined;
  /** Marks a cache key as used by this run (the others are dropped at its end). */
  use(key: string): void;
}

export const RULE_CACHE_PREFIX = 'sim/rule/v1/';

const fileKeys = new WeakMap<RuleMemo, Map<string, string | null>>();
function fileKey(memo: RuleMemo, file: string): string | null {
  let keys = fileKeys.get(memo);
  if (!keys) fileKeys.set(memo, (keys = new Map()));
  let key = keys.get(file);
  if (key === undefined) {
    const text = memo.read(file);
    keys.set(file, (key = text === undefined ? null : sha256(`${file}\0${text}`)));
  }
  return key;
}

const isFindingList = (v: unknown): v is Finding[] => Array.isArray(v) && v.every((f) => !!f && typeof f === 'object' && typeof (f as Finding).rule === 'string' && typeof (f as Finding).message === 'string');

function memoized(rule: PerResourceRule, resources: readonly ParsedResource[], memo: RuleMemo): Finding[] {
  return ofKind(resources, ...rule.kinds).flatMap((r) => {
    const file = fileKey(memo, r.file);
    if (file === null) return rule.check(r);
    const key = `${RULE_CACHE_PREFIX}${rule.id}/${file}/${r.docIndex}`;
    memo.use(key);
    const known = memo.cache.get(key);
    if (isFindingList(known)) return known;
    const found = JSON.parse(JSON.stringify(rule.check(r))) as Finding[];
    memo.cache.set(key, found);
    return found;
  });
}
