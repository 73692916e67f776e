import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSource, pointerToDotted } from '../../generators/check/parse.ts';

const parse = (content: string, path = 'm.yaml') => parseSource({ path, content });

test('empty and comment-only documents are skipped', () => {
  const r = parse('---\n# just a comment\n---\n\n');
  assert.is(r.resources.length, 0);
  assert.is(r.findings.length, 0);
  assert.is(r.documents, 0);
});

test('multi-document files keep the document index and start line', () => {
  const r = parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
  assert.equal(r.resources.map((x) => [x.docIndex, x.line, x.obj.metadata.name]), [[0, 1, 'a'], [1, 5, 'b']]);
});

test('a duplicate key is a finding with file, line and path, like kubeconform -strict', () => {
  const r = parse('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  A: "1"\n  B: "2"\n  A: "3"\n', 'dir/cm.yaml');
  assert.is(r.findings.length, 1);
  const f = r.findings[0];
  assert.is(f.rule, 'parse/duplicate-key');
  assert.is(f.file, 'dir/cm.yaml');
  assert.is(f.line, 8);
  assert.is(f.path, '/data/A');
  assert.ok(f.message.startsWith('data.A: duplicate key'));
});

test('a syntax error is a finding with its line, and the document is dropped', () => {
  const r = parse('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a, b\n');
  assert.is(r.resources.length, 0);
  assert.is(r.findings[0].rule, 'parse/syntax');
  assert.ok(r.findings[0].line! >= 4, `line ${r.findings[0].line}`);
});

test("missing kind and apiVersion use kubeconform's messages, kind first", () => {
  assert.is(parse('key: value\n').findings[0].message, "kind: missing 'kind' key");
  assert.is(parse('kind:\n').findings[0].message, "kind: missing 'kind' key");
  assert.is(parse('kind: ConfigMap\nmetadata: {name: x}\n').findings[0].message, "apiVersion: missing 'apiVersion' key");
});

test('a kustomization file may leave out apiVersion and kind', () => {
  const r = parse('resources:\n  - a.yaml\n', 'overlay/kustomization.yaml');
  assert.is(r.findings.length, 0);
  assert.is(r.resources.length, 1);
});

test('kind: List is expanded into its items, with item lines', () => {
  const r = parse('apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: a}\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: b}\n');
  assert.equal(r.resources.map((x) => x.obj.metadata.name), ['a', 'b']);
  assert.equal(r.resources.map((x) => x.line), [4, 7]);
  assert.is(r.documents, 2);
  assert.is(r.resources[1].lineOf!('/metadata/name'), 9);
});

test('lineOf finds nested fields and falls back to the nearest ancestor', () => {
  const r = parse('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n');
  const res = r.resources[0];
  assert.is(res.lineOf!('/spec/template/spec/containers/0/image'), 10);
  assert.is(res.lineOf!('/spec/template/spec/containers/0/ports'), 9);
  assert.is(res.lineOf!('/spec/selector'), 5);
});

test('YAML 1.1 booleans are read the way Kubernetes reads them', () => {
  const r = parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  FLAG: on\n');
  assert.is(r.resources[0].obj.data.FLAG, true);
});

test('pointerToDotted renders indexes and odd keys', () => {
  assert.is(pointerToDotted('/spec/containers/0/image'), 'spec.containers[0].image');
  assert.is(pointerToDotted('/metadata/annotations/argocd.argoproj.io~1sync-wave'), 'metadata.annotations["argocd.argoproj.io/sync-wave"]');
  assert.is(pointerToDotted(''), '(root)');
});

test('a merge key of a scalar (and other YAML that parses but has no value) is a syntax finding at the `<<`, not a crash', () => {
  const r = parse('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n<<: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n', 'a.yaml');
  assert.equal(r.findings.map((f) => [f.rule, f.line, f.message]), [['parse/syntax', 5, 'line 5: YAML syntax error: Merge sources must be maps or map aliases']]);
  assert.equal(r.resources.map((x) => x.obj.metadata.name), ['second'], 'the next document is still read');
  assert.is(r.documents, 2);
});

test.run();
