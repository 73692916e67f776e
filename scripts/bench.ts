// `npm run bench`: the speed targets of the CLI, measured end to end (every measurement spawns
// the real `gitops-scaffold` bin, as a user or a CI job would run it), side by side in one run
// with the floors they are compared against and, optionally, with an older checkout of the tool:
//
//   --help                     vs `node -e 0`                             target <= 2x
//   init --example minimal     vs `cp -r` of the same tree               target <= 0.5 s
//   add one service (fleet)    vs `cp -r` of the fleet                   target <= 0.6 s
//     (the repo as the tool left it: copied, then one no-op render in the copy, untimed; and
//      a fresh clone without .gitops-scaffold/cache, no target, as automation that clones has it)
//   add stopping at once       vs `node -e 0` (start-up + module load)  budget <= 120 ms
//   no-op render (fleet)       vs `cp -r` of the fleet (and in a fresh clone)
//   validate, no kustomize     resources per second                       target >= 10,000/s
//   validate, kustomize builds vs the baseline checkout (cold and warm)   target >= 1.8x faster
//
// The fleet is scripts/bench-fleet.ts: 500 services, 25 tenants, 12 clusters, 3 environments
// (about 8,000 files). Every timed run starts from the same state (a fresh copy where the command
// writes; the copy is not timed). Commands are interleaved round-robin (current, baseline,
// floor, ...) so load from other processes hits every column alike; medians are reported.
//
// What runs is what a user runs: the `current` column is this checkout packed (`npm pack`, which
// builds dist/ and the schemas when stale) and installed offline into a temporary folder, its
// installed bin. `checkout` (the --help and init rows) is this checkout's own bin/, which first
// checks that dist/ is not older than the sources (a walk of generators/** and templates/**; it
// runs the sources through tsx when it is, which the bench prevents by building first); an
// installed package has no sources and no such walk. --no-install measures the checkout as
// `current` (quicker to start; not what a user runs).
//
// Usage: node --import tsx scripts/bench.ts [--runs N] [--only help,init,add,render,validate,kustomize]
//          [--baseline REF|DIR] [--kustomize-runs N] [--services N] [--no-install] [--json]
//   --baseline 89700f6   also measures that commit (a git worktree in .cache/bench-baseline-REF,
//                        npm ci on first use; then packed and installed as `current` is, when
//                        the commit can be packed), e.g. the serial kustomize path it had.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ADDED_SERVICE, fleetSpec } from './bench-fleet.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'kustomize-runs': { type: 'string', default: '1' },
    services: { type: 'string', default: '500' },
    only: { type: 'string' },
    baseline: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-install': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(args.runs));
const KUSTOMIZE_RUNS = Math.max(1, Number(args['kustomize-runs']));
const only = args.only ? new Set(args.only.split(',')) : undefined;
const wants = (phase: string) => !only || only.has(phase);
const log = (s: string) => {
  if (!args.json) console.error(s);
};

// ---------------------------------------------------------------------------------------------
// The tools under test
// ---------------------------------------------------------------------------------------------

interface Tool {
  label: string;
  /** Folder of the checkout (package root). */
  root: string;
  bin: string;
}

const binOf = (root: string) => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['gitops-scaffold'];
  return path.join(root, bin);
};
const checkout: Tool = { label: 'checkout', root: ROOT, bin: binOf(ROOT) };

/** A checkout of an older commit beside this one, installed once (npm ci) and reused. */
function baselineTool(ref: string): Tool {
  if (existsSync(path.join(ref, 'package.json'))) return { label: path.basename(ref), root: path.resolve(ref), bin: binOf(ref) };
  const dir = path.join(ROOT, '.cache', `bench-baseline-${ref}`);
  if (!existsSync(path.join(dir, 'package.json'))) {
    log(`baseline: checking out ${ref} into ${path.relative(ROOT, dir)} and installing it (once)...`);
    mkdirSync(path.dirname(dir), { recursive: true });
    execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, ref], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(path.join(dir, 'node_modules'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  // Measured as `current` is: packed and installed, so neither column pays tsx compiling sources
  // (a checkout without a fresh dist/ runs them through tsx: ~0.7 s more per command). A commit
  // from before the package could be packed runs from its checkout.
  const scripts = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts ?? {};
  if (scripts.prepack) return { ...installedTool(freshInstallDir(path.join(dir, '.cache', 'bench-install')), dir), label: ref };
  return { label: ref, root: dir, bin: binOf(dir) };
}
const freshInstallDir = (d: string) => (rmSync(d, { recursive: true, force: true }), mkdirSync(d, { recursive: true }), d);
const baseline = args.baseline ? baselineTool(args.baseline) : undefined;

/**
 * This checkout as a user gets it: `npm pack` (its `prepack` builds dist/ and the schemas when
 * stale), then `npm install --offline` of the tarball into an empty folder with an empty npm cache.
 */
function installedTool(dir: string, from = ROOT): Tool {
  const npm = (argv: string[], cwd: string) => execFileSync('npm', [...argv, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, npm_config_cache: path.join(dir, 'npm-cache'), npm_config_update_notifier: 'false' } });
  const t = performance.now();
  const tarball = path.join(dir, String(npm(['pack', '--pack-destination', dir], from)).trim().split('\n').pop()!);
  const app = path.join(dir, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), '{"name": "bench-consumer", "private": true}\n');
  npm(['install', '--offline', tarball], app);
  log(`installed ${path.basename(tarball)} (npm pack + install --offline) in ${Math.round(performance.now() - t)} ms`);
  const root = path.join(app, 'node_modules', 'gitops-scaffold');
  return { label: 'current', root, bin: binOf(root) };
}

// ---------------------------------------------------------------------------------------------
// Measuring: spawned commands, interleaved, medians
// ---------------------------------------------------------------------------------------------

const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-bench-'));
// The checkout's bin runs the sources through tsx while dist/ is older than them: build first.
execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-dist.mjs'), '--quiet', '--if-stale'], { stdio: 'inherit' });
const current: Tool = args['no-install'] ? { ...checkout, label: 'current' } : installedTool(mkdtempSync(path.join(tmpRoot, 'install-')));
let tmpCount = 0;
const freshDir = () => path.join(tmpRoot, `d${tmpCount++}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Command {
  /** Column label: `current`, the baseline's ref, or the floor's name. */
  label: string;
  /** Untimed preparation; returns the working folder (or undefined). */
  setup?: () => string | undefined;
  argv: (dir: string | undefined) => string[];
  env?: NodeJS.ProcessEnv;
  cwd?: (dir: string | undefined) => string | undefined;
  /** Exit codes that count as success (default [0]). */
  ok?: number[];
  /** Checks the output of one run; throws when the command did not do its job. */
  verify?: (stdout: string, dir: string | undefined) => void;
}

interface Row {
  name: string;
  medians: Record<string, number>;
  runs: Record<string, number[]>;
  target?: string;
  met?: boolean;
  notes: string[];
}
const rows: Row[] = [];

function timeOnce(c: Command): { ms: number; stdout: string } {
  const dir = c.setup?.();
  const [cmd, ...rest] = c.argv(dir);
  const t = performance.now();
  const r = spawnSync(cmd, rest, { cwd: c.cwd?.(dir) ?? dir ?? tmpRoot, env: { ...process.env, ...c.env }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (!(c.ok ?? [0]).includes(r.status ?? -1)) throw new Error(`${c.label}: ${[cmd, ...rest].join(' ')} exited ${r.status}\n${r.stderr?.slice(0, 3000)}\n${r.stdout?.slice(0, 2000)}`);
  c.verify?.(r.stdout, dir);
  return { ms, stdout: r.stdout };
}

/** Every command once as a warm-up (file cache, baseline's compile caches), then RUNS rounds. */
function measure(name: string, commands: Command[], opts: { runs?: number; warmup?: boolean } = {}): Row {
  const runs: Record<string, number[]> = Object.fromEntries(commands.map((c) => [c.label, []]));
  if (opts.warmup !== false) for (const c of commands) timeOnce(c);
  for (let i = 0; i < (opts.runs ?? RUNS); i++) for (const c of commands) runs[c.label].push(timeOnce(c).ms);
  const row: Row = { name, medians: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])), runs, notes: [] };
  rows.push(row);
  log(`  ${name}: ${Object.entries(row.medians).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  return row;
}

const tools = [current, ...(baseline ? [baseline] : [])];
/** The start-up rows also show this checkout's bin (its dist/ staleness walk included). */
const startupTools = args['no-install'] ? tools : [current, checkout, ...(baseline ? [baseline] : [])];
const node = (tool: Tool, ...argv: string[]) => [process.execPath, tool.bin, ...argv];
const copyOf = (src: string) => () => {
  const dir = freshDir();
  cpSync(src, dir, { recursive: true });
  return dir;
};
const cpFloor = (src: string): Command => ({ label: 'cp -r', argv: () => ['cp', '-r', src, freshDir()] });

// ---------------------------------------------------------------------------------------------
// The fleet, written once by the current tool (init from an answers file, like automation would)
// ---------------------------------------------------------------------------------------------

const services = Number(args.services);
const spec = fleetSpec(services, 25, 12);
const answers = path.join(tmpRoot, 'fleet.yaml');
writeFileSync(answers, stringify(spec));
const fleet = path.join(tmpRoot, 'fleet');
const needsFleet = ['add', 'render', 'validate', 'kustomize'].some(wants);
if (needsFleet) {
  const t = performance.now();
  execFileSync(process.execPath, [current.bin, 'init', '--answers', answers, '--out', fleet, '--yes', '--json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  log(`fleet: ${services} services written by init in ${Math.round(performance.now() - t)} ms`);
}
/**
 * The fleet each tool adds to and renders: its own, so every column runs with the caches it left
 * itself (.gitops-scaffold/cache/ holds the tool's fingerprint: one tool's run would otherwise
 * make the next tool's check, memo and no-op record those of another version, and both columns
 * would measure cold caches). The baseline's is the current fleet rendered once by it (untimed).
 */
const fleetOf = new Map<Tool, string>([[current, fleet]]);
if (baseline && (wants('add') || wants('render'))) {
  const own = path.join(tmpRoot, `fleet-${baseline.label}`);
  cpSync(fleet, own, { recursive: true });
  for (let i = 0; i < 2; i++) execFileSync(process.execPath, [baseline.bin, 'render', '--repo', own, '--json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  fleetOf.set(baseline, own);
}
const addArgs = ['add', 'service', ADDED_SERVICE.name, '--tenant', ADDED_SERVICE.tenant, '--image', ADDED_SERVICE.image!, '--tag', ADDED_SERVICE.tag!, '--port', String(ADDED_SERVICE.port), '--strategy', ADDED_SERVICE.strategy!, '--host', ADDED_SERVICE.host!, '--yes'];

const loadBefore = os.loadavg();
log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);

if (wants('help')) {
  const row = measure('--help', [{ label: 'node -e 0', argv: () => [process.execPath, '-e', '0'] }, // `--help` exited 2 before the command tree (issue 11): both codes count for older checkouts.
    ...startupTools.map((t) => ({ label: t.label, argv: () => node(t, '--help'), ok: [0, 2] }))]);
  const ratio = row.medians.current / row.medians['node -e 0'];
  Object.assign(row, { target: '<= 2x node -e 0', met: ratio <= 2 });
  row.notes.push(`${ratio.toFixed(1)}x node -e 0`);
}

if (wants('init')) {
  const minimal = path.join(ROOT, 'examples', 'minimal');
  const row = measure('init --example minimal', [cpFloor(minimal), ...startupTools.map((t) => ({ label: t.label, argv: () => node(t, 'init', '--example', 'minimal', '--out', freshDir(), '--yes') }))]);
  Object.assign(row, { target: '<= 500 ms', met: row.medians.current <= 500 });
  row.notes.push(`${(row.medians.current / row.medians['cp -r']).toFixed(1)}x cp -r`);
}

/**
 * A copy of a tool's fleet as that tool left it: copied (untimed), then one no-op `render` in the
 * copy (untimed), because a copy gives every file a new inode and ctime, which the stat record
 * (incremental/stat-record.ts) rightly takes for an unknown tree; a developer's checkout the tool
 * ran in keeps them. `fresh`: a fresh clone instead (no .gitops-scaffold/cache at all), as
 * platform automation that clones for every run has it.
 */
const fleetCopy = (t: Tool, how: 'as-left' | 'fresh') => () => {
  const dir = copyOf(fleetOf.get(t)!)();
  if (how === 'fresh') rmSync(path.join(dir, '.gitops-scaffold', 'cache'), { recursive: true, force: true });
  else {
    // The stat record leaves out files changed less than 3 s before a run (its racy margin): a
    // render right after the copy would record none, so it waits that long first (untimed).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3100);
    execFileSync(process.execPath, [t.bin, 'render', '--repo', dir, '--json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  }
  return dir;
};
const verifyAdded = (stdout: string) => {
  const r = JSON.parse(stdout);
  if (!r.ok || !r.files.some((f: any) => f.action === 'create')) throw new Error(`add service did not add: ${stdout.slice(0, 500)}`);
};

if (wants('add')) {
  const row = measure('add one service to the fleet (repo as the tool left it)', [
    cpFloor(fleet),
    ...tools.map((t): Command => ({ label: t.label, setup: fleetCopy(t, 'as-left'), argv: (dir) => node(t, ...addArgs, '--repo', dir!, '--json'), verify: verifyAdded })),
  ]);
  Object.assign(row, { target: '<= 600 ms', met: row.medians.current <= 600 });
  row.notes.push('untimed: copy + one no-op render in the copy');
  const fresh = measure('add one service, fresh clone (no .gitops-scaffold/cache)', [
    cpFloor(fleet),
    ...tools.map((t): Command => ({ label: t.label, setup: fleetCopy(t, 'fresh'), argv: (dir) => node(t, ...addArgs, '--repo', dir!, '--json'), verify: verifyAdded })),
  ]);
  fresh.notes.push('what automation that clones for every run pays');
  // The fixed cost inside that: start-up and loading what `add` runs, measured by an add that
  // stops at once (no platform.yaml at --repo: exit 2), after the add above left its code cache.
  const empty = freshDir();
  mkdirSync(empty);
  const startup = measure('add, stopping at once (start-up + module load)', [
    { label: 'node -e 0', argv: () => [process.execPath, '-e', '0'] },
    ...tools.map((t): Command => ({ label: t.label, argv: () => node(t, ...addArgs, '--repo', empty, '--json'), ok: [2] })),
  ]);
  Object.assign(startup, { target: '<= 120 ms', met: startup.medians.current <= 120 });
  startup.notes.push(`${Math.round(startup.medians.current - startup.medians['node -e 0'])} ms over node -e 0`);
}

if (wants('render')) {
  const row = measure('no-op render of the fleet', [
    cpFloor(fleet),
    ...tools.map((t): Command => ({
      label: t.label,
      argv: () => node(t, 'render', '--repo', fleetOf.get(t)!, '--json'),
      verify: (stdout) => {
        if (!JSON.parse(stdout).noop) throw new Error('render of an unchanged fleet was not a no-op');
      },
    })),
  ]);
  row.notes.push(`${(row.medians.current / row.medians['cp -r']).toFixed(1)}x cp -r`);
  const fresh = measure('no-op render, fresh clone (no .gitops-scaffold/cache)', [
    cpFloor(fleet),
    ...tools.map((t): Command => ({
      label: t.label,
      setup: fleetCopy(t, 'fresh'),
      argv: (dir) => node(t, 'render', '--repo', dir!, '--json'),
      verify: (stdout) => {
        if (!JSON.parse(stdout).noop) throw new Error('render of an unchanged fleet was not a no-op');
      },
    })),
  ]);
  fresh.notes.push(`${(fresh.medians.current / fresh.medians['cp -r']).toFixed(1)}x cp -r`);
}

/** Resources counted by validate's JSON report (the same for every column, checked). */
let validated = 0;
const validateCommand = (t: Tool, label: string, kustomize: boolean, cacheDir?: () => string, extra: string[] = []): Command => ({
  label,
  argv: () => node(t, 'validate', fleet, '--output', 'json', '--kubeconform', 'never', ...(kustomize ? [] : ['--no-kustomize']), ...extra),
  env: cacheDir ? { GITOPS_SCAFFOLD_CACHE_DIR: cacheDir() } : undefined,
  verify: (stdout) => {
    const report = JSON.parse(stdout);
    if (report.summary.error) throw new Error(`${label}: validate found ${report.summary.error} errors on the fleet`);
    if (kustomize && !report.validators.some((v: any) => v.name === 'kustomize' && / \d+ built/.test(v.note ?? ''))) throw new Error(`${label}: no kustomize builds ran (is kubectl or kustomize on PATH?)`);
    validated = report.summary.resources;
  },
});

if (wants('validate')) {
  // Cold: --no-cache (validate's report cache neither read nor written: every check runs); warm:
  // the report cache a previous validate of the unchanged fleet left (report-cache.ts). The
  // baseline runs as it is (a baseline older than the report cache has no --no-cache: always cold).
  const warmCache = freshDir();
  const commands = [
    cpFloor(fleet),
    validateCommand(current, 'current (cold, --no-cache)', false, undefined, ['--no-cache']),
    validateCommand(current, 'current (warm report cache)', false, () => warmCache),
    ...(baseline ? [validateCommand(baseline, baseline.label, false)] : []),
  ];
  timeOnce(commands[2]);
  const row = measure('validate, no kustomize', commands);
  const cold = (validated / row.medians['current (cold, --no-cache)']) * 1000;
  const warm = (validated / row.medians['current (warm report cache)']) * 1000;
  // The target is judged on the cold run: the warm one only shows what an unchanged repository costs.
  Object.assign(row, { target: '>= 10,000 resources/s (cold)', met: cold >= 10000 });
  row.notes.push(`${validated} resources, cold ${Math.round(cold).toLocaleString('en-US')} resources/s, warm (unchanged files, report cache) ${Math.round(warm).toLocaleString('en-US')} resources/s`);
}

if (wants('kustomize')) {
  // Cold: a fresh, empty build cache per run; warm: the cache a previous run left.
  const warmCache = freshDir();
  const commands = [
    validateCommand(current, 'current (cold cache)', true, freshDir),
    validateCommand(current, 'current (warm cache)', true, () => warmCache),
    ...(baseline ? [validateCommand(baseline, baseline.label, true)] : []),
  ];
  // The warm column needs its cache filled once; the others run without warm-up (minutes each).
  timeOnce(commands[1]);
  const row = measure('validate, kustomize builds', commands, { runs: KUSTOMIZE_RUNS, warmup: false });
  if (baseline) {
    const cold = row.medians[baseline.label] / row.medians['current (cold cache)'];
    const warm = row.medians[baseline.label] / row.medians['current (warm cache)'];
    Object.assign(row, { target: '>= 1.8x faster than baseline', met: cold >= 1.8 });
    row.notes.push(`${cold.toFixed(1)}x faster cold, ${warm.toFixed(1)}x warm`);
  } else row.notes.push('pass --baseline 89700f6 for the ratio');
}

const loadAfter = os.loadavg();
rmSync(tmpRoot, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

if (!args.json) {
  const fmt = (ms: number | undefined) => (ms === undefined ? '' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.medians)))];
  const head = ['measurement', ...columns, 'target', 'notes'];
  const table = rows.map((r) => [r.name, ...columns.map((c) => fmt(r.medians[c])), r.target ? `${r.target}: ${r.met ? 'met' : 'MISSED'}` : '', r.notes.join('; ')]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i > 0 && i <= columns.length ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(`\ngitops-scaffold bench: medians of ${RUNS} runs (kustomize: ${KUSTOMIZE_RUNS}), interleaved; fleet of ${services} services; ${os.cpus().length} CPUs, node ${process.version}`);
  console.log(`current = ${args['no-install'] ? "this checkout's bin (--no-install)" : 'the packed package installed offline (what a user runs)'}${startupTools.includes(checkout) ? "; checkout = this checkout's bin (adds its dist/ staleness walk)" : ''}`);
  console.log(`load average: before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) console.log(line(t));
}
console.log(JSON.stringify({ bench: 'gitops-scaffold', services, runs: RUNS, measured: args['no-install'] ? 'checkout' : 'installed', node: process.version, loadBefore, loadAfter, rows }));
