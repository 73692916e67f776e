// Holds the offline simulation of this checkout EXACTLY equal to another checkout's (a
// baseline commit): same findings in the same order with the same lines and messages, the same
// `apps` report, the same walk outcomes. Every speed-up of generators/simulate is checked with it
// before it lands (issue 11): speed may change, answers never.
//
//   git -C . worktree add /tmp/sim-base 740bba2 && ln -s "$PWD/node_modules" /tmp/sim-base/node_modules
//   node --import tsx scripts/sim-equal.ts --base /tmp/sim-base --fleet /tmp/fleet [--time]
//
// Repositories compared: the fleet (a rendered 500-service repo, `--fleet`), a broken copy of it
// (brokenFleet below: Go-map names, missing and removed projects, constant fallbacks, client-side
// applies, a missing namespace), both examples, the simulation's defect fixtures and the
// controller fixtures. Each side runs in its own process (`--dump`), importing its own sources.
// Besides the plain run, this checkout is also run the way the pre-write check runs it: through
// simulateRendered with the cache of a previous run carried through JSON (cold, then warm): the
// findings must be the baseline's plain ones.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Dump {
  findings: unknown[];
  apps: unknown;
  reached?: string[];
  /** The pre-write path (simulateRendered) without a cache. */
  rendered: unknown[];
  /** The same with a cold cache, then with the cache carried over (JSON). */
  cached?: { cold: unknown[]; warm: unknown[] };
  cpuMs: number;
}

async function dump(codeRoot: string, out: string, dirs: string[], withCache: boolean): Promise<void> {
  const mod = async (p: string) => import(pathToFileURL(path.join(codeRoot, p)).href);
  const { readRepoFiles } = await mod('generators/validate/repo-files.ts');
  const { classifyManifests } = await mod('generators/validate/pipeline.ts');
  const { simulateRepository } = await mod('generators/simulate/index.ts');
  const { simulateRendered } = await mod('generators/simulate/rendered.ts');
  const { diskReader } = await mod('generators/simulate/on-disk.ts');
  const { defaultExpander } = await mod('generators/simulate/expander.ts');
  const { appsReport } = await mod('generators/simulate/apps-report.ts');
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const result: Record<string, Dump> = {};
  for (const dir of dirs) {
    const files = readRepoFiles([dir]);
    const c = classifyManifests(files.manifests, files.all);
    const t = cpu();
    const sim = simulateRepository({ resources: c.resources, repo: c.repo, read: diskReader(files.root), expand: defaultExpander() });
    const cpuMs = Math.round(cpu() - t);
    const entry: Dump = {
      findings: sim.findings,
      apps: appsReport(sim),
      reached: sim.walk?.reached.map((r: any) => `${r.app.name}|${r.app.file}|${r.outcome.health}|${r.outcome.reason ?? ''}`),
      rendered: [],
      cpuMs,
    };
    // As the pre-write check: the texts it rendered, resources parsed anew per run.
    const texts = [...new Set([...files.all])].map((p: string) => ({ path: p, content: fs.readFileSync(path.join(files.root, p), 'utf8') }));
    const run = (cache?: Map<string, unknown>) => {
      const again = classifyManifests(files.manifests, files.all);
      return simulateRendered(texts, again.resources, again.repo, cache ? { cache } : {});
    };
    entry.rendered = run();
    if (withCache) {
      const cache = new Map<string, unknown>();
      const cold = run(cache);
      const carried = new Map<string, unknown>(JSON.parse(JSON.stringify([...cache].filter(([k]) => k.startsWith('sim/')))));
      const warm = run(carried);
      entry.cached = { cold, warm };
    }
    result[dir] = JSON.parse(JSON.stringify(entry));
  }
  fs.writeFileSync(out, JSON.stringify(result));
}

/** A copy of the fleet with the defects the simulation must find, at fleet scale. */
export function brokenFleet(fleet: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(fleet, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}.gitops-scaffold${path.sep}cache`) });
  const edit = (rel: string, change: (s: string) => string) => {
    const f = path.join(to, rel);
    if (!fs.existsSync(f)) return;
    const before = fs.readFileSync(f, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`brokenFleet: ${rel} unchanged (the fleet's layout moved: update the edit)`);
    fs.writeFileSync(f, after);
  };
  const tenants = fs.readdirSync(path.join(to, 'argocd/apps')).filter((f) => /^tenant-team-\d+\.yaml$/.test(f)).sort();
  tenants.forEach((t, i) => {
    // Go-map names: the cluster file's own `cluster` key replaced by {path: ...} (issue 9).
    if (i % 3 === 0) edit(`argocd/apps/${t}`, (s) => s.replace('pathParamPrefix: clusterFile', 'pathParamPrefix: cluster'));
    // A project that exists nowhere.
    if (i % 5 === 1) edit(`argocd/apps/${t}`, (s) => s.replace(/project: "team-(\d+)"/, 'project: "ghost-$1"'));
  });
  // Client-side applies: the add-ons lose ServerSideApply.
  for (const f of fs.readdirSync(path.join(to, 'argocd/apps')).filter((f) => f.startsWith('addon-')))
    edit(`argocd/apps/${f}`, (s) => (s.includes('ServerSideApply=true') ? s.replace('ServerSideApply=true', 'ServerSideApply=false') : s + '\n'));
  // A removed project: its AppProject file deleted (still listed by the kustomization: a build error too).
  fs.rmSync(path.join(to, 'argocd/projects/team-04.yaml'), { force: true });
  // Constant fallbacks in Rollouts analysis (every 25th service).
  let n = 0;
  const apps = path.join(to, 'apps');
  for (const tenant of fs.readdirSync(apps).sort()) {
    const dir = path.join(apps, tenant);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const svc of fs.readdirSync(dir).sort()) {
      const f = path.join(dir, svc, 'base', 'analysis-templates.yaml');
      if (!fs.existsSync(f) || n++ % 25) continue;
      const s = fs.readFileSync(f, 'utf8');
      fs.writeFileSync(f, s.replace(/\) >= 0\n/, ') or on() vector(0)\n'));
    }
  }
  // A namespace missing outright: one tenant namespace file of one cluster removed.
  const clusters = path.join(to, 'clusters');
  if (fs.existsSync(clusters)) {
    const first = fs.readdirSync(clusters).sort().find((c) => fs.existsSync(path.join(clusters, c, 'namespaces')));
    if (first) {
      const nsDir = path.join(clusters, first, 'namespaces');
      const victim = fs.readdirSync(nsDir).sort().find((f) => f.startsWith('team-'));
      if (victim) fs.rmSync(path.join(nsDir, victim), { recursive: true, force: true });
    }
  }
}

function compare(a: Record<string, Dump>, b: Record<string, Dump>, label: string): number {
  let bad = 0;
  for (const dir of Object.keys(a)) {
    const x = a[dir], y = b[dir];
    const parts: [string, unknown, unknown][] = [
      ['findings', x.findings, y?.findings],
      ['apps', x.apps, y?.apps],
      ['reached', x.reached, y?.reached],
      ['rendered', x.rendered, y?.rendered],
      ...(y?.cached ? ([['cached cold', x.rendered, y.cached.cold], ['cached warm', x.rendered, y.cached.warm]] as [string, unknown, unknown][]) : []),
    ];
    for (const [what, p, q] of parts) {
      if (JSON.stringify(p) === JSON.stringify(q)) continue;
      bad++;
      console.log(`DIFF ${label} ${dir}: ${what}`);
      const pa = Array.isArray(p) ? p : [p], qa = Array.isArray(q) ? q : [q];
      for (let i = 0; i < Math.max(pa.length, qa.length); i++)
        if (JSON.stringify(pa[i]) !== JSON.stringify(qa[i])) {
          console.log(`  at ${i} of ${pa.length}/${qa.length}\n  - ${JSON.stringify(pa[i])?.slice(0, 600)}\n  + ${JSON.stringify(qa[i])?.slice(0, 600)}`);
          break;
        }
    }
  }
  return bad;
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--dump') return dump(args[1], args[2], args.slice(4), args[3] === 'cache');
  const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const base = opt('--base');
  if (!base) throw new Error('usage: sim-equal.ts --base <checkout of the baseline> [--fleet <rendered fleet>]');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-equal-'));
  const dirs = [path.join(HERE, 'examples/minimal'), path.join(HERE, 'examples/enterprise')];
  for (const group of ['test/simulate/fixtures/defects', 'test/fixtures/controllers']) {
    const g = path.join(HERE, group);
    if (fs.existsSync(g)) for (const d of fs.readdirSync(g).sort()) if (fs.statSync(path.join(g, d)).isDirectory()) dirs.push(path.join(g, d));
  }
  const fleet = opt('--fleet');
  if (fleet) {
    const broken = path.join(work, 'broken-fleet');
    brokenFleet(fleet, broken);
    dirs.unshift(path.resolve(fleet), broken);
  }
  const side = (root: string, out: string, cache: boolean) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(HERE, 'scripts/sim-equal.ts'), '--dump', root, out, cache ? 'cache' : 'plain', ...dirs], { cwd: HERE, stdio: ['ignore', 'inherit', 'inherit'], maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`the ${root} side failed (exit ${r.status})`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, Dump>;
  };
  const a = side(path.resolve(base), path.join(work, 'base.json'), false);
  const b = side(HERE, path.join(work, 'current.json'), true);
  const bad = compare(a, b, 'base->current');
  for (const dir of dirs.slice(0, fleet ? 2 : 0)) {
    const found = b[dir].findings as { rule: string }[];
    const rules = new Map<string, number>();
    for (const f of found) rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
    console.log(`${path.basename(dir)}: ${found.length} findings (${[...rules].map(([r, k]) => `${r.replace(/^sim\//, '')} ${k}`).join(', ')}); simulation CPU base ${a[dir].cpuMs} ms, current ${b[dir].cpuMs} ms`);
  }
  console.log(bad ? `${bad} differences` : `all ${dirs.length} repositories equal (findings, lines, apps report, walk; pre-write path cold and warm)`);
  if (!args.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
