// The controller rules' shortcuts (controllers/names-labels.ts surelyClean, the text gate of
// per-resource rules in controllers/index.ts) are held equal to the rules' definitions:
// - names and labels: over random resources (names, namespaces and labels valid, invalid,
//   templated, not strings; metadata and labels of other shapes; Secrets producing labels) the
//   findings with the clean-resource shortcut are the definitions' on every resource, in order;
// - upstream floating images: over random kustomizations naming upstream bases in every YAML
//   spelling (plain, quoted, escaped, folded, flow, JSON), the findings through the pre-write
//   memo, where a file whose text cannot hold a GitHub URL is skipped unread, are the rule's on
//   every resource, cold and with the memo carried over.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedResource } from '../../generators/check/resources.ts';
import { parseSources } from '../../generators/check/parse.ts';
import { controllerRules } from '../../generators/simulate/controllers/index.ts';
import { kustomizeImageRules } from '../../generators/simulate/controllers/kustomize-images.ts';
import { namesAndLabelsByDefinition, namesAndLabelsRules } from '../../generators/simulate/controllers/names-labels.ts';
import { sha256 } from '../../generators/io/manifest.ts';
import type { ResourceMemo } from '../../generators/simulate/resource-memo.ts';

const NAMES = ['web', 'a.b', 'web.acme.example', 'Web', '-x', 'x'.repeat(63), 'x'.repeat(64), `${'a.'.repeat(127)}a`, 'team_01', '{{name}}', '${NAME}', '', 7, true, null];
const KEYS = ['app', 'app.kubernetes.io/name', 'Bad Key', '{{key}}', 'a/b/c', '/x', 'Example.COM/x', 'x'.repeat(64), 'argocd.argoproj.io/secret-type'];
const VALUES = ['web', 'cluster', 'bad value', '{{value}}', '$(X)', '', 'x'.repeat(63), 'x'.repeat(64), '-x', 7, false, null, { a: 1 }, ['a']];
const KINDS = ['Service', 'Namespace', 'ConfigMap', 'Deployment', 'Secret', 'ExternalSecret', 'SealedSecret', 'ApplicationSet', 'Kustomization', 7, undefined];

const labels = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('app=web', ['a'], null, 5) },
  // Labels with an inherited entry: Object.entries does not see it.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...VALUES), fc.constantFrom(...VALUES)).map(([own, inherited]) => Object.assign(Object.create({ inherited }), { own })) },
);
const metadata = fc.oneof(
  { weight: 8, arbitrary: fc.record({ name: fc.constantFrom(...NAMES), namespace: fc.constantFrom(...NAMES), labels }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('x', [], null, undefined) },
);
const resource = fc.record({ kind: fc.constantFrom(...KINDS), metadata, produced: labels, keys: fc.subarray(['server', 'config', 'name']) });

const toResource = (it: { kind: unknown; metadata: unknown; produced: unknown; keys: string[] }, i: number): ParsedResource => {
  const data = Object.fromEntries(it.keys.map((k) => [k, 'x']));
  const spec = { target: { template: { metadata: { labels: it.produced }, data } }, template: { metadata: { labels: it.produced }, data }, encryptedData: data };
  return { file: `f${i % 3}.yaml`, docIndex: i, line: i + 1, origin: 'file', obj: { apiVersion: 'v1', kind: it.kind, metadata: it.metadata, data, spec } } as ParsedResource;
};

test('names and labels with the clean-resource shortcut = the definitions on every resource', () => {
  fc.assert(
    fc.property(fc.array(resource, { minLength: 1, maxLength: 10 }), (items) => {
      const resources = items.map(toResource);
      assert.equal(namesAndLabelsRules[0](resources), namesAndLabelsByDefinition(resources));
    }),
    { numRuns: 1500, seed: 29 },
  );
});

// Upstream bases the component table knows (one with images it leaves floating), spelled the ways YAML and JSON allow.
const BASE = 'https://github.com/argoproj/argo-rollouts//manifests/cluster-install?ref=v1.9.1';
const SPELLINGS: ((url: string) => string)[] = [
  (u) => `  - ${u}`,
  (u) => `  - "${u}"`,
  (u) => `  - '${u}'`,
  (u) => `  - "${u.replace(/\//g, '\\/')}"`,
  (u) => `  - "\\u0068ttps://github.com${u.slice('https://github.com'.length)}"`,
  (u) => `  - "https://git\\\n    hub.com${u.slice('https://github.com'.length)}"`,
  (u) => `  - https://github.com/argoproj/argo-rollouts//manifests/\n    cluster-install?ref=v1.9.1${u.slice(BASE.length)}`,
  (u) => `  - >-\n    ${u}`,
  (u) => `  - "git::${u}"`,
  (u) => `  - https://gitlab.com/x/y//z?ref=v1`,
  () => '  - ../base',
  () => '  - "..\\/base"',
];
const IMAGES = ['', 'images:\n  - name: quay.io/argoproj/argo-rollouts\n    newTag: v1.9.1\n'];

const kustomization = fc.record({
  entries: fc.array(fc.nat(SPELLINGS.length - 1), { maxLength: 3 }),
  images: fc.nat(IMAGES.length - 1),
  json: fc.constantFrom<'no' | 'plain' | 'escaped'>('no', 'no', 'plain', 'escaped'),
  dir: fc.constantFrom('a', 'b', 'c'),
});
const textOf = (k: { entries: number[]; images: number; json: 'no' | 'plain' | 'escaped' }): string => {
  if (k.json !== 'no') {
    const text = JSON.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: k.entries.map((e) => (e < 9 ? BASE : '../base')) });
    return k.json === 'escaped' ? text.replace(/\//g, '\\/') : text;
  }
  return `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${IMAGES[k.images]}resources:${k.entries.length ? '\n' + k.entries.map((e) => SPELLINGS[e](BASE)).join('\n') : ' []'}\n`;
};

const memoOf = (files: Map<string, string>, cache: Map<string, unknown>, withSha: boolean): ResourceMemo => ({ cache, read: (p) => files.get(p), use: () => {}, ...(withSha ? { sha: (p: string) => (files.has(p) ? sha256(files.get(p)!) : undefined) } : {}) });
const floating = (fs: { rule: string }[]) => JSON.stringify(fs.filter((f) => f.rule === 'sim/kustomize/upstream-floating-image'));

test('upstream floating images through the memo, unreadable texts skipped = the rule on every resource', () => {
  let found = 0;
  fc.assert(
    fc.property(fc.array(kustomization, { minLength: 1, maxLength: 4 }), fc.boolean(), (ks, withSha) => {
      const files = new Map<string, string>();
      ks.forEach((k, i) => files.set(`${k.dir}/${i}/kustomization.${k.json !== 'no' ? 'json' : 'yaml'}`, textOf(k)));
      const resources = parseSources([...files].map(([path, content]) => ({ path, content }))).resources;
      const plain = floating(kustomizeImageRules[0](resources));
      if (plain !== '[]') found++;
      const cache = new Map<string, unknown>();
      assert.is(floating(controllerRules(resources, memoOf(files, cache, withSha))), plain, 'cold');
      const carried = new Map(JSON.parse(JSON.stringify([...cache])) as [string, unknown][]);
      assert.is(floating(controllerRules(resources, memoOf(files, carried, withSha))), plain, 'carried');
    }),
    { numRuns: 400, seed: 17 },
  );
  assert.ok(found > 50, `the texts name floating upstream bases (${found} of 400 runs)`);
});

test.run();
