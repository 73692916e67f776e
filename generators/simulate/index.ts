// The offline simulation of Argo CD (issue 9): one entry, pure. Builds the repository model,
// runs the checks on every Application, replays the bootstrap, checks that everything referenced
// is created by something, and returns the findings with the model (for `apps`).
import type { Finding } from '../check/finding.ts';
import { APP_UNIT_CACHE_PREFIX, applications } from './app-units.ts';
import { readBootstrapCommands, type BootstrapCommand } from './bootstrap-commands.ts';
import { BootstrapWalk, WALK_CACHE_PREFIX, type WalkResult } from './bootstrap.ts';
import { dedupe, simFinding } from './findings.ts';
import { buildRepoModel, EXPANSION_CACHE_PREFIX, pruneExpansionCache, resolveDestination, useCacheKey, type RepoModel, type SimulationInput } from './model.ts';
import { referenceFindings, summarizePlaced } from './references.ts';
import { LOCAL_SERVER } from './argo/secrets.ts';
import { controllerRules } from './controllers/index.ts';
import { RESOURCE_CACHE_PREFIX, type ResourceMemo } from './resource-memo.ts';

export type { SimulationInput, RepoModel } from './model.ts';

export interface Simulation {
  model: RepoModel;
  commands: BootstrapCommand[];
  walk?: WalkResult;
  findings: Finding[];
}

/** Whether a repository is an Argo CD repository at all (anything for the simulation to model). */
export const isArgoRepository = (input: Pick<SimulationInput, 'resources'>) =>
  input.resources.some((r) => String(r.obj?.apiVersion ?? '').startsWith('argoproj.io/') && ['Application', 'ApplicationSet', 'AppProject'].includes(r.obj?.kind));

export function simulateRepository(input: SimulationInput): Simulation {
  const cache = input.cache;
  const memo: ResourceMemo | undefined = cache ? { cache, read: input.read, sha: input.sha, use: (key: string) => useCacheKey(cache, key) } : undefined;
  const model = buildRepoModel(input);
  const findings: Finding[] = [...model.prerequisites.problems];
  for (const u of model.unreadableClusters) findings.push(simFinding('cluster-unreadable', 'info', u.file, '', `${u.message}; the simulation cannot tell which cluster it registers`));
  // Every Application's checks and placement, by ApplicationSet unit (app-units.ts).
  const apps = applications(model, memo);
  for (const a of apps.apps) findings.push(...a.findings);
  findings.push(...apps.appSetFindings);
  const unmodelled = apps.apps.flatMap((a, i) => a.unmodelled.map((source) => ({ app: model.applications[i], source })));
  for (const { app, source } of unmodelled)
    findings.push(simFinding('source-not-modelled', 'info', source.file || app.file, source.pointer, `${source.value}: ${source.reason}; what it deploys is not simulated (kinds it installs count as installed by nobody)`));
  // Releases older than this tool's pins (a repository rendered by an older version): why the
  // kinds they install count as installed by nobody, once, with the way out.
  const older = new Map<string, { app: (typeof unmodelled)[number]['app']; source: (typeof unmodelled)[number]['source'] }>();
  for (const u of unmodelled) if (u.source.olderPin && !older.has(`${u.source.olderPin.component}@${u.source.olderPin.at}`)) older.set(`${u.source.olderPin.component}@${u.source.olderPin.at}`, u);
  if (older.size) {
    const [first] = older.values();
    const list = [...older.values()].map(({ source: s }) => `${s.olderPin!.component} ${s.olderPin!.at} (this tool pins ${s.olderPin!.pin})`);
    findings.push(simFinding('pins-older-than-tool', 'warning', first.source.file || first.app.file, first.source.pointer, `this repository uses releases older than this tool's pins: ${list.join(', ')}; the simulation knows only this tool's releases, so the kinds they install count as installed by nobody (the sim/kind-not-installed warnings that follow)`, 'Run `gitops-scaffold upgrade`: it moves the repository to this tool\'s pins and shows what changes first.'));
  }
  const { commands, source } = readBootstrapCommands(input.read);
  let walk: WalkResult | undefined;
  // The walk reads of the placement only what defines kinds (CRD scopes, who installs a kind).
  if (commands.length) walk = new BootstrapWalk(model, apps.definitions).run(commands);
  else findings.push(simFinding('bootstrap-commands-missing', 'info', source ?? 'README.md', undefined, 'no bootstrap commands found (kubectl apply in a README section about bootstrapping); the bootstrap was not replayed'));
  const clusterNames = new Map<string, string>([[LOCAL_SERVER, 'in-cluster'], ...model.clusters.map((c) => [c.server, c.name] as [string, string])]);
  findings.push(...(walk?.findings ?? []));
  // What the bootstrap applies and an Application deploys again is checked once, as the Application's.
  // (The bootstrap applies to the local cluster only: only what Applications place there can match;
  // an Application's keys are asked for when it places something in a file the bootstrap applies.)
  const bootstrapPlaced = walk?.bootstrapPlaced ?? [];
  const bootstrapFiles = new Set(bootstrapPlaced.filter((p) => p.cluster === LOCAL_SERVER).map((p) => String(p.obj.file)));
  const deployed = new Set<string>();
  apps.apps.forEach((a, i) => {
    if (a.placed?.localFiles.some((f) => bootstrapFiles.has(f))) for (const p of apps.detailed(i).placed!.detail!.local) deployed.add(`${p.cluster}|${p.obj.file}|${p.obj.kind}|${p.obj.name}`);
  });
  const bootstrapOnly = bootstrapPlaced.filter((p) => p.cluster !== LOCAL_SERVER || !deployed.has(`${p.cluster}|${p.obj.file}|${p.obj.kind}|${p.obj.name}`));
  const unseen = new Map<string, string[]>();
  for (const a of apps.apps) for (const source of a.unmodelled) if (a.cluster) unseen.set(a.cluster, [...(unseen.get(a.cluster) ?? []), source.value]);
  const placedApps = apps.apps.map((a, i) => ({ a, i })).filter(({ a }) => a.placed !== null);
  const summaries = [...placedApps.map(({ a }) => a.placed!), summarizePlaced(bootstrapOnly, memo)];
  findings.push(...referenceFindings({ model, placed: [], clusterNames, unmodelled: unseen, memo }, summaries, (j) => apps.detailed(placedApps[j].i).placed!));
  // What the controllers do with single resources' configuration (fix's rules, sim/<area>/...).
  // Both check names and labels; an Application's is reported once, as the Application check's.
  const appNames = new Set(findings.filter((f) => f.rule === 'sim/app-name' || f.rule === 'sim/app-label').map((f) => `${f.file}|${f.path}`));
  findings.push(...controllerRules(input.resources, memo).filter((f) => !(/^sim\/k8s\/invalid-(name|label)$/.test(f.rule) && appNames.has(`${f.file}|${f.path}`))));
  pruneExpansionCache(input.cache, [EXPANSION_CACHE_PREFIX, RESOURCE_CACHE_PREFIX, WALK_CACHE_PREFIX, APP_UNIT_CACHE_PREFIX]);
  return { model, commands, walk, findings: dedupe(findings) };
}
