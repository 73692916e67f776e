import type { LintContext, Rule, RuleFinding } from '../../types.ts';
import type { ParsedResource } from '../../../check/resources.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, asObj, isObj } from '../../util/values.ts';

const REQUIRED = ['requests.cpu', 'requests.memory', 'limits.memory'] as const;

/** Per namespace, the fields its LimitRanges fill in for containers that leave them out. */
function limitRangeDefaults(ctx: LintContext): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const lr of ctx.ofKind('LimitRange')) {
    const namespaces = ctx.namespacesOf(lr);
    for (const l of asArray(lr.obj.spec?.limits).filter((l) => isObj(l) && (l.type ?? 'Container') === 'Container')) {
      for (const res of ['cpu', 'memory']) {
        const fields: string[] = [];
        if (asObj(l.defaultRequest)[res] !== undefined || asObj(l.default)[res] !== undefined) fields.push(`requests.${res}`);
        if (asObj(l.default)[res] !== undefined) fields.push(`limits.${res}`);
        for (const ns of namespaces) for (const f of fields) (out[ns] ??= new Set()).add(f);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([ns, fields]) => [ns, [...fields].sort()]));
}

export const resourceRequirements: Rule = {
  id: 'K8S008',
  name: 'resource-requirements',
  severity: 'warning',
  scope: 'targets',
  severityNote: 'security.md groups it with rule 38 (high); kube-linter and Polaris rate missing requests and limits as hygiene, and a LimitRange can supply them.',
  description: 'Container without CPU and memory requests and a memory limit (unless a LimitRange in its namespace supplies them): it can starve or be evicted before its neighbours. CPU limits are not required (they throttle).',
  fix: 'Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` on every container.',
  source: 'seed "Mistake 4: No resource limits"; security.md rule 38; kube-linter unset-cpu-requirements, unset-memory-requirements; Kyverno require-pod-requests-limits',
  check(ctx) {
    const out: RuleFinding[] = [];
    const defaults = new Map<ParsedResource, Set<string>>();
    // LimitRanges anywhere in the repository: one index per run, shared by every file's check.
    const byNamespace = ctx.shared('K8S008/limit-range-defaults', limitRangeDefaults);
    const nsDefaults = (ns: string) => new Set(byNamespace[ns] ?? []);
    for (const c of allContainers(ctx.resources)) {
      // A workflow template's podSpecPatch may set resources the linter cannot see.
      if (c.pod.workflowTemplate !== undefined && c.pod.spec.podSpecPatch !== undefined) continue;
      if (!defaults.has(c.resource)) {
        const namespaces = ctx.namespacesOf(c.resource);
        const sets = namespaces.map(nsDefaults);
        defaults.set(c.resource, new Set(REQUIRED.filter((f) => sets.length > 0 && sets.every((s) => s.has(f)))));
      }
      const res = asObj(c.container.resources);
      const missing = REQUIRED.filter((f) => {
        const [kind, name] = f.split('.');
        return asObj(res[kind])[name] === undefined && !defaults.get(c.resource)!.has(f);
      });
      if (missing.length)
        out.push(at(c.resource, ptr(c.pointer, ...(c.container.resources ? ['resources'] : [])), `${containerLabel(c)} sets no ${missing.join(', ')}`));
    }
    return out;
  },
};
