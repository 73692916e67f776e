// expandApplicationSet end to end: generators, both template modes, what fails the whole
// ApplicationSet, duplicate names, the in-cluster entry, and what the simulation cannot know.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandApplicationSet } from '../../../generators/simulate/appset/index.ts';
import type { ClusterView } from '../../../generators/simulate/appset/index.ts';
import { baseContext, memoryRepo } from './helpers.ts';

const repo = memoryRepo({
  'apps/guestbook/kustomization.yaml': 'resources: []\n',
  'apps/api/kustomization.yaml': 'resources: []\n',
  'apps/.hidden/x.yaml': 'a: 1\n',
  'config/dev/config.json': '{"env": "dev", "replicas": 3}',
  'config/prod/config.yaml': '- env: prod\n  region: eu\n- env: prod\n  region: us\n',
});
const clusters: ClusterView[] = [
  { name: 'prod-eu', server: 'https://eu.example.com', labels: { env: 'prod' }, annotations: {} },
  { name: 'staging', server: 'https://staging.example.com', labels: { env: 'staging' }, annotations: { team: 'x' } },
];
const ctx = baseContext(repo, { clusters });

const appSet = (spec: Record<string, unknown>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'demo', namespace: 'argocd' },
  spec,
});

const template = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/acme/x.git', targetRevision: 'HEAD', path: 'apps' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'default' },
    ...extra,
  },
});

test('list generator, fasttemplate mode: unknown params stay as written', () => {
  const r = expandApplicationSet(
    appSet({
      generators: [{ list: { elements: [{ cluster: 'a', url: 'https://a' }, { cluster: 'b', url: 'https://b' }] } }],
      template: template('{{cluster}}-{{ nope }}'),
    }),
    ctx,
  );
  assert.equal(r.problems, []);
  assert.equal(r.applications.map((a) => a.name), ['a-{{ nope }}', 'b-{{ nope }}']);
  const app = r.applications[0].manifest as any;
  assert.is(app.apiVersion, 'argoproj.io/v1alpha1');
  assert.is(app.kind, 'Application');
  assert.equal(app.metadata, { name: 'a-{{ nope }}', finalizers: ['resources-finalizer.argocd.argoproj.io'], namespace: 'argocd' });
});

test('clusters generator: Secrets by name, then in-cluster when no selector; metadata as maps in goTemplate', () => {
  const r = expandApplicationSet(
    appSet({ goTemplate: true, generators: [{ clusters: {} }], template: template('{{ .name }}-{{ .metadata.labels.env | default "none" }}') }),
    ctx,
  );
  assert.equal(r.problems, []);
  assert.equal(r.applications.map((a) => a.name), ['prod-eu-prod', 'staging-staging', 'in-cluster-none']);
  const withSelector = expandApplicationSet(
    appSet({ generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }], template: template('{{name}}') }),
    ctx,
  );
  assert.equal(withSelector.applications.map((a) => a.name), ['prod-eu']);
});

test('git generator: directories (hidden ones skipped) and files (a list in a file gives several sets)', () => {
  const dirs = expandApplicationSet(
    appSet({ generators: [{ git: { repoURL: 'x', revision: 'HEAD', directories: [{ path: 'apps/*' }] } }], template: template('{{path.basename}}') }),
    ctx,
  );
  assert.equal(dirs.applications.map((a) => a.name), ['api', 'guestbook']);
  const files = expandApplicationSet(
    appSet({
      goTemplate: true,
      generators: [{ git: { repoURL: 'x', revision: 'HEAD', files: [{ path: 'config/**' }] } }],
      template: template('{{ .env }}-{{ .region | default .path.basename }}'),
    }),
    ctx,
  );
  assert.equal(files.problems, []);
  assert.equal(files.applications.map((a) => a.name), ['dev-dev', 'prod-eu', 'prod-us']);
});

test('a template error fails the whole ApplicationSet: no Applications, the condition message, a pointer', () => {
  const r = expandApplicationSet(
    appSet({
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: [{ a: 'x' }, { a: 'y', b: 'z' }] } }],
      template: template('{{ .a }}-{{ .b }}'),
    }),
    ctx,
  );
  assert.equal(r.applications, []);
  assert.is(r.problems.length, 1);
  assert.is(r.problems[0].path, '/spec/template/metadata/name');
  assert.is(r.problems[0].reason, 'RenderTemplateParamsError');
  assert.ok(r.problems[0].message.startsWith('ApplicationSet demo: failed to execute go template {{ .a }}-{{ .b }}: template: base:1:12: executing "base" at <.b>: map has no entry for key "b"'));
});

test('duplicate names: the controller creates none of the Applications of that name', () => {
  const r = expandApplicationSet(
    appSet({ generators: [{ list: { elements: [{ a: 'x' }, { a: 'x' }, { a: 'y' }] } }], template: template('app-{{a}}') }),
    ctx,
  );
  assert.equal(r.applications.map((a) => a.name), ['app-y']);
  assert.is(r.problems.length, 1);
  assert.is(r.problems[0].application, 'app-x');
  assert.is(r.problems[0].reason, 'ApplicationValidationError');
});

test('merge generator joins parameter sets on mergeKeys, the later generator overriding', () => {
  const r = expandApplicationSet(
    appSet({
      generators: [
        {
          merge: {
            mergeKeys: ['name'],
            generators: [{ clusters: {} }, { list: { elements: [{ name: 'staging', extra: 'yes' }] } }],
          },
        },
      ],
      template: template('{{name}}-{{extra}}'),
    }),
    ctx,
  );
  assert.equal(r.applications.map((a) => a.name), ['prod-eu-{{extra}}', 'staging-yes', 'in-cluster-{{extra}}']);
});

test('what the simulation cannot know is a warning, never a guess', () => {
  const r = expandApplicationSet(
    appSet({
      generators: [{ pullRequest: { github: { owner: 'a', repo: 'b' } } }, { bogus: {} }, { list: { elements: [{ a: 'x' }] } }],
      template: template('{{a}}'),
    }),
    ctx,
  );
  assert.equal(r.applications.map((a) => a.name), ['x']);
  assert.equal(r.problems.map((p) => [p.path, p.severity]), [
    ['/spec/generators/1', 'warning'],
    ['/spec/generators/0/pullRequest', 'warning'],
  ]);
  assert.match(r.problems[0].message, /^ApplicationSet demo contains unrecognized generators: bogus; the controller logs/);
  assert.match(r.problems[1].message, /pull request generator is not modelled/);
});

test('normalization as createOrUpdate applies it: empty project becomes default, empty syncPolicy dropped', () => {
  const r = expandApplicationSet(
    appSet({ generators: [{ list: { elements: [{ a: 'x' }] } }], template: template('{{a}}', { project: '', syncPolicy: { syncOptions: [] } }) }),
    ctx,
  );
  const spec = r.applications[0].manifest.spec as any;
  assert.is(spec.project, 'default');
  assert.is(spec.syncPolicy, undefined);
});

test.run();
