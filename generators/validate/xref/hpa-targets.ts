// A HorizontalPodAutoscaler's scaleTargetRef must name a workload next to it (same kustomization
// build, or same folder).
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { type XrefCheck, describe, fileAndUnits, finding, isKind, nameOf, runJob, subjectsByFile, sameNamespace, unitLookup } from './context.ts';

// One job per file of HPAs: it reads that file and the files of its units.
export const checkHpaTargets: XrefCheck = (ctx) => {
  const unitsOf = unitLookup(ctx);
  return subjectsByFile(ctx, 'HorizontalPodAutoscaler', 'autoscaling').flatMap(({ file, subjects }) =>
    runJob(
      ctx,
      'hpa-targets',
      () => fileAndUnits(ctx, file),
      () => check(subjects(), unitsOf),
    ),
  );
};

function check(subjects: readonly ParsedResource[], unitsOf: ReturnType<typeof unitLookup>): Finding[] {
  const out: Finding[] = [];
  for (const r of subjects) {
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
}
