// The reference checks' per-Application summary (references.ts summarizeApp): the walk over a
// shared inventory made once per list, destination namespace and local-or-not, each
// Application prefixing its cluster, the detail's placed objects made when asked. Held equal to
// summarizePlaced of the placed list (the plain path) over random inventories placed by several
// Applications on several clusters; and referenceFindings, which reads the details of summaries
// with an unmet need only, equal to reading every detail.
// Fails if the shape is shared between the local cluster and another (Argo CD kinds, local files,
// argocd-cm secrets), between destination namespaces, if the kinds' de-duplication drops the
// file, if a list whose group-kind holds `|` is not sent the plain way, or if referenceFindings
// skips a summary whose Istio, ServiceAccount, store or kind need is unmet.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Placed } from '../../generators/simulate/deployment.ts';
import type { DeployedObject } from '../../generators/simulate/inventory.ts';
import { LOCAL_SERVER } from '../../generators/simulate/argo/secrets.ts';
import type { AppRecord, RepoModel } from '../../generators/simulate/model.ts';
import { placedList, referenceFindings, summarizeApp, summarizePlaced, type PlacedSummary } from '../../generators/simulate/references.ts';

const obj = fc.oneof(
  fc.record({ group: fc.constant(''), kind: fc.constant('ServiceAccount'), name: fc.constantFrom('sa', 'other'), namespace: fc.constantFrom(undefined, 'ns-a') }),
  fc.record({ group: fc.constant(''), kind: fc.constant('Namespace'), name: fc.constantFrom('ns-a', 'ns-b'), labels: fc.constantFrom({}, { 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'restricted' }) }),
  fc.record({ group: fc.constant('external-secrets.io'), kind: fc.constant('ExternalSecret'), name: fc.constantFrom('es'), store: fc.constantFrom('st', 'gone'), storeKind: fc.constantFrom(undefined, 'ClusterSecretStore'), partOf: fc.constantFrom(undefined, 'argocd') }),
  fc.record({ group: fc.constant('external-secrets.io'), kind: fc.constantFrom('SecretStore', 'ClusterSecretStore'), name: fc.constantFrom('st'), sa: fc.constantFrom('sa', 'nobody') }),
  fc.record({ group: fc.constant('apps'), kind: fc.constant('Deployment'), name: fc.constantFrom('web'), sa: fc.constantFrom('sa', 'nobody', 'default') }),
  fc.record({ group: fc.constant('apiextensions.k8s.io'), kind: fc.constant('CustomResourceDefinition'), name: fc.constant('crd'), defines: fc.constantFrom('Widget', 'Rollout') }),
  fc.record({ group: fc.constantFrom('example.com', 'argoproj.io', 'we|ird.io'), kind: fc.constantFrom('Widget', 'Rollout', 'Application') }),
  fc.record({ group: fc.constant(''), kind: fc.constant('Secret'), name: fc.constantFrom('oidc', 'repo'), partOf: fc.constantFrom(undefined, 'argocd') }),
);

function deployed(spec: any, i: number, file: string): DeployedObject {
  const base = { group: spec.group, kind: spec.kind, name: spec.name ?? `x${i}`, namespace: spec.namespace, file, docIndex: i, pointer: '', line: i + 1, wave: 0 };
  switch (spec.kind) {
    case 'Namespace':
      return { ...base, obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.name, labels: spec.labels } } };
    case 'ExternalSecret':
      return { ...base, obj: { kind: 'ExternalSecret', metadata: { name: spec.name, labels: {} }, spec: { secretStoreRef: { name: spec.store, ...(spec.storeKind ? { kind: spec.storeKind } : {}) }, target: { name: 'oidc', template: { metadata: { labels: spec.partOf ? { 'app.kubernetes.io/part-of': spec.partOf } : {} } } } } } };
    case 'SecretStore':
    case 'ClusterSecretStore':
      return { ...base, obj: { kind: spec.kind, spec: { provider: { vault: { auth: { kubernetes: { serviceAccountRef: { name: spec.sa } } } } } } } };
    case 'Deployment':
      return { ...base, obj: { kind: 'Deployment', spec: { template: { spec: { serviceAccountName: spec.sa } } } } };
    case 'CustomResourceDefinition':
      return { ...base, obj: { kind: 'CustomResourceDefinition' }, defines: { group: spec.defines === 'Rollout' ? 'argoproj.io' : 'example.com', kind: spec.defines, scope: 'Namespaced' } };
    case 'Secret':
      return { ...base, namespace: 'argocd', obj: { kind: 'Secret', metadata: { name: spec.name, namespace: 'argocd', labels: spec.partOf ? { 'app.kubernetes.io/part-of': spec.partOf } : {} }, stringData: { k: 'v' } } };
    default:
      return { ...base, obj: spec.group === 'we|ird.io' ? undefined : { kind: spec.kind } };
  }
}

/** A placed object as data (its object by index in the list, the Application by name). */
const plainPlaced = (objects: readonly DeployedObject[]) => (p: Placed) => [objects.indexOf(p.obj), p.app?.name ?? null, p.by, p.cluster, p.namespace ?? null];
function comparable(s: PlacedSummary, objects: readonly DeployedObject[]) {
  const pp = plainPlaced(objects);
  const { detail, ...rest } = s;
  return JSON.stringify({
    ...rest,
    kinds: detail?.kinds.map((k) => [pp(k.p), k.gk]),
    saRefs: detail?.saRefs.map((r) => [pp(r.p), r.ref, r.ns ?? null]),
    storeRefs: detail?.storeRefs.map((r) => [pp(r.p), r.ref, r.kind]),
    istio: detail?.istio.map(pp),
    local: detail?.local.map(pp),
  });
}

const placement = fc.record({
  lists: fc.array(fc.array(fc.record({ o: obj, file: fc.constantFrom('a.yaml', 'b.yaml') }), { maxLength: 7 }), { minLength: 1, maxLength: 3 }),
  apps: fc.array(fc.record({ list: fc.nat(), cluster: fc.constantFrom(LOCAL_SERVER, 'https://one', 'https://two'), destNs: fc.constantFrom(undefined, 'ns-a', 'ns-b', 'argocd') }), { minLength: 1, maxLength: 8 }),
  scopedNamespaces: fc.boolean(),
});

function build(p: any) {
  const lists = p.lists.map((l: any) => {
    const objects = l.map((x: any, i: number) => deployed(x.o, i, x.file));
    return { objects, scoped: objects.map((o: DeployedObject) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition' || (p.scopedNamespaces && o.kind === 'ClusterSecretStore')) };
  });
  return p.apps.map((a: any, i: number) => {
    const list = lists[a.list % lists.length];
    const app = { name: `app-${i}`, namespace: 'argocd', manifest: {}, file: 'apps.yaml', at: '' } as AppRecord;
    return { objects: list.objects, scoped: list.scoped, app, by: `Application app-${i}`, cluster: a.cluster, destNs: a.destNs };
  });
}

test('summarizeApp = summarizePlaced of the placed list, with shapes shared across Applications', () => {
  fc.assert(
    fc.property(placement, (p) => {
      for (const at of build(p)) assert.is(comparable(summarizeApp(at, undefined), at.objects), comparable(summarizePlaced(placedList(at), undefined), at.objects));
    }),
    { numRuns: 1500, seed: 3 },
  );
});

test('referenceFindings reading only summaries with unmet needs = reading every detail', () => {
  const model = {
    argocd: { namespace: 'argocd', cm: { 'oidc.config': 'clientSecret: $oidc:k', 'x': '$repo:k' }, cmFile: 'argocd-cm.yaml', cmLineOf: () => 3 },
    prerequisites: {
      items: [
        { id: 'istio', clusters: ['two'], crds: [{ group: 'example.com', kinds: ['Widget'] }], capabilities: ['istio-cni'], namespaces: [], ingressClasses: [], repositoryCredentials: [] },
        { id: 'eso', crds: [{ group: 'external-secrets.io', kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore'] }, { group: 'argoproj.io', kinds: ['Rollout'] }], capabilities: [], namespaces: [], ingressClasses: [], repositoryCredentials: [] },
      ],
      problems: [],
    },
  } as unknown as RepoModel;
  const clusterNames = new Map([[LOCAL_SERVER, 'in-cluster'], ['https://one', 'one'], ['https://two', 'two']]);
  fc.assert(
    fc.property(placement, fc.boolean(), (p, bootstrap) => {
      const ats = build(p);
      const plain = ats.map((at: any) => summarizePlaced(placedList(at), undefined));
      const kept = plain.map(({ detail: _, ...rest }: PlacedSummary) => rest as PlacedSummary);
      // Some summaries lazily detailed, some kept without detail (an earlier run's), the bootstrap's plain.
      const summaries = ats.map((at: any, i: number) => (i % 3 === 2 ? kept[i] : i % 3 === 1 ? summarizeApp(at, undefined) : plain[i]));
      if (bootstrap) summaries.push(plain[0]);
      const detailed = (i: number) => (i < ats.length ? summarizeApp(ats[i], undefined) : plain[0]);
      const ctx = { model, placed: [], clusterNames, unmodelled: new Map([['https://one', ['chart@1']]]) };
      const ctx2 = { ...ctx };
      assert.is(JSON.stringify(referenceFindings(ctx, summaries, detailed)), JSON.stringify(referenceFindings(ctx2, summaries, detailed, { everyDetail: true })));
    }),
    { numRuns: 1500, seed: 4 },
  );
});

test('a group-kind holding `|` takes the plain path (its kind keys could meet otherwise)', () => {
  // `K.g|C|w` in f and `K.g` in `w|C|f` make one key the plain way, two without the cluster.
  const C = 'https://one';
  const objects: DeployedObject[] = [
    { group: 'g', kind: 'K', name: 'a', file: `w|${C}|f`, wave: 0, obj: {} },
    { group: `g|${C}|w`, kind: 'K', name: 'b', file: 'f', wave: 0, obj: {} },
  ];
  const at = { objects, scoped: [false, false], app: { name: 'x', namespace: 'argocd', manifest: {}, file: 'x.yaml', at: '' } as AppRecord, by: 'Application x', cluster: C, destNs: 'ns' };
  const plain = summarizePlaced(placedList(at), undefined);
  assert.is(plain.needKinds.length, 1);
  assert.is(comparable(summarizeApp(at, undefined), objects), comparable(plain, objects));
});

test.run();
