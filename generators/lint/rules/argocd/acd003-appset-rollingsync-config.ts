import type { ParsedResource } from '../../../check/resources.ts';
import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, asObj, isObj, isTrue, str, type Obj } from '../../util/values.ts';

const PROGRESSIVE_SYNCS_KEY = 'applicationsetcontroller.enable.progressive.syncs';

/** Elements of every list generator, also inside matrix and merge generators. */
function listElements(generators: unknown): Obj[][] {
  const out: Obj[][] = [];
  for (const g of asArray(generators).filter(isObj)) {
    if (isObj(g.list)) out.push(asArray(g.list.elements).filter(isObj));
    for (const combo of [g.matrix, g.merge]) if (isObj(combo)) out.push(...listElements(combo.generators));
  }
  return out;
}

/**
 * The values a template label can take, when the repo tells: a literal, or a bare parameter
 * (`{{ .env }}`, `{{env}}`) that every element of some list generator defines.
 */
function labelValues(value: string, generators: unknown): string[] | undefined {
  if (!value.includes('{{')) return [value];
  const m = /^\{\{-?\s*\.?([A-Za-z_][\w.]*)\s*-?\}\}$/.exec(value.trim());
  if (!m) return undefined;
  for (const elements of listElements(generators)) {
    const values = elements.map((e) => m[1].split('.').reduce<any>((v, k) => (isObj(v) ? v[k] : undefined), e));
    if (elements.length && values.every((v) => v !== undefined)) return values.map(String);
  }
  return undefined;
}

/** Whether a step's expressions on `key` accept `value` (a step without one accepts any value). */
function stepAccepts(step: Obj, key: string, value: string): boolean {
  return asArray(step.matchExpressions)
    .filter((e) => isObj(e) && e.key === key)
    .every((e) => {
      const values = asArray(e.values).map(String);
      return e.operator === 'NotIn' ? !values.includes(value) : values.includes(value);
    });
}

function checkRollingSync(r: ParsedResource, paramsCm: ParsedResource | undefined): RuleFinding[] {
  const spec = asObj(r.obj.spec);
  const strategy = asObj(spec.strategy);
  const out: RuleFinding[] = [];
  // Template autosync is not an error: RollingSync switches it off on the generated Applications
  // and takes `prune` for its own syncs from it (progressive_sync.go SyncDesiredApplications).
  const steps = asArray(strategy.rollingSync?.steps);
  if (!steps.length) {
    out.push(at(r, '/spec/strategy', 'RollingSync has no steps: no generated Application is ever synced', 'Add `rollingSync.steps` whose matchExpressions select every generated Application by label.'));
    return out;
  }
  const labels = asObj(spec.template?.metadata?.labels);
  const stepKeys = new Set<string>();
  steps.forEach((step, i) =>
    asArray(step?.matchExpressions).forEach((e, j) => {
      const key = str(e?.key);
      if (!key) return;
      stepKeys.add(key);
      if (!(key in labels))
        out.push(at(r, ptr('/spec/strategy/rollingSync/steps', i, 'matchExpressions', j, 'key'), `step ${i + 1} selects label "${key}", which the template does not set on generated Applications: the step matches nothing`, `Add label "${key}" to spec.template.metadata.labels, or select on a label the template sets.`));
    }),
  );
  // Steps selecting a label the template never sets match nothing, so they cover nothing.
  const live = steps.filter((s) => isObj(s) && asArray(s.matchExpressions).every((e) => str(e?.key) === undefined || str(e.key)! in labels));
  for (const key of stepKeys) {
    const raw = str(labels[key]);
    if (raw === undefined) continue;
    for (const value of labelValues(raw, spec.generators) ?? [])
      if (!live.some((s) => stepAccepts(s, key, value)))
        out.push(at(r, ptr('/spec/template/metadata/labels', key), `generated Applications with ${key}=${value} match no RollingSync step, so they are excluded from the rollout and never synced`, `Add "${value}" to the values of a step selecting "${key}".`));
  }
  if (paramsCm && !isTrue(paramsCm.obj.data?.[PROGRESSIVE_SYNCS_KEY]))
    out.push(at(r, '/spec/strategy/type', `RollingSync is ignored: argocd-cmd-params-cm (${paramsCm.file}) does not set ${PROGRESSIVE_SYNCS_KEY}: "true"`, `Set \`${PROGRESSIVE_SYNCS_KEY}: "true"\` in argocd-cmd-params-cm.`));
  return out;
}

export const appsetRollingSyncConfig: Rule = {
  id: 'ACD003',
  name: 'appset-rollingsync-config',
  severity: 'error',
  description: 'ApplicationSet RollingSync that cannot work as written: step labels the template does not set, label values no step selects, progressive syncs disabled, `deletionOrder: Reverse` without RollingSync.',
  fix: 'Label generated Applications with every key the steps select, and enable progressive syncs in argocd-cmd-params-cm.',
  source: 'security.md §1.1, rule 3; Argo CD Progressive-Syncs.md; applicationset/progressivesync/progressive_sync.go',
  check(ctx) {
    const paramsCm = ctx.configMap('argocd-cmd-params-cm');
    return ctx.ofKind('ApplicationSet').flatMap((r) => {
      const strategy = asObj(r.obj.spec?.strategy);
      const out = strategy.type === 'RollingSync' ? checkRollingSync(r, paramsCm) : [];
      if (strategy.deletionOrder === 'Reverse' && (strategy.type !== 'RollingSync' || !asArray(strategy.rollingSync?.steps).length))
        out.push(at(r, '/spec/strategy/deletionOrder', 'deletionOrder: Reverse needs a RollingSync strategy with steps; without one it is rejected', 'Use `type: RollingSync` with steps, or remove deletionOrder.'));
      return out;
    });
  },
};
