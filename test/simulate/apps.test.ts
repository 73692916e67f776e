// `gitops-scaffold apps [DIR]`: every Application the repository produces, per ApplicationSet,
// in text and JSON, with the prerequisites the repository declares.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../generators/cli.ts';
import { ROOT } from '../helpers.ts';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
  return { exitCode, stdout, stderr };
}

test('apps --output json lists every Application of the enterprise example, per ApplicationSet', async () => {
  const r = await run(['apps', path.join(ROOT, 'examples/enterprise'), '--output', 'json']);
  const report = JSON.parse(r.stdout);
  assert.is(report.repoUrl, 'https://github.com/acme/platform-gitops.git');
  const written = report.groups.find((g: any) => !g.appSet);
  assert.equal(written.applications.map((a: any) => a.name).sort(), ['argocd', 'argocd-secrets', 'cluster-registrations', 'external-secrets-hub', 'projects', 'root']);
  const rollouts = report.groups.find((g: any) => g.appSet === 'addon-argo-rollouts');
  assert.equal(rollouts.applications.map((a: any) => a.destination.cluster).sort(), ['in-cluster', 'prod-eu-1', 'prod-us-1', 'staging-eu-1']);
  assert.ok(rollouts.applications.every((a: any) => a.syncWave === -5 && a.project === 'platform'));
  const payments = report.groups.find((g: any) => g.appSet === 'tenant-payments');
  assert.ok(payments.applications.length > 0);
  assert.ok(payments.applications.every((a: any) => [1, 2, 3].includes(a.rollingSyncStep)), 'each tenant Application has its RollingSync step');
  assert.ok(Array.isArray(report.prerequisites) && Array.isArray(report.findings));
});

test('enterprise: every Application has a valid name and each tenant reaches every cluster of each of its environments', async () => {
  const dir = path.join(ROOT, 'examples/enterprise');
  const report = JSON.parse((await run(['apps', dir, '--output', 'json'])).stdout);
  assert.not.ok(report.findings.some((f: any) => f.rule === 'sim/app-name' || f.rule === 'sim/k8s/invalid-name'), 'no invalid Application name');
  const all = report.groups.flatMap((g: any) => g.applications);
  assert.ok(all.every((a: any) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(a.name) && a.name.length <= 253));
  // What the repository says should exist: every overlay of a tenant's service on every cluster
  // whose targets/ serve that environment.
  const serversOf = (env: string) =>
    readdirSync(path.join(dir, 'clusters')).flatMap((c) => {
      try {
        return [JSON.parse(readFileSync(path.join(dir, 'clusters', c, 'targets', `${env}.json`), 'utf8')).server];
      } catch {
        return [];
      }
    });
  for (const tenant of readdirSync(path.join(dir, 'apps'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const group = report.groups.find((g: any) => g.appSet === `tenant-${tenant}`);
    assert.ok(group, `ApplicationSet tenant-${tenant}`);
    const got = new Set(group.applications.map((a: any) => `${a.sources[0].split(' ')[1].replace(/@.*$/, '')} ${a.destination.server}`));
    for (const service of readdirSync(path.join(dir, 'apps', tenant), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name))
      for (const env of readdirSync(path.join(dir, 'apps', tenant, service, 'overlays')))
        for (const server of serversOf(env)) assert.ok(got.has(`apps/${tenant}/${service}/overlays/${env} ${server}`), `${tenant}/${service}/${env} on ${server}`);
    assert.ok(group.applications.every((a: any) => a.destination.cluster), `tenant-${tenant}: every destination registered`);
  }
});

test('apps prints text: the count, the groups, destinations, and the simulation errors; exit 1 on errors', async () => {
  const r = await run(['apps', path.join(ROOT, 'test/simulate/fixtures/defects/spoke-registered-later')]);
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /^4 Applications from https:\/\/github\.com\/acme\/platform-gitops\.git/);
  assert.match(r.stdout, /ApplicationSet addon-argo-rollouts \(argocd\/apps\/addon-argo-rollouts\.yaml\): 2 Applications/);
  assert.match(r.stdout, /argo-rollouts-prod-eu-1\n    project platform  wave -5  -> prod-eu-1\/argo-rollouts/);
  assert.match(r.stdout, /\[sim\/bootstrap-cluster-not-registered\]/);
});

test('apps on a folder without Argo CD objects is a usage error', async () => {
  const r = await run(['apps', path.join(ROOT, 'test/fixtures/kubeconform')]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /holds no Argo CD Application, ApplicationSet or AppProject/);
});

test.run();
