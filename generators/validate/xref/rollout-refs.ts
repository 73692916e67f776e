// A Rollout's services, ingresses, Istio routes, analysis templates and workloadRef must exist
// next to it: in the same kustomization build, or the same folder when there is none.
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { type XrefCheck, describe, fileAndUnits, finding, isKind, nameOf, ofKinds, runJob, sameNamespace, subjectsByFile, unitLookup } from './context.ts';

interface Ref {
  pointer: string;
  kinds: string[];
  name: string;
}

const isClusterTemplate = (r: ParsedResource) => isKind(r, 'ClusterAnalysisTemplate', 'argoproj.io');

// One job per file of Rollouts: it reads that file, the files of its units and every file that
// holds a ClusterAnalysisTemplate (and whether the repository has kustomizations at all).
export const checkRolloutRefs: XrefCheck = (ctx) => {
  const unitsOf = unitLookup(ctx);
  let clusterTemplates: Set<string | undefined> | undefined;
  let templateFiles: string[] | undefined;
  const where = ctx.repo.kustomizations.size ? 'the same kustomization build or folder' : 'the same folder';
  return subjectsByFile(ctx, 'Rollout', 'argoproj.io').flatMap(({ file, subjects }) =>
    runJob(
      ctx,
      'rollout-refs',
      () => {
        const own = fileAndUnits(ctx, file);
        templateFiles ??= [...new Set(subjectsByFile(ctx, 'ClusterAnalysisTemplate', 'argoproj.io').map((g) => g.file))];
        return { key: `${where}\0${own.key}`, files: [...own.files, ...templateFiles] };
      },
      () => check(subjects(), unitsOf, (clusterTemplates ??= new Set(ofKinds(ctx, 'ClusterAnalysisTemplate').filter(isClusterTemplate).map(nameOf))), where),
    ),
  );
};

function check(subjects: readonly ParsedResource[], unitsOf: ReturnType<typeof unitLookup>, clusterTemplates: ReadonlySet<string | undefined>, where: string): Finding[] {
  const out: Finding[] = [];
  for (const r of subjects) {
    const units = unitsOf(r.file);
    for (const ref of refsOf(r.obj?.spec)) {
      if (ref.kinds.includes('ClusterAnalysisTemplate')) {
        if (!clusterTemplates.has(ref.name))
          out.push(finding(r, 'xref/rollout-ref', ref.pointer, `${dotted(ref.pointer)}: ${describe(r)} names ClusterAnalysisTemplate "${ref.name}", which is not defined in this repository`, `Add the ClusterAnalysisTemplate "${ref.name}", or fix the name.`));
        continue;
      }
      const found = units.some((unit) => ref.kinds.some((kind) => (unit.get(kind) ?? []).some((o) => nameOf(o) === ref.name && sameNamespace(o, r))));
      if (!found) {
        out.push(
          finding(r, 'xref/rollout-ref', ref.pointer, `${dotted(ref.pointer)}: ${describe(r)} names ${ref.kinds.join(' or ')} "${ref.name}", which is not in ${where}`, `Add the ${ref.kinds[0]} "${ref.name}" next to the Rollout (and to its kustomization), or fix the name.`),
        );
      }
    }
  }
  return out;
}

function refsOf(spec: any): Ref[] {
  const refs: Ref[] = [];
  const add = (pointer: string, kinds: string[], name: unknown) => {
    if (typeof name === 'string' && name && !name.includes('{{')) refs.push({ pointer, kinds, name });
  };
  const templates = (at: string, analysis: any) =>
    (Array.isArray(analysis?.templates) ? analysis.templates : []).forEach((t: any, i: number) =>
      add(`${at}/templates/${i}/templateName`, t?.clusterScope ? ['ClusterAnalysisTemplate'] : ['AnalysisTemplate'], t?.templateName),
    );
  if (spec?.workloadRef) add('/spec/workloadRef/name', [spec.workloadRef.kind ?? 'Deployment'], spec.workloadRef.name);
  const canary = spec?.strategy?.canary;
  if (canary) {
    const c = '/spec/strategy/canary';
    add(`${c}/stableService`, ['Service'], canary.stableService);
    add(`${c}/canaryService`, ['Service'], canary.canaryService);
    templates(`${c}/analysis`, canary.analysis);
    (Array.isArray(canary.steps) ? canary.steps : []).forEach((s: any, i: number) => templates(`${c}/steps/${i}/analysis`, s?.analysis));
    const tr = canary.trafficRouting ?? {};
    const t = `${c}/trafficRouting`;
    add(`${t}/nginx/stableIngress`, ['Ingress'], tr.nginx?.stableIngress);
    (Array.isArray(tr.nginx?.additionalStableIngresses) ? tr.nginx.additionalStableIngresses : []).forEach((n: unknown, i: number) => add(`${t}/nginx/additionalStableIngresses/${i}`, ['Ingress'], n));
    add(`${t}/alb/ingress`, ['Ingress'], tr.alb?.ingress);
    (Array.isArray(tr.alb?.ingresses) ? tr.alb.ingresses : []).forEach((n: unknown, i: number) => add(`${t}/alb/ingresses/${i}`, ['Ingress'], n));
    add(`${t}/istio/virtualService/name`, ['VirtualService'], tr.istio?.virtualService?.name);
    (Array.isArray(tr.istio?.virtualServices) ? tr.istio.virtualServices : []).forEach((v: any, i: number) => add(`${t}/istio/virtualServices/${i}/name`, ['VirtualService'], v?.name));
    add(`${t}/istio/destinationRule/name`, ['DestinationRule'], tr.istio?.destinationRule?.name);
  }
  const bg = spec?.strategy?.blueGreen;
  if (bg) {
    const b = '/spec/strategy/blueGreen';
    add(`${b}/activeService`, ['Service'], bg.activeService);
    add(`${b}/previewService`, ['Service'], bg.previewService);
    templates(`${b}/prePromotionAnalysis`, bg.prePromotionAnalysis);
    templates(`${b}/postPromotionAnalysis`, bg.postPromotionAnalysis);
  }
  return refs;
}

const dotted = (pointer: string) => pointer.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
