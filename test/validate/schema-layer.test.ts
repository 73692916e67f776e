// The strict schema layer on single resources: strictness at every depth and at the root,
// free-form fields left open, types, enums, required fields, int-or-string, null for optional
// fields, and the known false positives of the declarations patched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { parseSource } from '../../generators/check/parse.ts';
import { validateSchemas } from '../../generators/validate/schema-layer.ts';

const check = (obj: object, opts = {}) => validateSchemas(parseSource({ path: 'x.yaml', content: stringify(obj) }).resources, opts).findings;
const rules = (obj: object) => check(obj).map((f) => `${f.rule} ${f.path}`);

const deployment = (spec: object = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }, ...spec },
});

test('a valid Deployment passes; a root-level typo does not', () => {
  assert.equal(check(deployment()), []);
  assert.equal(rules({ ...deployment(), specc: {} }), ['schema/unknown-field /specc']);
});

test('int-or-string accepts both, a float is not an integer', () => {
  assert.equal(check({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } }), []);
  assert.equal(rules(deployment({ replicas: 1.5 })), ['schema/type /spec/replicas']);
});

test('optional fields may be null; required ones may not', () => {
  assert.equal(check(deployment({ replicas: null, revisionHistoryLimit: null })), []);
  assert.equal(rules(deployment({ selector: null })), ['schema/type /spec/selector']);
});

test('free-form fields stay open: Helm valuesObject, Workflow arguments values, labels', () => {
  const app = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'a', labels: { anything: 'goes' } },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'a' }, source: { repoURL: 'https://x', chart: 'c', targetRevision: '1.0.0', helm: { valuesObject: { any: { nested: [1, { deep: true }] } } } } },
  };
  assert.equal(check(app), []);
});

test('enums: an Argo Rollouts or ESO value outside the list is reported with the allowed ones', () => {
  const es = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'e' }, spec: { secretStoreRef: { name: 's', kind: 'SecretStor' } } };
  const f = check(es);
  assert.is(f.length, 1);
  assert.is(f[0].rule, 'schema/enum');
  assert.match(f[0].fix!, /Did you mean "SecretStore"\?/);
});

test('Argo Workflows: templates need no container name, steps are lists of lists, CronWorkflow v4 needs schedules', () => {
  const wf = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: { name: 'w' },
    spec: { entrypoint: 'main', templates: [{ name: 'main', steps: [[{ name: 'a', template: 'echo' }]] }, { name: 'echo', container: { image: 'alpine' } }] },
  };
  assert.equal(check(wf), []);
  const cron = { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'c' }, spec: { schedule: '* * * * *', workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] } } };
  assert.equal(rules(cron).sort(), ['schema/required /spec/schedules', 'schema/unknown-field /spec/schedule']);
});

test('Istio: "at most one of" unions accept none, reject two', () => {
  const vs = (uri: object) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: ['a'], http: [{ match: [{ uri }], route: [{ destination: { host: 'a' } }] }] } });
  assert.equal(check(vs({ prefix: '/' })), []);
  assert.equal(check(vs({})), []);
  const two = check(vs({ prefix: '/', exact: '/x' }));
  assert.is(two.length, 1);
  assert.match(two[0].message, /sets (exact and prefix|prefix and exact), which exclude each other/);
  const ap = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-all' }, spec: {} };
  assert.equal(check(ap), [], 'provider is only for CUSTOM, not required');
});

test('StatefulSet volumeClaimTemplates need no apiVersion/kind', () => {
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: { serviceName: 'db', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'db', image: 'postgres' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
  };
  assert.equal(check(sts), []);
});

test('hand schemas are strict too: a Sensor trigger typo is found', () => {
  const sensor = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's' }, spec: { dependencies: [{ name: 'd', eventSourceName: 'github', eventName: 'push' }], triggers: [{ template: { name: 't', argoWorkflow: { operation: 'submit', paramters: [] } } }] } };
  const f = check(sensor);
  assert.is(f.length, 1);
  assert.is(f[0].path, '/spec/triggers/0/template/argoWorkflow/paramters');
  assert.match(f[0].fix!, /Did you mean "parameters"\?/);
});

test('skip, reject, missing schemas and metadata.name', () => {
  const crd = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
  assert.is(check(crd)[0].message, 'kind: could not find schema for Widget (apiVersion example.com/v1)');
  assert.equal(check(crd, { ignoreMissingSchemas: true }), []);
  assert.equal(check(crd, { skip: ['example.com/v1/Widget'] }), []);
  assert.is(check(deployment(), { reject: ['Deployment'] })[0].message, 'kind: prohibited resource kind Deployment');
  assert.equal(rules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), ['schema/required /metadata/name']);
});

test.run();
