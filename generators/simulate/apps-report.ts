// What `gitops-scaffold apps` prints: every Application the repository produces, grouped by the
// ApplicationSet that generates it (or "written" for Application files), with project, source,
// destination, sync wave and RollingSync step, then the prerequisites the repository assumes and
// the simulation's findings about Applications. Pure: text or a JSON document.
import type { Finding } from '../check/finding.ts';
import { rollingSyncStep } from './app-checks.ts';
import { waveOf } from './inventory.ts';
import { resolveDestination, sourcesOf, type AppRecord } from './model.ts';
import type { Simulation } from './index.ts';

export interface AppRow {
  name: string;
  appSet?: string;
  file: string;
  project: string;
  sources: string[];
  destination: { server?: string; name?: string; namespace?: string; cluster?: string };
  syncWave: number;
  rollingSyncStep?: number;
}

export interface AppsReport {
  repoUrl?: string;
  groups: { appSet?: string; file: string; applications: AppRow[] }[];
  prerequisites: { id: string; description?: string; clusters?: string[]; provides: string[] }[];
  findings: Finding[];
}

const sourceText = (s: any) =>
  s?.chart ? `${s.repoURL} chart ${s.chart}@${s.targetRevision ?? ''}` : `${s?.repoURL ?? '?'}${s?.path !== undefined ? ` ${s.path}` : ''}${s?.targetRevision ? `@${s.targetRevision}` : ''}`;

function row(sim: Simulation, a: AppRecord): AppRow {
  const spec = a.manifest?.spec ?? {};
  const dest = spec.destination ?? {};
  const cluster = resolveDestination(sim.model, sim.model.clusters, dest);
  const step = a.appSet ? rollingSyncStep(a.appSet.manifest, a.manifest?.metadata?.labels ?? {}) : undefined;
  return {
    name: a.name,
    ...(a.appSet ? { appSet: a.appSet.name } : {}),
    file: a.file,
    project: spec.project || 'default',
    sources: sourcesOf(spec).map((s) => sourceText(s.source)),
    destination: { ...(dest.server ? { server: dest.server } : {}), ...(dest.name ? { name: dest.name } : {}), ...(dest.namespace ? { namespace: dest.namespace } : {}), ...(cluster ? { cluster: cluster.name } : {}) },
    syncWave: a.manifest?.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined || !a.appSet ? waveOf(a.manifest) : waveOf(a.appSet.manifest),
    ...(step !== undefined && a.appSet?.manifest?.spec?.strategy?.type === 'RollingSync' ? { rollingSyncStep: step } : {}),
  };
}

export function appsReport(sim: Simulation): AppsReport {
  const written = sim.model.applications.filter((a) => !a.appSet);
  const groups: AppsReport['groups'] = [];
  if (written.length) groups.push({ file: '', applications: written.map((a) => row(sim, a)) });
  for (const s of sim.model.appSets) groups.push({ appSet: s.name, file: s.file, applications: s.applications.map((a) => row(sim, a)) });
  const prerequisites = sim.model.prerequisites.items.map((p) => ({
    id: p.id,
    ...(p.description ? { description: p.description } : {}),
    ...(p.clusters ? { clusters: p.clusters } : {}),
    provides: [
      ...p.crds.map((c) => `CRDs ${c.group}: ${c.kinds.join(', ')}`),
      ...p.capabilities.map((c) => `capability ${c}`),
      ...p.namespaces.map((n) => `namespace ${n}`),
      ...p.ingressClasses.map((n) => `IngressClass ${n}`),
      ...p.repositoryCredentials.map((u) => `repository credentials for ${u}`),
    ],
  }));
  return { repoUrl: sim.model.repoUrl, groups, prerequisites, findings: sim.findings };
}

export function formatAppsText(r: AppsReport): string {
  const lines: string[] = [];
  const total = r.groups.reduce((n, g) => n + g.applications.length, 0);
  lines.push(`${total} Applications${r.repoUrl ? ` from ${r.repoUrl}` : ''}`);
  for (const g of r.groups) {
    lines.push('', g.appSet ? `ApplicationSet ${g.appSet} (${g.file}): ${g.applications.length} Application${g.applications.length === 1 ? '' : 's'}` : `Applications written as files: ${g.applications.length}`);
    for (const a of g.applications) {
      const dest = `${a.destination.cluster ?? a.destination.name ?? a.destination.server ?? '?'}${a.destination.cluster ? '' : ' (not registered)'}/${a.destination.namespace ?? ''}`;
      lines.push(`  ${a.name}`);
      lines.push(`    project ${a.project}  wave ${a.syncWave}${a.rollingSyncStep !== undefined ? `  step ${a.rollingSyncStep < 0 ? 'none' : a.rollingSyncStep}` : ''}  -> ${dest}${g.appSet ? '' : `  (${a.file})`}`);
      for (const s of a.sources) lines.push(`    source ${s}`);
    }
  }
  lines.push('', r.prerequisites.length ? 'Prerequisites the repository assumes (.gitops-scaffold/prerequisites.yaml):' : 'Prerequisites the repository assumes: none declared (.gitops-scaffold/prerequisites.yaml)');
  for (const p of r.prerequisites) lines.push(`  ${p.id}${p.clusters ? ` on ${p.clusters.join(', ')}` : ''}${p.description ? `: ${p.description}` : ''}${p.provides.length ? ` (${p.provides.join('; ')})` : ''}`);
  const errors = r.findings.filter((f) => f.severity === 'error');
  if (r.findings.length) {
    lines.push('', `Simulation: ${errors.length} error(s), ${r.findings.length - errors.length} other finding(s) (gitops-scaffold validate lists them)`);
    for (const f of errors.slice(0, 20)) lines.push(`  ${f.file ?? ''}${f.line ? `:${f.line}` : ''} [${f.rule}] ${f.message}`);
    if (errors.length > 20) lines.push(`  ... ${errors.length - 20} more`);
  }
  return lines.join('\n');
}
