// A HorizontalPodAutoscaler's scaleTargetRef must name a workload next to it (same kustomization
// build, or same folder).
import type { Finding } from '../../check/finding.ts';
import { type XrefCheck, describe, finding, isKind, nameOf, sameNamespace, unitLookup } from './context.ts';

export const checkHpaTargets: XrefCheck = (ctx) => {
  const unitsOf = unitLookup(ctx);
  const out: Finding[] = [];
  for (const r of ctx.resources) {
    if (!isKind(r, 'HorizontalPodAutoscaler', 'autoscaling')) continue;
    const target = r.obj?.spec?.scaleTargetRef;
    if (!target?.kind || !target?.name) continue;
    const group = String(target.apiVersion ?? '').split('/')[0];
    const found = unitsOf(r.file).some((unit) =>
      (unit.get(target.kind) ?? []).some((o) => nameOf(o) === target.name && sameNamespace(o, r) && (!group || String(o.obj?.apiVersion).split('/')[0] === group)),
    );
    if (!found)
      out.push(
        finding(r, 'xref/hpa-target', '/spec/scaleTargetRef', `spec.scaleTargetRef: ${describe(r)} scales ${target.kind} "${target.name}", which is not in the same kustomization build or folder`, `Fix scaleTargetRef, or add the ${target.kind} "${target.name}" next to the HPA.`),
      );
  }
  return out;
};
