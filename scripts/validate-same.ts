// Holds `validate`'s output byte for byte against an older commit while its speed work goes on:
// the same report (findings, order, counts, lines, text / JSON / SARIF / JUnit) and exit code on
// the benchmark's 500-service fleet, a broken copy of it with findings of every layer (parse,
// schema, kustomize paths, xref, lint-free simulation), and both examples.
// Not a test in `npm test` (minutes on the fleet); run it before landing a change to validate.
// Usage: node --import tsx scripts/validate-same.ts --baseline 740bba2 [--services 500] [--keep]
//   --baseline REF|DIR  the reference: a checkout folder, or a commit checked out (once) into
//                       .cache/bench-baseline-REF like scripts/bench.ts does.
// The current tool runs each case twice, with and without validate's worker thread.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { fleetSpec } from './bench-fleet.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: { baseline: { type: 'string' }, services: { type: 'string', default: '500' }, keep: { type: 'boolean', default: false } },
});
if (!args.baseline) {
  console.error('usage: node --import tsx scripts/validate-same.ts --baseline REF|DIR [--services N] [--keep]');
  process.exit(2);
}

const binOf = (root: string) => path.join(root, 'bin', 'gitops-scaffold.js');
function baselineRoot(ref: string): string {
  if (existsSync(path.join(ref, 'package.json'))) return path.resolve(ref);
  const dir = path.join(ROOT, '.cache', `bench-baseline-${ref}`);
  if (!existsSync(path.join(dir, 'package.json'))) {
    console.error(`baseline: checking out ${ref} into ${path.relative(ROOT, dir)} (once)...`);
    execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, ref], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(path.join(dir, 'node_modules'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}
const base = baselineRoot(args.baseline);
// Both run their built bundle (dist/), as users do; build each when stale.
for (const root of [ROOT, base]) execFileSync(process.execPath, [path.join(root, 'scripts', 'build-dist.mjs'), '--quiet', '--if-stale'], { cwd: root, stdio: 'inherit' });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'validate-same-'));
const fleet = path.join(tmp, 'fleet');
writeFileSync(path.join(tmp, 'fleet.yaml'), stringify(fleetSpec(Number(args.services), 25, 12)));
execFileSync(process.execPath, [binOf(ROOT), 'init', '--answers', path.join(tmp, 'fleet.yaml'), '--out', fleet, '--yes', '--json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
rmSync(path.join(fleet, '.gitops-scaffold', 'cache'), { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// The broken fleet: deterministic damage of every kind validate reports, spread over the files
// ---------------------------------------------------------------------------------------------

const broken = path.join(tmp, 'broken');
cpSync(fleet, broken, { recursive: true });
const files: string[] = [];
const walk = (dir: string, rel = '') => {
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(abs).isDirectory()) {
      if (!name.startsWith('.')) walk(abs, r);
    } else files.push(r);
  }
};
walk(broken);
const edit = (rel: string, f: (text: string) => string) => writeFileSync(path.join(broken, rel), f(readFileSync(path.join(broken, rel), 'utf8')));
const each = (re: RegExp, every: number, f: (text: string, i: number) => string) =>
  files.filter((p) => re.test(p)).forEach((p, i) => {
    if (i % every === 0) edit(p, (t) => f(t, i));
  });
each(/\/base\/rollout\.yaml$/, 7, (t) => t.replace(/^(\s+)replicas: \d+/m, '$1replicas: "three"')); // schema: type
each(/\/base\/services\.yaml$/, 11, (t) => t.replace(/^(metadata:\n)(\s+)name: (.*)$/m, '$1$2name: $3\n$2name: $3-again')); // parse: duplicate key
each(/\/base\/hpa\.yaml$/, 13, (t) => t.replace(/^(\s+)name: (.*)$/m, '$1name: $2\n$1bogusField: 1')); // schema: unknown field
each(/\/base\/kustomization\.yaml$/, 17, (t) => t.replace(/^resources:\n/m, 'resources:\n  - missing-file.yaml\n')); // kustomize: missing path
each(/\/base\/pdb\.yaml$/, 19, (t) => t.replace(/^kind: .*$/m, 'kind: PodDisruptionBudget\n  broken: [indent')); // parse: syntax
each(/\/base\/networkpolicy\.yaml$/, 23, (t) => t.replace(/^metadata:\n\s+name: .*\n/m, 'metadata:\n')); // schema: missing name
each(/\/base\/serviceaccount\.yaml$/, 29, (t) => t.replace(/\n/g, '\r\n')); // CRLF: the full parser's path
each(/\/base\/analysis-templates\.yaml$/, 31, (t) => `${t}\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {}\n`);
each(/\/overlays\/[^/]+\/kustomization\.yaml$/, 37, (t) => t.replace(/^apiVersion: .*$/m, 'apiVersion: kustomize.config.k8s.io/v1beta1\nnamePrefix: &p x-\nnameSuffix: *p')); // anchors
each(/^argocd\/projects\/team-0[3-5]\.yaml$/, 1, () => '# removed by hand\n'); // simulation: missing projects
each(/^clusters\/[^/]+\/namespaces\/[^/]+\.yaml$/, 41, (t) => t.replace(/^apiVersion: v1$/m, 'apiVersion: v1beta9')); // schema: missing schema
writeFileSync(path.join(broken, 'apps', 'notes.yaml'), 'just: a mapping\n---\n- a list\n---\n42\n');

// ---------------------------------------------------------------------------------------------
// Runs: every repository in every format, both tools, compared byte for byte
// ---------------------------------------------------------------------------------------------

const examples = ['minimal', 'enterprise'].map((e) => {
  const dir = path.join(tmp, e);
  cpSync(path.join(ROOT, 'examples', e), dir, { recursive: true });
  return dir;
});
const cases: { name: string; argv: string[] }[] = [];
for (const format of ['text', 'json']) cases.push({ name: `fleet ${format}`, argv: [fleet, '--no-kustomize', '--output', format] });
for (const format of ['text', 'json', 'sarif', 'junit']) cases.push({ name: `broken ${format}`, argv: [broken, '--no-kustomize', '--output', format] });
cases.push({ name: 'broken json --no-simulate', argv: [broken, '--no-kustomize', '--no-simulate', '--output', 'json'] });
for (const dir of examples) for (const format of ['text', 'json']) cases.push({ name: `${path.basename(dir)} ${format}`, argv: [dir, '--output', format] });
cases.push({ name: 'enterprise json --no-kustomize', argv: [examples[1], '--no-kustomize', '--output', 'json'] });

let failed = 0;
for (const c of cases) {
  const run = (root: string, workers?: 'on' | 'off') => {
    const t = performance.now();
    // A fresh kustomize build cache for each: both columns build, neither reads the other's.
    const r = spawnSync(process.execPath, [binOf(root), 'validate', ...c.argv, '--kubeconform', 'never'], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, GITOPS_SCAFFOLD_CACHE_DIR: mkdtempSync(path.join(tmp, 'cache-')), NO_COLOR: '1', ...(workers ? { GITOPS_SCAFFOLD_WORKERS: workers } : {}) },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t };
  };
  const a = run(base);
  // The current tool both ways: with its worker thread (validate/parallel.ts) and without.
  const b = run(ROOT, 'on');
  const b2 = run(ROOT, 'off');
  const same = a.status === b.status && a.stdout === b.stdout && a.stderr === b.stderr && a.status === b2.status && a.stdout === b2.stdout && a.stderr === b2.stderr;
  if (!same) {
    failed++;
    const out = path.join(tmp, c.name.replace(/\W+/g, '-'));
    writeFileSync(`${out}.base`, a.stdout);
    writeFileSync(`${out}.current`, b.stdout);
    writeFileSync(`${out}.current-no-worker`, b2.stdout);
    console.log(`DIFFERENT ${c.name}: exit ${a.status} vs ${b.status} / ${b2.status} (no worker), stdout ${a.stdout.length} vs ${b.stdout.length} / ${b2.stdout.length} bytes, stderr ${JSON.stringify(a.stderr.slice(0, 200))} vs ${JSON.stringify(b.stderr.slice(0, 200))}; see ${out}.{base,current}`);
  } else {
    const findings = (a.stdout.match(/"rule":/g) ?? []).length;
    console.log(`same      ${c.name}: exit ${a.status}, ${a.stdout.length} bytes${findings ? `, ${findings} findings` : ''} (${Math.round(a.ms)} vs ${Math.round(b.ms)} ms, ${Math.round(b2.ms)} without the worker)`);
  }
}
if (!args.keep && !failed) rmSync(tmp, { recursive: true, force: true });
else console.log(`kept ${tmp}`);
console.log(failed ? `${failed} of ${cases.length} cases differ` : `all ${cases.length} cases byte-identical`);
process.exit(failed ? 1 : 0);
