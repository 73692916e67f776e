// Development script: re-derives test/simulate/fixtures/upstream-components.json, the facts the
// component table (generators/model/components.ts) states about each pinned upstream base and
// chart, from the upstream sources at the pinned tags. Needs the bare mirrors
// (/work/.mirror/<owner>+<repo>/repo, or MIRRORS=dir) and `kubectl` (kustomize builds of the Argo
// bases); nothing upstream is committed, only the derived names, kinds, sizes and the sha256 of
// each upstream file read. test/simulate/components.test.ts holds the table equal to the fixture.
//
//   node --import tsx scripts/derive-components.ts          # rewrite the fixture
//   node --import tsx scripts/derive-components.ts --check  # exit 1 when the fixture is stale
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { lastAppliedBytes, type PinName } from '../generators/model/components.ts';
import { pins } from '../generators/model/versions.ts';

const MIRRORS = process.env.MIRRORS ?? '/work/.mirror';
const OUT = path.join(import.meta.dirname, '..', 'test', 'simulate', 'fixtures', 'upstream-components.json');

interface KustomizeSource { id: string; pin: PinName; mirror: string; tag: string; dir: string }
interface ChartSource {
  id: string;
  pin: PinName;
  mirror: string;
  tag: string;
  chartDir: string;
  /** Plain CRD files the chart installs (or the bundle its CRD templates are generated from). */
  crdFiles: string[];
  serviceAccountTemplates: string[];
}

const KUSTOMIZE: KustomizeSource[] = [
  { id: 'argocd-ha', pin: 'argocd', mirror: 'argoproj+argo-cd', tag: pins.argocd.version, dir: 'manifests/ha/cluster-install' },
  { id: 'argocd', pin: 'argocd', mirror: 'argoproj+argo-cd', tag: pins.argocd.version, dir: 'manifests/cluster-install' },
  { id: 'argo-rollouts', pin: 'argoRollouts', mirror: 'argoproj+argo-rollouts', tag: pins.argoRollouts.version, dir: 'manifests/cluster-install' },
  { id: 'argo-workflows', pin: 'argoWorkflows', mirror: 'argoproj+argo-workflows', tag: pins.argoWorkflows.version, dir: 'manifests/cluster-install' },
  { id: 'argo-events', pin: 'argoEvents', mirror: 'argoproj+argo-events', tag: pins.argoEvents.version, dir: 'manifests/cluster-install' },
];

const CHARTS: ChartSource[] = [
  {
    id: 'external-secrets',
    pin: 'externalSecrets',
    mirror: 'external-secrets+external-secrets',
    tag: `helm-chart-${pins.externalSecrets.version}`,
    chartDir: 'deploy/charts/external-secrets',
    // The chart's templates/crds are generated from this bundle when the chart is packaged.
    crdFiles: ['deploy/crds/bundle.yaml'],
    serviceAccountTemplates: ['templates/serviceaccount.yaml', 'templates/webhook-serviceaccount.yaml', 'templates/cert-controller-serviceaccount.yaml'],
  },
  {
    id: 'sealed-secrets',
    pin: 'sealedSecrets',
    mirror: 'bitnami-labs+sealed-secrets',
    tag: `helm-v${pins.sealedSecrets.version}`,
    chartDir: 'helm/sealed-secrets',
    crdFiles: ['helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml'],
    serviceAccountTemplates: ['templates/service-account.yaml'],
  },
  {
    id: 'policy-controller',
    pin: 'policyController',
    mirror: 'sigstore+helm-charts',
    tag: `policy-controller-${pins.policyController.version}`,
    chartDir: 'charts/policy-controller',
    crdFiles: ['charts/policy-controller/templates/crds/clusterimagepolicy.yaml', 'charts/policy-controller/templates/crds/trustroots.yaml'],
    serviceAccountTemplates: ['templates/webhook/sa_webhook.yaml'],
  },
];

const git = (mirror: string, ...args: string[]) => {
  const dir = path.join(MIRRORS, mirror, 'repo');
  if (!fs.existsSync(dir)) throw new Error(`no mirror at ${dir} (fetch ${mirror.replace('+', '/')} first)`);
  return execFileSync('git', ['--git-dir', dir, ...args], { maxBuffer: 256 << 20 });
};
const show = (mirror: string, tag: string, file: string) => git(mirror, 'show', `${tag}:${file}`);
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object');

function crdFacts(o: any) {
  return {
    name: o.metadata.name,
    group: o.spec.group,
    kind: o.spec.names.kind,
    scope: o.spec.scope,
    lastAppliedBytes: lastAppliedBytes(o),
  };
}

/**
 * The files a kustomize build of `dir` reads (the kustomizations and everything they list),
 * read from the mirror one by one: the mirrors are partial clones, so an archive of the whole
 * tree would stop at the first large file that was never fetched.
 */
function kustomizeClosure(s: KustomizeSource, dir: string, out = new Map<string, Buffer>()): Map<string, Buffer> {
  const listing = git(s.mirror, 'ls-tree', '--name-only', `${s.tag}:${dir}`).toString().split('\n');
  const kname = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((f) => listing.includes(f));
  if (!kname) throw new Error(`${s.id}: no kustomization in ${dir}`);
  const kfile = path.posix.join(dir, kname);
  if (out.has(kfile)) return out;
  const text = show(s.mirror, s.tag, kfile);
  out.set(kfile, text);
  const k = docs(text.toString())[0] ?? {};
  const entries: string[] = [...(k.resources ?? []), ...(k.bases ?? []), ...(k.components ?? []), ...(k.crds ?? [])];
  for (const p of [...(k.patches ?? []), ...(k.patchesJson6902 ?? [])]) if (p?.path) entries.push(p.path);
  for (const p of k.patchesStrategicMerge ?? []) if (typeof p === 'string' && !p.includes('\n')) entries.push(p);
  for (const e of entries) {
    if (/^https?:\/\//.test(e)) throw new Error(`${kfile}: remote ${e} in an upstream base; not supported`);
    const rel = path.posix.normalize(path.posix.join(dir, e));
    const type = git(s.mirror, 'cat-file', '-t', `${s.tag}:${rel}`).toString().trim();
    if (type === 'tree') kustomizeClosure(s, rel, out);
    else out.set(rel, show(s.mirror, s.tag, rel));
  }
  return out;
}

function deriveKustomize(s: KustomizeSource) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `derive-${s.id}-`));
  try {
    const closure = kustomizeClosure(s, s.dir);
    for (const [f, b] of closure) {
      fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      fs.writeFileSync(path.join(tmp, f), b);
    }
    const built = execFileSync('kubectl', ['kustomize', path.join(tmp, s.dir)], { maxBuffer: 256 << 20 }).toString();
    const objs = docs(built);
    const files = Object.fromEntries([...closure].sort(([a], [b]) => a.localeCompare(b)).map(([f, b]) => [f, sha256(b)]));
    return {
      id: s.id,
      pin: s.pin,
      tag: s.tag,
      source: { type: 'kustomize', repo: pins[s.pin].repo, path: s.dir },
      crds: objs.filter((o) => o.kind === 'CustomResourceDefinition').map(crdFacts).sort(byName),
      serviceAccounts: objs.filter((o) => o.kind === 'ServiceAccount').map((o) => ({ name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) })).sort(byName),
      namespaces: objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort(),
      files,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A chart's ServiceAccount names, read from its templates and helpers: `{fullname}` stands for
 * the chart's fullname helper (fullnameOverride, else the release name when it contains the
 * chart name, else release-chart), the way every one of these charts defines it.
 */
function serviceAccountNames(s: ChartSource, read: (f: string) => string): string[] {
  const helpers = read(`${s.chartDir}/templates/_helpers.tpl`);
  const body = (name: string) => {
    const m = new RegExp(`define "${name.replace(/[.]/g, '\\.')}" -}}([\\s\\S]*?){{-? end -?}}\\s*(?:{{/\\*|{{- define|$)`).exec(helpers);
    if (!m) throw new Error(`${s.id}: helper ${name} not found`);
    return m[1];
  };
  return s.serviceAccountTemplates.map((t) => {
    const text = read(`${s.chartDir}/${t}`);
    const m = /kind: ServiceAccount[\s\S]*?\n\s+name: {{-? (?:include|template) "([^"]+)" \. -?}}/.exec(text);
    if (!m) throw new Error(`${s.id}: no ServiceAccount name in ${t}`);
    const created = body(m[1]).split(/{{-? else -?}}/)[0];
    let r: RegExpExecArray | null;
    if ((r = /default \(\s*print \(include "[^"]+\.fullname" \.\) "([^"]*)"\s*\)/.exec(created))) return `{fullname}${r[1]}`;
    if (/default \(include "[^"]+\.fullname" \.\)/.test(created)) return '{fullname}';
    if ((r = /default "([^"]+)"/.exec(created))) return r[1];
    throw new Error(`${s.id}: cannot read the ServiceAccount name from helper ${m[1]}`);
  });
}

function deriveChart(s: ChartSource) {
  const files: Record<string, string> = {};
  const read = (f: string) => {
    const b = show(s.mirror, s.tag, f);
    files[f] = sha256(b);
    return b.toString();
  };
  const chart = docs(read(`${s.chartDir}/Chart.yaml`))[0];
  if (chart.version !== pins[s.pin].version) throw new Error(`${s.id}: Chart.yaml version ${chart.version}, pin ${pins[s.pin].version}`);
  // The only template directive in these CRD files is the release namespace of a webhook.
  const crds = s.crdFiles.flatMap((f) => docs(read(f).replace(/{{ \.Release\.Namespace }}/g, 'cosign-system'))).filter((o) => o.kind === 'CustomResourceDefinition');
  return {
    id: s.id,
    pin: s.pin,
    tag: s.tag,
    source: { type: 'helm', repo: pins[s.pin].repo, chart: chart.name },
    crds: crds.map(crdFacts).sort(byName),
    serviceAccounts: serviceAccountNames(s, read).map((name) => ({ name })).sort(byName),
    namespaces: [] as string[],
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
  };
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

const fixture = { derivedBy: 'scripts/derive-components.ts', components: [...KUSTOMIZE.map(deriveKustomize), ...CHARTS.map(deriveChart)] };
const text = JSON.stringify(fixture, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), OUT)} is stale: run node --import tsx scripts/derive-components.ts`);
    process.exit(1);
  }
  console.log('upstream-components.json is current');
} else {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${fixture.components.map((c) => `${c.id} ${c.crds.length} CRDs ${c.serviceAccounts.length} SAs`).join(', ')}`);
}
