// End-to-end performance of the generator and the validator on a large fleet model, built in
// memory in the shape of examples/enterprise/platform.yaml: 500 services, 25 tenants, 12 clusters
// (a hub and spokes), 3 environments, a mix of canary / blue-green / rolling services, some with
// secrets, migrations, smoke tests and hosts.
//
// Measures, each as the median of a few runs after one warm-up, in fresh temp folders:
//   render        renderSpec(fleet) (pure: validate, plan, render, re-parse)
//   init          run() into an empty folder (render + check + write), also with check: false
//   add service   run() with previousSpec / previousModelText on the written fleet repo and one more
//                 service (what `gitops-scaffold add service` does), also with check: false
//   validate      validateCommand on the written repo, kubeconform never, kustomize off / on
//                 (with kustomize: one run, no warm-up; it spawns kubectl per kustomization)
// and the peak memory (maxRSS) after each phase. Prints a table and one JSON line.
//
// Targets (2-core machine): render < 3 s, add one service < 0.6 s, validate >= 10,000 resources/s.
//
// Usage: node --import tsx scripts/bench.ts [--runs N] [--services N] [--only render,init,add,validate,kustomize] [--json] [--dump FILE]
//   `npm run bench`; profile with `node --cpu-prof --import tsx scripts/bench.ts --only add`.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSpecText } from '../generators/model/serialize.ts';
import type { ClusterSpec, PlatformSpec, ServiceSpec, TenantSpec } from '../generators/model/types.ts';
import { renderSpec, run } from '../generators/pipeline.ts';
import { validateCommand } from '../generators/validate/command.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    services: { type: 'string', default: '500' },
    tenants: { type: 'string', default: '25' },
    clusters: { type: 'string', default: '12' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    /** Write the fleet's render (path -> content, JSON) to this file and exit: for byte-identity checks across versions. */
    dump: { type: 'string' },
  },
});
const RUNS = Math.max(1, Number(args.runs));
const only = args.only ? new Set(args.only.split(',')) : undefined;
const wants = (phase: string) => !only || only.has(phase);

// ---------------------------------------------------------------------------------------------
// The fleet model
// ---------------------------------------------------------------------------------------------

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];
const STRATEGIES = ['canary', 'blueGreen', 'rolling'] as const;

function fleetClusters(n: number): ClusterSpec[] {
  const clusters: ClusterSpec[] = [{ name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev', region: 'eu-west-1', labels: { role: 'hub' } }];
  for (let i = 1; i < n; i++) {
    // After the hub (dev): roughly a quarter dev, a third staging, the rest prod.
    const env = i <= Math.floor((n - 1) / 4) ? 'dev' : i <= Math.floor((n - 1) / 4) + Math.ceil((n - 1) / 3) ? 'staging' : 'prod';
    const region = REGIONS[i % REGIONS.length];
    const name = `${env}-${region.replace(/-\d$/, '')}-${i}`;
    clusters.push({ name, server: `https://${name}.k8s.acme.example.com`, environment: env, region, labels: { tier: i % 2 ? 'general' : 'compute' } });
  }
  return clusters;
}

function fleetTenants(n: number): TenantSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `team-${String(i).padStart(2, '0')}`;
    const t: TenantSpec = {
      name,
      description: `Team ${i}`,
      namespaces: i % 3 === 0 ? [name, `${name}-jobs`] : [name],
      groups: { admin: [`${name}-leads`], developer: [`${name}-devs`], ...(i % 4 === 0 ? { readonly: [`${name}-support`] } : {}) },
    };
    if (i % 2 === 0) t.repos = [`https://github.com/acme/${name}-config.git`];
    if (i % 5 === 0) t.quota = { cpu: '16', memory: '32Gi', pods: 100 };
    if (i % 7 === 3) t.environments = ['dev', 'staging']; // not in production yet
    return t;
  });
}

function fleetService(i: number, tenants: TenantSpec[]): ServiceSpec {
  const tenant = tenants[i % tenants.length];
  const name = `svc-${String(i).padStart(3, '0')}`;
  const strategy = STRATEGIES[i % STRATEGIES.length];
  const s: ServiceSpec = {
    name,
    tenant: tenant.name,
    description: `Service ${i} of ${tenant.name}`,
    image: `ghcr.io/acme/${name}`,
    tag: `1.${i % 40}.${i % 7}`,
    port: i % 4 === 0 ? 9090 : 8080,
    strategy,
    healthPath: i % 2 ? '/healthz' : '/health/ready',
  };
  if (i % 3 === 0) s.replicas = 2 + (i % 3);
  if (i % 5 === 0) Object.assign(s, { cpu: '250m', memory: '384Mi' });
  if (i % 6 === 0) s.digest = `sha256:${(i.toString(16).padStart(4, '0') + '4b1c3f0e8a9d2c7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c').slice(0, 64)}`;
  if (strategy !== 'rolling' && i % 2 === 0) s.host = `${name}.acme.example.com`;
  if (i % 4 === 1) s.secrets = [{ name: `${name}-db`, key: `${tenant.name}/${name}/database`, properties: ['username', 'password'] }];
  if (i % 20 === 1) s.secrets!.push({ name: `${name}-api`, key: `${tenant.name}/${name}/api`, properties: ['api-key'] });
  if (i % 8 === 2) s.migration = { command: [`/app/${name}`, 'migrate', 'up'] };
  if (strategy !== 'rolling' && i % 5 === 2) s.smokeTest = { path: '/smoke' };
  if (i % 9 === 0) s.overrides = { dev: { replicas: 1, tag: `1.${(i % 40) + 1}.0-rc.1` }, ...(tenant.environments ? {} : { prod: { replicas: 4, cpu: '1', memory: '1Gi' } }) };
  if (tenant.environments) s.environments = tenant.environments;
  return s;
}

function fleetSpec(services: number, tenantCount: number, clusterCount: number): PlatformSpec {
  const enterprise = parseSpecText(readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8'), 'enterprise') as PlatformSpec;
  const tenants = fleetTenants(tenantCount);
  return {
    ...enterprise,
    name: 'fleet',
    repo: { url: 'https://github.com/acme/fleet-gitops.git', revision: 'v2026.11.0' },
    environments: ENVIRONMENTS.map((name) => enterprise.environments.find((e) => e.name === name)!),
    clusters: fleetClusters(clusterCount),
    tenants,
    services: Array.from({ length: services }, (_, i) => fleetService(i, tenants)),
    // delivery (istio canary), secrets (external-secrets + vault), ci: the enterprise example's.
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-bench-'));
let tmpCount = 0;
const freshDir = () => path.join(tmpRoot, `r${tmpCount++}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB

interface Measure {
  name: string;
  ms: number;
  runs: number[];
  target?: string;
  ok?: boolean;
  extra?: string;
  rate?: number;
  maxRssMb: number;
  heapMb: number;
}
const results: Measure[] = [];

/** Median of RUNS timed calls after one warm-up; `setup` (not timed) runs before each call. */
async function measure<T>(name: string, fn: (input: T) => unknown, setup: () => T = () => undefined as T, opts: { target?: number; warmup?: boolean; runs?: number } = {}) {
  if (opts.warmup !== false) await fn(setup());
  const runs: number[] = [];
  let last: unknown;
  for (let i = 0; i < (opts.runs ?? RUNS); i++) {
    const input = setup();
    const t = performance.now();
    last = await fn(input);
    runs.push(performance.now() - t);
  }
  const m: Measure = { name, ms: median(runs), runs, maxRssMb: maxRssMb(), heapMb: mb(process.memoryUsage().heapUsed) };
  if (opts.target !== undefined) Object.assign(m, { target: `< ${opts.target} ms`, ok: m.ms < opts.target });
  results.push(m);
  if (!args.json) console.error(`  ${name}: ${Math.round(m.ms)} ms (runs ${runs.map(Math.round).join(', ')})`);
  return { m, last };
}

const spec = fleetSpec(Number(args.services), Number(args.tenants), Number(args.clusters));
const added: PlatformSpec = {
  ...spec,
  services: [
    ...spec.services!,
    { name: 'svc-new', tenant: 'team-01', description: 'The one added service', image: 'ghcr.io/acme/svc-new', tag: '0.1.0', port: 8080, strategy: 'canary', host: 'svc-new.acme.example.com', secrets: [{ name: 'svc-new-db', key: 'team-01/svc-new/database', properties: ['password'] }] },
  ],
};

if (args.dump) {
  const { writeFileSync } = await import('node:fs');
  const out: Record<string, string> = {};
  for (const f of renderSpec(spec)) out[`fleet/${f.path}`] = f.content;
  for (const f of renderSpec(added)) out[`fleet-added/${f.path}`] = f.content;
  for (const example of ['minimal', 'enterprise']) {
    const text = readFileSync(path.join(ROOT, 'examples', example, 'platform.yaml'), 'utf8');
    for (const f of renderSpec(parseSpecText(text, example), text)) out[`${example}/${f.path}`] = f.content;
  }
  writeFileSync(args.dump, JSON.stringify(out));
  console.error(`wrote ${Object.keys(out).length} files to ${args.dump}`);
  rmSync(tmpRoot, { recursive: true, force: true });
  process.exit(0);
}

const t0 = performance.now();
const firstRender = renderSpec(spec);
const coldMs = performance.now() - t0;
if (!args.json) console.error(`fleet: ${spec.services!.length} services, ${spec.tenants!.length} tenants, ${spec.clusters.length} clusters, ${spec.environments.length} environments -> ${firstRender.length} files (cold render ${Math.round(coldMs)} ms)`);

// The written fleet repo every "add" and "validate" run starts from.
const fleetRepo = freshDir();
run({ root: fleetRepo, spec });
const modelText = readFileSync(path.join(fleetRepo, 'platform.yaml'), 'utf8');
const previousSpec = parseSpecText(modelText, 'platform.yaml');

const copyOfFleet = () => {
  const dir = freshDir();
  cpSync(fleetRepo, dir, { recursive: true });
  return dir;
};

if (wants('render')) await measure('render (renderSpec)', () => renderSpec(spec), undefined, { target: 3000 });
if (wants('init')) {
  await measure('init (run into empty dir)', (dir: string) => run({ root: dir, spec }), freshDir);
  await measure('init, check: false', (dir: string) => run({ root: dir, spec, check: false }), freshDir);
}
if (wants('add')) {
  const addOne = (dir: string, check: boolean) => {
    const r = run({ root: dir, spec: added, previousModelText: modelText, previousSpec, check });
    if (r.conflicts.length || !r.applied?.written.length) throw new Error('add service: unexpected result');
    return r;
  };
  const { last } = await measure('add one service (run with previous)', (dir: string) => addOne(dir, true), copyOfFleet, { target: 600 });
  const r = last as ReturnType<typeof run>;
  const counts = r.changes.reduce<Record<string, number>>((acc, c) => ((acc[c.kind] = (acc[c.kind] ?? 0) + 1), acc), {});
  results[results.length - 1].extra = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');
  await measure('add one service, check: false', (dir: string) => addOne(dir, false), copyOfFleet);
}
for (const kustomize of [false, true]) {
  if (!wants(kustomize ? 'kustomize' : 'validate')) continue;
  const name = kustomize ? 'validate (kustomize builds)' : 'validate (no kustomize)';
  let resources = 0;
  const { m } = await measure(
    name,
    async () => {
      const res = await validateCommand({ paths: [fleetRepo], output: 'json', kubeconform: 'never', kustomize });
      const report = JSON.parse(res.stdout);
      resources = report.resources ?? report.summary?.resources ?? 0;
      if (res.exitCode !== 0) throw new Error(`validate found errors:\n${res.stdout.slice(0, 2000)}`);
    },
    undefined,
    // kustomize builds spawn kubectl once per kustomization (minutes on a fleet): one timed run.
    kustomize ? { warmup: false, runs: 1 } : {},
  );
  m.rate = Math.round((resources / m.ms) * 1000);
  m.extra = `${resources} resources, ${m.rate.toLocaleString('en-US')} resources/s`;
  if (!kustomize) Object.assign(m, { target: '>= 10,000 resources/s', ok: m.rate >= 10000 });
}

rmSync(tmpRoot, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const peak = maxRssMb();
if (!args.json) {
  const rows = results.map((r) => [r.name, `${Math.round(r.ms)} ms`, r.target ? `${r.target} ${r.ok ? 'ok' : 'MISSED'}` : '', `${r.maxRssMb} MB`, r.extra ?? '']);
  const head = ['measurement', 'median', 'target', 'maxRSS so far', 'notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(`\nfleet: ${spec.services!.length} services, ${spec.tenants!.length} tenants, ${spec.clusters.length} clusters, ${firstRender.length} files; median of ${RUNS} runs after a warm-up; ${os.cpus().length} CPUs, node ${process.version}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(`peak memory: maxRSS ${peak} MB, heap used now ${mb(process.memoryUsage().heapUsed)} MB\n`);
}
console.log(
  JSON.stringify({
    bench: 'gitops-scaffold',
    services: spec.services!.length,
    tenants: spec.tenants!.length,
    clusters: spec.clusters.length,
    files: firstRender.length,
    runs: RUNS,
    coldRenderMs: Math.round(coldMs),
    results: results.map((r) => ({ name: r.name, ms: Math.round(r.ms), runs: r.runs.map(Math.round), ...(r.rate !== undefined ? { resourcesPerSecond: r.rate } : {}), ...(r.target ? { target: r.target, ok: r.ok } : {}), maxRssMb: r.maxRssMb })),
    peakMaxRssMb: peak,
  }),
);
