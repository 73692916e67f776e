// The incremental pre-write check may never hide (or invent) a finding: after every random edit
// of a rendered repository, checking with the cache the previous check left gives exactly the
// findings (same order, same lines) and resource count of a check from scratch. Edits reach every
// kind of dependency the check has: values inside resources, broken YAML, duplicate keys, files
// added and removed, kustomizations that change what is a patch or a data file and which
// namespace a file lands in, NetworkPolicies and LimitRanges that other resources' findings
// depend on, suppression annotations, the lint config. The cache goes through JSON between checks
// (as it does through the disk). GITOPS_SCAFFOLD_SOAK=N runs N steps per repository instead.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkRendered, checkRenderedFull } from '../../generators/check/generated.ts';
import { loadCheckCache, saveCheckCache } from '../../generators/check/cache-store.ts';
import { type CheckCache, FLAG } from '../../generators/check/incremental.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { renderSpec } from '../../generators/pipeline.ts';
import type { RenderedFile } from '../../generators/plan/types.ts';
import { LINT_CONFIG_PATH } from '../../generators/plan/lint-config.ts';
import { prng } from '../helpers.ts';

const SOAK = Number(process.env.GITOPS_SCAFFOLD_SOAK ?? 0);
const SEED = Number(process.env.GITOPS_SCAFFOLD_SOAK_SEED ?? 0);

function rendered(example: string): RenderedFile[] {
  const text = readFileSync(`examples/${example}/platform.yaml`, 'utf8');
  return renderSpec(parseSpecText(text, example), text);
}


const VALUES = ['1', '-1', '0755', 'x', 'latest', '"quoted"', 'true', 'null', '[]', '{}', 'team-a', 'prod', '"3"', 'ghcr.io/acme/app:latest', '*'];
const NETWORK_POLICY = (ns: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: extra\n  namespace: ${ns}\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n`;
const LIMIT_RANGE = (ns: string) => `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: ${ns}\nspec:\n  limits:\n    - type: Container\n      default:\n        cpu: 500m\n        memory: 256Mi\n      defaultRequest:\n        cpu: 100m\n        memory: 128Mi\n`;
const BARE_DEPLOYMENT = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bare\nspec:\n  selector:\n    matchLabels:\n      app: bare\n  template:\n    metadata:\n      labels:\n        app: bare\n    spec:\n      containers:\n        - name: app\n          image: nginx\n`;

type Files = Map<string, RenderedFile>;

/** Kinds other resources refer to by name (cross-reference targets), and a Namespace out of wave order. */
const REFERENCED = ['Service', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'Deployment', 'Rollout', 'SecretStore', 'ClusterSecretStore', 'AppProject', 'Namespace', 'VirtualService'];
const LATE_NAMESPACE = (ns: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  annotations:\n    argocd.argoproj.io/sync-wave: "9"\n`;
const STORE = (kind: string, name: string, ns: string) => `apiVersion: external-secrets.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${kind === 'SecretStore' ? `  namespace: ${ns}\n` : ''}spec:\n  provider:\n    fake:\n      data: []\n`;

/**
 * One edit aimed at what cross-file checks read about other files: a referenced object renamed,
 * moved to another namespace or deleted, a store or a late Namespace added, a referenced file
 * made a kustomize patch (same content, another role), an AppProject's destinations changed.
 */
function crossFileEdit(files: Files, rnd: ReturnType<typeof prng>): string {
  const set = (path: string, content: string) => files.set(path, { path, owner: 'managed', content });
  const paths = [...files.keys()].filter((p) => /\.(ya?ml|json)$/.test(p));
  // A kind first, so that rare kinds (stores, templates) are edited as often as Namespaces.
  const present = REFERENCED.filter((k) => paths.some((p) => files.get(p)!.content.includes(`\nkind: ${k}\n`)));
  const kind = new RegExp(`^kind: ${rnd.pick(present)}$`, 'm');
  const targets = paths.filter((p) => kind.test(files.get(p)!.content));
  if (!targets.length) return 'no-op';
  const p = rnd.pick(targets);
  const text = files.get(p)!.content;
  const dirOf = (x: string) => x.replace(/\/?[^/]*$/, '');
  const names = [...new Set([...paths.flatMap((x) => [...files.get(x)!.content.matchAll(/(?:Service|templateName|name): ([a-z0-9-]+)$/gm)].map((m) => m[1]))])].sort();
  switch (rnd.int(9)) {
    case 0:
      set(p, text.replace(/^(metadata:\n(?:  .*\n)*?  name: )(\S+)$/m, (_m, head, name) => `${head}${rnd.int(2) ? `${name}-renamed` : rnd.pick(names)}`));
      return `referenced object renamed in ${p}`;
    case 1:
      set(p, text.replace(/^(metadata:\n)/m, `$1  namespace: ${rnd.pick(['team-a', 'prod', 'other', 'argocd'])}\n`).replace(/^(metadata:\n  namespace: \S+\n(?:  .*\n)*?)  namespace: \S+\n/m, '$1'));
      return `referenced object moved to another namespace in ${p}`;
    case 2:
      files.delete(p);
      return `referenced file deleted ${p}`;
    case 3: {
      // Next to a namespaced resource, its Namespace with a later sync wave.
      const near = rnd.pick(paths.filter((x) => /^  namespace: \S+$/m.test(files.get(x)!.content)).concat(p));
      const ns = /^  namespace: (\S+)$/m.exec(files.get(near)!.content)?.[1] ?? rnd.pick(names);
      const to = `${dirOf(near)}/ns-${rnd.int(1000)}.yaml`.replace(/^\//, '');
      set(to, LATE_NAMESPACE(ns));
      return `late Namespace ${ns} in ${to}`;
    }
    case 7:
    case 8: {
      // A reference broken (or pointed at another object): its message names what exists.
      const ref = rnd.pick([/(secretStoreRef:\n\s+(?:kind: \S+\n\s+)?name: )\S+/, /((?:stable|canary)Service: )\S+/, /(templateName: )\S+/, /(scaleTargetRef:\n(?:\s+\S+: \S+\n)*?\s+name: )\S+/, /(\bproject: )\S+/]);
      const refs = paths.filter((x) => ref.test(files.get(x)!.content));
      if (!refs.length) return 'no-op';
      const q = rnd.pick(refs);
      const to = rnd.int(3) ? `missing-${rnd.int(10)}` : rnd.pick(names);
      set(q, files.get(q)!.content.replace(ref, `$1${to}`));
      return `reference in ${q} now names ${to}`;
    }
    default:
      set(p, text.replace(/namespace: \S+/g, () => `namespace: ${rnd.pick(['team-a', 'prod', 'other', '"*"'])}`).replace(/server: \S+/, 'server: https://other.example.com'));
      return `destinations or namespaces changed in ${p}`;
  }
}

/** One random edit of the repository (in place); returns what it did, for the failure message. */
function edit(files: Files, original: ReadonlyMap<string, RenderedFile>, rnd: ReturnType<typeof prng>): string {
  const paths = [...files.keys()].filter((p) => /\.(ya?ml|json)$/.test(p));
  const p = rnd.pick(paths);
  const f = files.get(p)!;
  const lines = f.content.split('\n');
  const set = (path: string, content: string) => files.set(path, { path, owner: 'managed', content });
  const line = rnd.int(Math.max(1, lines.length - 1));
  const kustomizations = paths.filter((x) => /kustomization\.yaml$/.test(x));
  const dirOf = (x: string) => x.replace(/\/?[^/]*$/, '');
  switch (rnd.int(17)) {
    case 14:
    case 15:
    case 16:
      return crossFileEdit(files, rnd);
    case 0: {
      // A value replaced (types, enums, names, images...).
      const m = /^(\s*(?:- )?[\w.\/-]+:) \S.*$/.exec(lines[line]);
      if (!m) return 'no-op';
      lines[line] = `${m[1]} ${rnd.pick(VALUES)}`;
      set(p, lines.join('\n'));
      return `value ${p}:${line + 1}`;
    }
    case 1:
      lines.splice(line, 1);
      set(p, lines.join('\n'));
      return `line removed ${p}:${line + 1}`;
    case 2:
      lines.splice(line, 0, lines[line]);
      set(p, lines.join('\n'));
      return `line doubled ${p}:${line + 1}`;
    case 3: {
      const indent = /^\s*/.exec(lines[line])![0];
      lines.splice(line + 1, 0, `${indent}${rnd.pick(['extra', 'replicas', 'namespace', 'image', 'prune'])}: ${rnd.pick(VALUES)}`);
      set(p, lines.join('\n'));
      return `field added ${p}:${line + 2}`;
    }
    case 4:
      files.delete(p);
      return `deleted ${p}`;
    case 5: {
      const to = `${dirOf(rnd.pick(paths))}/copy-${rnd.int(1000)}.yaml`.replace(/^\//, '');
      set(to, f.content);
      return `copied ${p} to ${to}`;
    }
    case 6: {
      // A kustomization gains or loses a reference: roles (patch, data) and namespaces move.
      if (!kustomizations.length) return 'no-op';
      const k = rnd.pick(kustomizations);
      const dir = dirOf(k);
      const target = rnd.pick(paths).slice(dir ? dir.length + 1 : 0);
      const kind = rnd.pick(['resources', 'patches', 'configMapGenerator', 'namespace', 'remove']);
      let text = files.get(k)!.content;
      if (kind === 'resources') text += `resources:\n  - ${target}\n`;
      else if (kind === 'patches') text += `patches:\n  - path: ${target}\n`;
      else if (kind === 'configMapGenerator') text += `configMapGenerator:\n  - name: gen\n    files:\n      - ${target}\n`;
      else if (kind === 'namespace') text = /^namespace:/m.test(text) ? text.replace(/^namespace: .*$/m, `namespace: ${rnd.pick(['team-a', 'prod', 'other'])}`) : `${text}namespace: other\n`;
      else text = text.replace(/^  - .*\n/m, '');
      set(k, text);
      return `kustomization ${k}: ${kind} ${target}`;
    }
    case 7: {
      const ns = rnd.pick(['team-a', 'prod', 'other', 'argocd']);
      const to = `${dirOf(p)}/np-${rnd.int(1000)}.yaml`.replace(/^\//, '');
      set(to, rnd.int(2) ? NETWORK_POLICY(ns) : LIMIT_RANGE(ns));
      return `policy added ${to} (${ns})`;
    }
    case 8: {
      const to = `${dirOf(p)}/bare-${rnd.int(1000)}.yaml`.replace(/^\//, '');
      set(to, BARE_DEPLOYMENT);
      return `workload added ${to}`;
    }
    case 9: {
      // A suppression annotation (with or without a reason) on some resource.
      const at = lines.findIndex((l) => /^metadata:\s*$/.test(l));
      if (at < 0) return 'no-op';
      lines.splice(at + 1, 0, '  annotations:', `    gitops-scaffold.dev/lint-ignore: "${rnd.pick(['K8S008: batch job', 'K8S003', 'ACD006: legacy', 'NOPE1: x'])}"`);
      set(p, lines.join('\n'));
      return `suppression ${p}`;
    }
    case 10: {
      const config = rnd.pick(['rules:\n  K8S008: off\n', 'rules:\n  ACD006: warning\n', `ignore:\n  - rule: "*"\n    path: "${dirOf(p) || '.'}/**"\n    reason: test\n`, 'production:\n  match: ["dev"]\n', 'rules: [broken\n']);
      set(LINT_CONFIG_PATH, config);
      return `lint config ${JSON.stringify(config)}`;
    }
    case 11: {
      // Back to the file as rendered (cache hits for old content).
      const back = rnd.pick([...original.keys()]);
      files.set(back, original.get(back)!);
      return `restored ${back}`;
    }
    case 12: {
      const m = lines.findIndex((l) => /^  name: /.test(l));
      if (m < 0) return 'no-op';
      lines[m] = `  name: ${rnd.pick(['app', 'argocd-cm', 'argocd-rbac-cm', 'default', 'platform', 'Bad_Name'])}`;
      set(p, lines.join('\n'));
      return `renamed in ${p}`;
    }
    default: {
      lines.splice(line, 0, rnd.pick(['  bad: [unclosed', '\tkey: tab', 'key: value: more', '---', '- item']));
      set(p, lines.join('\n'));
      return `broken YAML ${p}:${line + 1}`;
    }
  }
}

function soak(example: string, steps: number, seed: number, only?: typeof crossFileEdit) {
  const original = new Map(rendered(example).map((f) => [f.path, f]));
  const files: Files = new Map(original);
  const rnd = prng(seed);
  let cache: CheckCache | null = null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-check-cache-'));
  const history: string[] = [];
  let withFindings = 0;
  for (let step = 0; step < steps; step++) {
    const edits = only ? 2 + rnd.int(2) : 1 + rnd.int(3);
    for (let i = 0; i < edits; i++) history.push(only ? only(files, rnd) : edit(files, original, rnd));
    const list = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    const full = checkRenderedFull(list);
    // Through the disk, as between two runs (only changed entries are written anew).
    if (cache) saveCheckCache(dir, cache);
    const inc = checkRendered(list, undefined, { cache: cache && loadCheckCache(dir) });
    const where = `${example}, seed ${seed}, step ${step}: ${history.slice(-edits).join('; ')}`;
    assert.is(inc.resources, full.resources, where);
    // Compared as JSON, the form every output takes (a field that is undefined is no field).
    if (JSON.stringify(inc.findings) !== JSON.stringify(full.findings)) {
      const a = new Set(full.findings.map((f) => JSON.stringify(f)));
      const b = new Set(inc.findings.map((f) => JSON.stringify(f)));
      assert.unreachable(`${where}\nonly in the full check: ${[...a].filter((x) => !b.has(x)).slice(0, 3).join('\n')}\nonly in the incremental one: ${[...b].filter((x) => !a.has(x)).slice(0, 3).join('\n')}\n(or the order differs: ${full.findings.map((f, i) => (JSON.stringify(f) === JSON.stringify(inc.findings[i]) ? '' : `#${i} full ${f.rule} ${f.file}:${f.line} ${f.message.slice(0, 60)} | inc ${inc.findings[i]?.rule} ${inc.findings[i]?.file}:${inc.findings[i]?.line} ${inc.findings[i]?.message.slice(0, 60)}`)).filter(Boolean).slice(0, 4).join('\n')})`);
    }
    if (full.findings.length) withFindings++;
    cache = inc.cache!;
  }
  rmSync(dir, { recursive: true, force: true });
  // The edits must actually produce findings, or the comparison proves little.
  assert.ok(withFindings > steps / 2, `${example}: only ${withFindings} of ${steps} steps had findings`);
}

test('minimal: incremental and full checks agree after every random edit', () => soak('minimal', SOAK || 24, SEED || 11));
test('enterprise: incremental and full checks agree after every random edit', () => soak('enterprise', SOAK || 12, SEED || 23));

test('enterprise: incremental and full checks agree after every random cross-file edit', () => soak('enterprise', SOAK || 10, SEED || 41, crossFileEdit));

/**
 * Edits applied one after the other to a rendered example; after each, the check with the cache
 * of the one before must give the full check's findings, and `expect` must hold on them (so the
 * step really reaches the dependency it is about).
 */
function agreeAfter(example: string, steps: { edit: (files: Files) => void; expect: (findings: { rule: string; message: string }[]) => boolean }[]) {
  const files: Files = new Map(rendered(example).map((f) => [f.path, f]));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-check-cache-'));
  saveCheckCache(dir, checkRendered([...files.values()], undefined, { cache: null }).cache!);
  steps.forEach((step, i) => {
    step.edit(files);
    const list = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    const full = checkRenderedFull(list);
    const inc = checkRendered(list, undefined, { cache: loadCheckCache(dir) });
    // As JSON, the form every output takes (a field that is undefined is no field, as after the disk).
    assert.equal(JSON.parse(JSON.stringify(inc.findings)), JSON.parse(JSON.stringify(full.findings)), `${example}, step ${i}`);
    assert.ok(step.expect(full.findings), `${example}, step ${i}: the edit does not reach what it is about`);
    saveCheckCache(dir, inc.cache!);
  });
  rmSync(dir, { recursive: true, force: true });
}
const change = (files: Files, path: string, replace: (text: string) => string) => {
  const before = files.get(path)!.content;
  const after = replace(before);
  assert.ok(after !== before, `edit of ${path} changes nothing`);
  files.set(path, { path, owner: 'managed', content: after });
};

test('cross references: a finding that lists what exists follows stores added and renamed elsewhere', () => {
  const storeMessage = (fs: { rule: string; message: string }[], has: string) => fs.some((f) => f.rule === 'xref/secret-store' && f.message.includes('missing-store') && f.message.includes(has) === true);
  agreeAfter('enterprise', [
    { edit: (f) => change(f, 'platform/ci/external-secrets.yaml', (t) => t.replace('    name: ci\n', '    name: missing-store\n')), expect: (fs) => storeMessage(fs, 'ci') },
    { edit: (f) => f.set('platform/extra-store.yaml', { path: 'platform/extra-store.yaml', owner: 'managed', content: STORE('ClusterSecretStore', 'added-store', 'x') }), expect: (fs) => fs.some((x) => x.message.includes('added-store')) },
    { edit: (f) => change(f, 'platform/extra-store.yaml', (t) => t.replace('added-store', 'renamed-store')), expect: (fs) => fs.some((x) => x.message.includes('renamed-store')) && !fs.some((x) => x.message.includes('added-store')) },
  ]);
});

test('cross references: a file that becomes a kustomize patch (same content) no longer counts next to a Rollout', () => {
  const base = 'apps/payments/payments-api/base';
  agreeAfter('enterprise', [
    { edit: (f) => change(f, `${base}/kustomization.yaml`, (t) => `${t}patches:\n  - path: services.yaml\n`), expect: (fs) => fs.some((x) => x.rule === 'xref/rollout-ref' && x.message.includes('Service')) },
    // The kustomization unchanged (its refs come from the cache), another file of the unit edited.
    { edit: (f) => change(f, `${base}/pdb.yaml`, (t) => `${t}# edited\n`), expect: (fs) => fs.some((x) => x.rule === 'xref/rollout-ref' && x.message.includes('Service')) },
    { edit: (f) => change(f, `${base}/kustomization.yaml`, (t) => t.replace('patches:\n  - path: services.yaml\n', '')), expect: (fs) => !fs.some((x) => x.rule === 'xref/rollout-ref') },
  ]);
});

test("cross references: Rollouts, HPAs and ClusterAnalysisTemplates are picked by kind and apiVersion group kept in the index (another group is no subject)", () => {
  const base = 'apps/payments/payments-api/base';
  const rollout = `${base}/rollout.yaml`;
  const hpa = `${base}/hpa.yaml`;
  const template = 'platform/cluster-template.yaml';
  const TEMPLATE = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: ClusterAnalysisTemplate\nmetadata:\n  name: cluster-rate\nspec:\n  metrics: []\n`;
  const has = (fs: { rule: string; message: string }[], rule: string, text: string) => fs.some((x) => x.rule === rule && x.message.includes(text));
  agreeAfter('enterprise', [
    { edit: (f) => change(f, rollout, (t) => t.replace('stableService: payments-api\n', 'stableService: missing-svc\n')), expect: (fs) => has(fs, 'xref/rollout-ref', 'missing-svc') },
    // Same kind, another group: not a Rollout of Argo (its file's record says so).
    { edit: (f) => change(f, rollout, (t) => t.replace('apiVersion: argoproj.io/v1alpha1\nkind: Rollout', 'apiVersion: other.example/v1alpha1\nkind: Rollout')), expect: (fs) => !has(fs, 'xref/rollout-ref', 'missing-svc') },
    { edit: (f) => change(f, rollout, (t) => t.replace('apiVersion: other.example/v1alpha1\nkind: Rollout', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout')), expect: (fs) => has(fs, 'xref/rollout-ref', 'missing-svc') },
    { edit: (f) => change(f, hpa, (t) => t.replace(/(scaleTargetRef:\n(?:\s+\S+: \S+\n)*?\s+name: )\S+/, '$1missing-target')), expect: (fs) => has(fs, 'xref/hpa-target', 'missing-target') },
    { edit: (f) => change(f, hpa, (t) => t.replace('apiVersion: autoscaling/v2\n', 'apiVersion: keda.example/v2\n')), expect: (fs) => !has(fs, 'xref/hpa-target', 'missing-target') },
    { edit: (f) => change(f, hpa, (t) => t.replace('apiVersion: keda.example/v2\n', 'apiVersion: autoscaling/v1\n')), expect: (fs) => has(fs, 'xref/hpa-target', 'missing-target') },
    // A cluster-scoped template named by the Rollout: its file is read by the Rollout's job.
    { edit: (f) => change(f, rollout, (t) => t.replace('- templateName: payments-api-latency\n', '- templateName: cluster-rate\n                clusterScope: true\n')), expect: (fs) => has(fs, 'xref/rollout-ref', '"cluster-rate"') },
    { edit: (f) => f.set(template, { path: template, owner: 'managed', content: TEMPLATE('argoproj.io/v1alpha1') }), expect: (fs) => !has(fs, 'xref/rollout-ref', '"cluster-rate"') },
    { edit: (f) => change(f, template, () => TEMPLATE('other.example/v1alpha1')), expect: (fs) => has(fs, 'xref/rollout-ref', '"cluster-rate"') },
    { edit: (f) => change(f, template, () => TEMPLATE('argoproj.io/v1')), expect: (fs) => !has(fs, 'xref/rollout-ref', '"cluster-rate"') },
  ]);
});

test('K8S003 from facts kept per file: policies, DNS egress, a namespace moved by kustomize (workload files unchanged), a Namespace added', () => {
  const ns = 'clusters/hub/namespaces/payments-dev.yaml';
  const k3 = (fs: { rule: string; message: string }[], has: string) => fs.some((f) => f.rule === 'K8S003' && f.message.includes(has));
  let original = '';
  agreeAfter('enterprise', [
    // No policy of the namespace denies egress any more: the Namespace object is reported.
    { edit: (f) => change(f, ns, (t) => ((original = t), t.replace('    - Ingress\n    - Egress\n', '    - Ingress\n').replace(/(name: allow-dns\n(?:.*\n)*?spec:\n  podSelector: )\{\}/, '$1{ matchLabels: { app: x } }'))), expect: (fs) => k3(fs, 'namespace "payments-dev" runs workloads but no NetworkPolicy selects all its pods for Egress') },
    // Egress denied again, DNS no longer allowed: the denying policy is reported.
    {
      edit: (f) => {
        change(f, ns, () => original.replace(/port: 53\n/g, 'port: 54\n'));
        change(f, 'apps/payments/payments-api/base/networkpolicy.yaml', (t) => t.replace('  egress:\n    - to:', '  egress:\n    - ports:\n        - port: 8080\n      to:'));
      },
      expect: (fs) => k3(fs, 'namespace "payments-dev" denies egress by default but no NetworkPolicy allows DNS') },
    // The overlay's namespace moved (its workload files unchanged, only their kustomize namespace).
    { edit: (f) => change(f, 'apps/payments/payments-api/overlays/dev/kustomization.yaml', (t) => t.replace('namespace: "payments-dev"', 'namespace: "payments-moved"')), expect: (fs) => k3(fs, 'namespace "payments-moved" (where this') },
    // A Namespace object of that name: the finding moves to it.
    { edit: (f) => f.set('clusters/hub/namespaces/payments-moved.yaml', { path: 'clusters/hub/namespaces/payments-moved.yaml', owner: 'managed', content: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments-moved\n' }), expect: (fs) => k3(fs, 'namespace "payments-moved" runs workloads') },
    // A default-deny with DNS for it: no finding for it any more.
    { edit: (f) => f.set('clusters/hub/namespaces/payments-moved-np.yaml', { path: 'clusters/hub/namespaces/payments-moved-np.yaml', owner: 'managed', content: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: payments-moved\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - ports:\n        - protocol: UDP\n          port: 53\n' }), expect: (fs) => !k3(fs, 'payments-moved') && fs.some((x) => x.rule === 'K8S003') === k3(fs, 'namespace "') },
    // Back where it was.
    { edit: (f) => change(f, 'apps/payments/payments-api/overlays/dev/kustomization.yaml', (t) => t.replace('namespace: "payments-moved"', 'namespace: "payments-dev"')), expect: (fs) => k3(fs, 'namespace "payments-dev" denies egress') },
  ]);
});

test("two kustomization files in one folder: the last run's graph is not taken from the loaded index's order (a save appends a new file last)", () => {
  const dev = 'apps/payments/payments-api/overlays/dev';
  const k3 = (fs: { rule: string; message: string }[], has: string) => fs.some((f) => f.rule === 'K8S003' && f.message.includes(has));
  let text = '';
  agreeAfter('enterprise', [
    // The overlay's kustomization as kustomization.yml (the index lists it last from now on).
    {
      edit: (f) => {
        text = f.get(`${dev}/kustomization.yaml`)!.content;
        f.delete(`${dev}/kustomization.yaml`);
        f.set(`${dev}/kustomization.yml`, { path: `${dev}/kustomization.yml`, owner: 'managed', content: text });
      },
      expect: (fs) => !k3(fs, 'other-ns'),
    },
    // A kustomization.yaml beside it: it sorts first, so the run's graph takes kustomization.yml
    // (the later file), while the saved index lists kustomization.yaml last.
    { edit: (f) => f.set(`${dev}/kustomization.yaml`, { path: `${dev}/kustomization.yaml`, owner: 'managed', content: text.replace('namespace: "payments-dev"', 'namespace: "other-ns"') }), expect: (fs) => !k3(fs, 'other-ns') },
    // kustomization.yml now names that namespace: taken from the index's order, the last graph
    // would seem to have had it already (no namespace moved) and the workloads' facts would stay.
    { edit: (f) => change(f, `${dev}/kustomization.yml`, (t) => t.replace('namespace: "payments-dev"', 'namespace: "other-ns"')), expect: (fs) => k3(fs, 'other-ns') },
  ]);
});

test('an unchanged repository is checked from the cache alone; the cache of another checker is not used', () => {
  const files = rendered('minimal');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-check-cache-'));
  const first = checkRendered(files, undefined, { cache: null });
  saveCheckCache(dir, first.cache!);
  const again = checkRendered(files, undefined, { cache: loadCheckCache(dir) });
  assert.equal(again.findings, first.findings);
  assert.is((again as { cache?: CheckCache }).cache?.unchanged, true, 'nothing to write back');
  // Findings cached under another fingerprint are never served: this one claims an error.
  const forged = loadCheckCache(dir)!;
  const [somePath, someFile] = [...forged.files].find(([, s]) => s.kinds.length)!;
  const real = forged.entry(someFile.key)!;
  forged.entry = (key) => (key === someFile.key ? { ...real, parse: [{ rule: 'parse/syntax', severity: 'error', message: 'forged', source: 'parse', file: somePath }] } : undefined);
  forged.files.set(somePath, { ...someFile, flags: someFile.flags | FLAG.parse });
  assert.ok(checkRendered(files, undefined, { cache: forged }).findings.some((f) => f.message === 'forged'), 'same fingerprint: the entry is used (the test is meaningful)');
  forged.fingerprint = 'another version';
  assert.not.ok(checkRendered(files, undefined, { cache: forged }).findings.some((f) => f.message === 'forged'));
  rmSync(dir, { recursive: true, force: true });
});

test.run();
