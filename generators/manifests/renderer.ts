// What an Application deploys, built the way Argo CD's repo-server builds it, with the tools at
// hand (the edge of `diff` and of validate's Helm check):
//   - a kustomization of this repository: `kustomize build` / `kubectl kustomize`, through perf's
//     batched runner (every build requested in one turn of the event loop goes to one process);
//     one that pulls a remote base is not built (it would need the network): offline inventory;
//   - a plain directory: its manifests as written;
//   - a Helm chart (a chart source, or a folder with Chart.yaml): `helm template` as Argo CD runs
//     it (helm-args.ts), value files from this revision's folder;
//   - a source in another repository: not rendered (said so);
// and when a tool is missing, the offline model's inventory (sim's InventoryReader, the component
// table for known charts), flagged as not exact.
import path from 'node:path';
import type { DeployedObject } from '../simulate/inventory.ts';
import { chartInventory } from '../simulate/inventory.ts';
import { isOwnRepo, sourcesOf, type AppRecord } from '../simulate/model.ts';
import { planBuilds } from '../validate/kustomize/plan.ts';
import { kustomizeRunner, type BuildOutcome } from '../validate/kustomize/run.ts';
import type { KustomizeTool } from '../validate/kustomize/tool.ts';
import { helmTemplate, type HelmTool } from './helm.ts';
import type { RenderTarget, Renderer, Rendering, SourceRendering } from './types.ts';

export interface Tools {
  kustomize?: KustomizeTool;
  helm?: HelmTool;
  env: NodeJS.ProcessEnv;
  /** Why kustomize is not used (not installed, turned off). */
  kustomizeMissing?: string;
  helmMissing?: string;
}

/** An object of the offline inventory as a manifest; upstream components' objects are only known by name. */
export function inventoryObject(o: DeployedObject): unknown {
  if (o.obj) return { ...o.obj, metadata: { ...(o.obj.metadata ?? {}), name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) } };
  return {
    apiVersion: o.group ? `${o.group}/*` : 'v1',
    kind: o.kind,
    metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), annotations: { 'diff.gitops-scaffold.dev/offline': `known from the component table (${o.component ?? 'upstream'}), not built` } },
  };
}

const describePath = (s: any) => `${s.path || '.'}${s.targetRevision ? `@${s.targetRevision}` : ''}`;
const describeChart = (s: any) => `chart ${s.chart}@${s.targetRevision ?? '?'} from ${s.repoURL}`;

export function toolRenderer(tools: Tools): Renderer {
  const runner = tools.kustomize ? kustomizeRunner(tools.kustomize, tools.env) : undefined;
  const builds = new Map<string, Promise<BuildOutcome>>();
  let pending: { dir: string; resolve: (o: BuildOutcome) => void }[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    const results = await runner!.build(batch.map((p) => p.dir));
    batch.forEach((p, i) => p.resolve(results[i]));
  };
  const build = (dir: string): Promise<BuildOutcome> => {
    let p = builds.get(dir);
    if (!p) {
      p = new Promise<BuildOutcome>((resolve) => {
        if (!pending.length) setImmediate(() => void flush());
        pending.push({ dir, resolve });
      });
      builds.set(dir, p);
    }
    return p;
  };
  const remoteDirs = new WeakMap<RenderTarget, Set<string>>();
  const remoteOf = (t: RenderTarget) => {
    let s = remoteDirs.get(t);
    if (!s) remoteDirs.set(t, (s = new Set(planBuilds(t.index.repo).remote.map((k) => k.dir))));
    return s;
  };

  const inventory = (t: RenderTarget, dir: string, recurse: boolean) => t.model.inventory.ofPath(dir, { recurse }).objects.map(inventoryObject);

  async function renderSource(t: RenderTarget, app: AppRecord, source: any, sources: readonly any[]): Promise<{ objects: unknown[]; rendering?: SourceRendering; exact: boolean }> {
    const dest = app.manifest?.spec?.destination ?? {};
    const own = isOwnRepo(t.model, source?.repoURL);
    const helmInput = { appName: app.name, destinationNamespace: dest.namespace, source, sources, ownRepoRoot: t.root, isOwnRepo: (u: unknown) => isOwnRepo(t.model, u) };
    if (source?.chart) {
      const what = describeChart(source);
      if (tools.helm) {
        const out = await helmTemplate(tools.helm, helmInput, tools.env);
        if (out.ok) return { objects: out.docs, rendering: { source: what, method: 'helm', tool: tools.helm.name }, exact: true };
        const fallback = chartInventory(source, app.name).objects.map(inventoryObject);
        return { objects: fallback, rendering: { source: what, method: out.offline ? 'inventory' : 'not-rendered', tool: tools.helm.name, ...(out.offline ? { note: `helm could not fetch the chart (${out.error})` } : { error: out.error }) }, exact: false };
      }
      const fallback = chartInventory(source, app.name).objects.map(inventoryObject);
      return { objects: fallback, rendering: { source: what, method: fallback.length ? 'inventory' : 'not-rendered', note: tools.helmMissing ?? 'helm is not installed' }, exact: false };
    }
    if (!own) return { objects: [], rendering: { source: `${source?.repoURL ?? '?'} ${describePath(source ?? {})}`, method: 'not-rendered', note: 'another repository (not read offline)' }, exact: false };
    if (typeof source?.path !== 'string') return { objects: [], exact: true }; // a ref source: its files are read by the others
    const dir = source.path.replace(/^\.?\/+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
    const what = describePath(source);
    const repo = t.index.repo;
    if (repo.files.has(`${dir ? `${dir}/` : ''}Chart.yaml`)) {
      if (!tools.helm) return { objects: [], rendering: { source: what, method: 'not-rendered', note: tools.helmMissing ?? 'helm is not installed' }, exact: false };
      const out = await helmTemplate(tools.helm, helmInput, tools.env);
      if (out.ok) return { objects: out.docs, rendering: { source: what, method: 'helm', tool: tools.helm.name }, exact: true };
      return { objects: [], rendering: { source: what, method: 'not-rendered', tool: tools.helm.name, ...(out.offline ? { note: out.error } : { error: out.error }) }, exact: false };
    }
    const recurse = !!source.directory?.recurse;
    if (repo.kustomizations.has(dir)) {
      if (remoteOf(t).has(dir)) return { objects: inventory(t, dir, recurse), rendering: { source: what, method: 'inventory', note: 'pulls a remote base (not built offline)' }, exact: false };
      if (!runner) return { objects: inventory(t, dir, recurse), rendering: { source: what, method: 'inventory', note: tools.kustomizeMissing ?? 'neither kustomize nor kubectl is installed' }, exact: false };
      const out = await build(path.join(t.root, dir));
      if (out.ok) return { objects: out.docs, rendering: { source: what, method: 'kustomize', tool: tools.kustomize!.name }, exact: true };
      return { objects: [], rendering: { source: what, method: 'not-rendered', tool: tools.kustomize!.name, error: out.error.split('\n').find((l) => l.trim())?.slice(0, 400) ?? out.error }, exact: false };
    }
    return { objects: inventory(t, dir, recurse), rendering: { source: what, method: 'directory' }, exact: true };
  }

  return {
    async render(t, app) {
      const sources = sourcesOf(app.manifest?.spec).map((s) => s.source);
      const parts = await Promise.all(sources.map((s) => renderSource(t, app, s, sources)));
      const out: Rendering = { objects: [], sources: [], exact: true };
      for (const p of parts) {
        out.objects.push(...p.objects);
        if (p.rendering) out.sources.push(p.rendering);
        out.exact &&= p.exact;
      }
      return out;
    },
  };
}
