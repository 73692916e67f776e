// Inside one Application's source folder, a Namespace must not sync after the resources that
// live in it, and a CustomResourceDefinition not after its custom resources. Argo CD orders by
// wave first (then kind), so a higher wave on the Namespace or CRD breaks the first sync.
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { type XrefCheck, describe, finding, isKind, isOwnRepo, nameOf, namespaceOf, hasFileResource, ofKinds, resourceFiles, resourcesOf, runJob } from './context.ts';

const WAVE = 'argocd.argoproj.io/sync-wave';
const waveOf = (r: ParsedResource) => {
  const w = Number.parseInt(String(r.obj?.metadata?.annotations?.[WAVE] ?? '0'), 10);
  return Number.isFinite(w) ? w : 0;
};

export const checkSyncWaves: XrefCheck = (ctx) => {
  const folders = new Set<string>();
  for (const r of ofKinds(ctx, 'Application')) {
    if (!isKind(r, 'Application', 'argoproj.io')) continue;
    const spec = r.obj?.spec ?? {};
    for (const src of [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])]) {
      if (typeof src?.path !== 'string' || src.path.includes('{{')) continue;
      if (ctx.repoUrl && !isOwnRepo(ctx, src.repoURL)) continue;
      folders.add(src.path.replace(/^\.\/?/, '').replace(/\/+$/, ''));
    }
  }
  if (!folders.size) return [];
  // Files with resources, grouped by folder (folders in the order they first appear).
  const fromFiles = (r: ParsedResource) => r.origin === 'file';
  const byDir = new Map<string, string[]>();
  for (const file of resourceFiles(ctx)) {
    if (!hasFileResource(ctx, file)) continue;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    if (!byDir.has(dir)) byDir.set(dir, []);
    byDir.get(dir)!.push(file);
  }
  // One job per folder: it reads the files under it (every resource there is a subject).
  return [...folders].flatMap((folder) => {
    const files = [...byDir].filter(([dir]) => folder === '' || dir === folder || dir.startsWith(folder + '/')).flatMap(([, fs]) => fs);
    return runJob(
      ctx,
      'sync-waves',
      () => ({ key: folder, files: new Set(files) }),
      () => checkFolder(folder, files.flatMap((f) => resourcesOf(ctx, f).filter(fromFiles))),
    );
  });
};

function checkFolder(folder: string, inFolder: ParsedResource[]): Finding[] {
  const out: Finding[] = [];
  const namespaces = new Map(inFolder.filter((r) => isKind(r, 'Namespace', '')).map((r) => [nameOf(r), r]));
  const crds = inFolder.filter((r) => isKind(r, 'CustomResourceDefinition', 'apiextensions.k8s.io'));
  for (const r of inFolder) {
    const ns = namespaces.get(namespaceOf(r));
    if (ns && waveOf(ns) > waveOf(r))
      out.push(
        finding(r, 'xref/sync-wave', `/metadata/annotations`, `metadata.annotations["${WAVE}"]: ${describe(r)} (wave ${waveOf(r)}) syncs before its Namespace ${nameOf(ns)} (wave ${waveOf(ns)}, ${ns.file}) in Application folder ${folder || '.'}`, `Give the Namespace a lower sync wave than ${describe(r)} (or the same one: Argo CD applies Namespaces first within a wave).`),
      );
    if (!crds.length) continue; // (most folders: no CustomResourceDefinition to look for)
    const group = String(r.obj?.apiVersion ?? '').split('/')[0];
    const crd = crds.find((c) => c.obj?.spec?.group === group && c.obj?.spec?.names?.kind === r.obj?.kind);
    if (crd && waveOf(crd) > waveOf(r))
      out.push(
        finding(r, 'xref/sync-wave', `/metadata/annotations`, `metadata.annotations["${WAVE}"]: ${describe(r)} (wave ${waveOf(r)}) syncs before its CustomResourceDefinition ${nameOf(crd)} (wave ${waveOf(crd)}, ${crd.file}) in Application folder ${folder || '.'}`, `Give the CustomResourceDefinition a lower sync wave than its resources.`),
      );
  }
  return out;
}
