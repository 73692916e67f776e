// Fleet-scale Argo CD: the install follows the model's size through one table of thresholds
// (model/fleet.ts): application-controller shards from clusters and Applications (never more than
// the clusters: a cluster is one shard's), queue processors at upstream's 1000-Application ratio,
// repo-server replicas and resources from Applications, Redis HA with argocd.ha. The patches
// merge into the upstream objects as upstream's HA guide says (replicas and ARGOCD_CONTROLLER_REPLICAS).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import YAML from 'yaml';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { validateSpec } from '../../generators/model/validate-spec.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { applicationBand, applicationCount, fleetFor, fleetPlan, FLEET } from '../../generators/plan/fleet.ts';
import { readRepoFiles } from '../../generators/validate/repo-files.ts';
import { runPipeline } from '../../generators/validate/pipeline.ts';
import { buildRepoModel } from '../../generators/simulate/model.ts';
import { diskReader } from '../../generators/simulate/on-disk.ts';
import { defaultExpander } from '../../generators/simulate/expander.ts';
import { findKustomizeTool } from '../../generators/validate/kustomize/tool.ts';
import { ROOT, tempDir } from '../helpers.ts';

const example = (name: string) => normalize(validateSpec(parseSpecText(readFileSync(path.join(ROOT, 'examples', name, 'platform.yaml'), 'utf8'), name)));

test('the Applications counted from the model are the ones the simulation finds in the rendered examples', () => {
  for (const name of ['enterprise', 'minimal']) {
    const dir = path.join(ROOT, 'examples', name);
    const files = readRepoFiles([dir]);
    const r = runPipeline(files.manifests, files.all, {});
    const model = buildRepoModel({ resources: r.resources, repo: r.repo, read: diskReader(files.root), expand: defaultExpander() });
    assert.is(applicationCount(example(name)), model.applications.length, name);
  }
});

test('shards: one per 10 clusters or 1000 Applications, whichever needs more, never more than the clusters', () => {
  const shards = (clusters: number, applications: number) => fleetFor({ clusters, applications, ha: true }).controller.shards;
  assert.is(shards(1, 50), 1);
  assert.is(shards(10, 400), 1);
  assert.is(shards(11, 400), 2);
  assert.is(shards(50, 500), 5); // argo-cd #21975: 500+ apps on 50 clusters
  assert.is(shards(4, 2500), 3);
  assert.is(shards(1, 5000), 1); // one cluster is one shard's, however many Applications
  assert.is(shards(400, 100), FLEET.controller.maxShards);
  // Processors at upstream's ratio (50 / 25 for 1000 Applications per controller), never below the defaults.
  assert.equal(fleetFor({ clusters: 1, applications: 1000, ha: false }).controller.statusProcessors, 50);
  assert.equal(fleetFor({ clusters: 1, applications: 1000, ha: false }).controller.operationProcessors, 25);
  assert.equal(fleetFor({ clusters: 3, applications: 42, ha: false }).controller.statusProcessors, 20);
  assert.equal(fleetFor({ clusters: 3, applications: 42, ha: false }).controller.operationProcessors, 10);
});

test('repo-servers: one per 250 Applications, 2 at least with HA; resources by Applications per replica or shard', () => {
  const repo = (applications: number, ha: boolean) => fleetFor({ clusters: 5, applications, ha }).repoServer;
  assert.is(repo(40, false).replicas, 1);
  assert.is(repo(40, true).replicas, 2);
  assert.is(repo(251, false).replicas, 2);
  assert.is(repo(1000, true).replicas, 4);
  assert.is(repo(100_000, true).replicas, FLEET.repoServer.maxReplicas);
  assert.is(repo(100, false).tier, 'small');
  assert.is(repo(101, false).tier, 'medium'); // 101 on one replica (ceil(101/250) = 1)
  assert.is(repo(1000, true).tier, 'medium'); // 250 per replica
  assert.is(repo(100_000, true).tier, 'large');
  assert.is(repo(100_000, true).parallelism, 20);
  assert.is(fleetFor({ clusters: 1, applications: 600, ha: false }).controller.tier, 'large');
  assert.is(fleetFor({ clusters: 20, applications: 600, ha: false }).controller.tier, 'medium'); // 2 shards of 300
  assert.is(fleetFor({ clusters: 20, applications: 150, ha: false }).controller.tier, 'small'); // 2 shards of 75
});

test('generated files name the range of sizes with the same install, so a service added inside it changes nothing of Argo CD', () => {
  assert.equal(applicationBand(4, 42, true), { from: 1, to: 100 }); // small tier up to 100
  // Controller tier medium from 101; a repo-server holds 75 then 100: medium from 201.
  assert.equal(applicationBand(4, 150, true), { from: 101, to: 200 });
  // 3 shards; processors move every 200 Applications of a shard (600 here); repo-servers are at 10 already.
  assert.equal(applicationBand(30, 2500, true), { from: 2401, to: 3000 });
  const top = applicationBand(1, 100_000, true);
  assert.is(top.to, undefined);
});

test('the band compares installs by their counts and tier names: the same range as comparing the whole install', () => {
  // The plain definition: the widest run of counts around `applications` whose fleetFor (all but
  // the count) is the same object.
  const plain = (clusters: number, applications: number, ha: boolean) => {
    const install = (n: number) => JSON.stringify({ ...fleetFor({ clusters, applications: n, ha }), applications: 0 });
    const now = install(applications);
    let from = applications;
    while (from > 1 && install(from - 1) === now) from--;
    let to = applications;
    const ceiling = Math.max(FLEET.controller.applicationsPerShard * FLEET.controller.maxShards, FLEET.repoServer.applicationsPerReplica * FLEET.repoServer.maxReplicas) * 2;
    while (to < ceiling && install(to + 1) === now) to++;
    return to >= ceiling ? { from } : { from, to };
  };
  for (const clusters of [1, 2, 4, 11, 30, 250])
    for (const ha of [false, true])
      for (const applications of [1, 99, 100, 101, 250, 501, 999, 1000, 1001, 2600, 5666, 9999, 20001]) {
        assert.equal(applicationBand(clusters, applications, ha), plain(clusters, applications, ha), `${clusters} clusters, ${applications} Applications, ha ${ha}`);
        assert.equal(applicationBand(clusters, applications, ha), plain(clusters, applications, ha), 'asked again (remembered)');
      }
});

test('the examples: enterprise (4 clusters, HA) and minimal (1 cluster) as rendered', () => {
  const e = fleetPlan(example('enterprise'));
  assert.equal([e.controller.shards, e.repoServer.replicas, e.redisHa, e.shardingAlgorithm], [1, 2, true, 'consistent-hashing']);
  const m = fleetPlan(example('minimal'));
  assert.equal([m.controller.shards, m.repoServer.replicas, m.redisHa], [1, 1, false]);
  const params = YAML.parse(readFileSync(path.join(ROOT, 'examples/enterprise/argocd/install/argocd-cmd-params-cm.yaml'), 'utf8'));
  assert.is(params.data['controller.sharding.algorithm'], 'consistent-hashing');
  assert.is(params.data['controller.status.processors'], '20');
  assert.is(params.data['reposerver.parallelism.limit'], '5');
  const readme = readFileSync(path.join(ROOT, 'examples/enterprise/README.md'), 'utf8');
  assert.match(readme, /This platform has 4 cluster\(s\) and up to 100 Applications/);
  assert.match(readme, /\| application-controller shards .* \| 1 \| one per 10 clusters or per 1000 Applications/);
  // argocd.ha's default comes from the same table.
  assert.is(FLEET.haFromClusters, 3);
});

test('the scaling patches merge into the upstream objects: replicas, ARGOCD_CONTROLLER_REPLICAS, resources, other env kept', async () => {
  const tool = await findKustomizeTool();
  const kustomization = YAML.parse(readFileSync(path.join(ROOT, 'examples/enterprise/argocd/install/kustomization.yaml'), 'utf8'));
  const inline = kustomization.patches.filter((p: any) => p.patch).map((p: any) => YAML.parse(p.patch));
  assert.equal(inline.map((p: any) => `${p.kind}/${p.metadata.name}`), ['StatefulSet/argocd-application-controller', 'Deployment/argocd-repo-server']);
  if (!tool) return; // the merge itself needs kustomize or kubectl (CI has kubectl)
  // The upstream objects' shape at v3.5.1 (manifests/base): the container names and the env
  // variable the controller reads its shard count from.
  const dir = tempDir('gs-fleet-');
  mkdirSync(path.join(dir, 'k'));
  writeFileSync(path.join(dir, 'k/upstream.yaml'), `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: argocd-application-controller}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: argocd-application-controller}}
  serviceName: argocd-application-controller
  template:
    metadata: {labels: {app.kubernetes.io/name: argocd-application-controller}}
    spec:
      containers:
        - name: argocd-application-controller
          image: quay.io/argoproj/argocd:v3.5.1
          env:
            - {name: ARGOCD_CONTROLLER_REPLICAS, value: "1"}
            - {name: ARGOCD_RECONCILIATION_TIMEOUT, value: "180s"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: argocd-repo-server}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: argocd-repo-server}}
  template:
    metadata: {labels: {app.kubernetes.io/name: argocd-repo-server}}
    spec:
      containers:
        - {name: argocd-repo-server, image: quay.io/argoproj/argocd:v3.5.1}
`);
  const big = fleetFor({ clusters: 50, applications: 2600, ha: true });
  const { scalingPatches } = await import('../../generators/plan/argocd.ts');
  writeFileSync(path.join(dir, 'k/kustomization.yaml'), YAML.stringify({ resources: ['upstream.yaml'], patches: scalingPatches(big).map((p) => ({ patch: YAML.stringify(p) })) }));
  const out = YAML.parseAllDocuments(execFileSync(tool.command, tool.args(path.join(dir, 'k')), { encoding: 'utf8' })).map((d) => d.toJS());
  const sts = out.find((o: any) => o.kind === 'StatefulSet');
  const deploy = out.find((o: any) => o.kind === 'Deployment');
  assert.is(sts.spec.replicas, 5);
  assert.equal(sts.spec.template.spec.containers[0].env, [{ name: 'ARGOCD_CONTROLLER_REPLICAS', value: '5' }, { name: 'ARGOCD_RECONCILIATION_TIMEOUT', value: '180s' }]);
  assert.equal(sts.spec.template.spec.containers[0].resources, big.controller.resources);
  assert.is(deploy.spec.replicas, 10);
  assert.equal(deploy.spec.template.spec.containers[0].resources, big.repoServer.resources);
  assert.is(deploy.spec.template.spec.containers[0].image, 'quay.io/argoproj/argocd:v3.5.1');
});

test.run();
