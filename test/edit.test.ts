import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { run } from '../generators/pipeline.ts';
import { parseSpecText } from '../generators/model/serialize.ts';
import { addEntity, removeEntity, updateEntity, patchModelText } from '../generators/model/edits.ts';
import { editRepo } from '../generators/commands/edit.ts';
import { InputError } from '../generators/model/errors.ts';
import { main } from '../generators/cli.ts';
import type { PlatformSpec } from '../generators/model/types.ts';
import { ROOT, readTree, copiesOf } from './helpers.ts';

const cli = (args: string[], cwd = ROOT) => execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...args], { cwd, reject: false, stdin: 'ignore', env: { CI: 'true' } });
/** The CLI entry in-process (no TTY), for the many flag cases: spawning node for each is slow. */
async function cliInProcess(args: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
  return { exitCode, stdout, stderr };
}

const enterpriseText = readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8');
const enterprise = () => parseSpecText(enterpriseText, 'enterprise') as PlatformSpec;

// One repository rendered from the enterprise example (as `init --example enterprise` does);
// every test works on its own copy.
const repo = copiesOf('gs-edit-', (root) => void run({ root, spec: enterprise(), refuseForeign: true }));

/** Every file (nothing excluded) -> sha256 of its bytes. */
function hashTree(dir: string): Map<string, string> {
  return new Map([...readTree(dir)].map(([p, text]) => [p, createHash('sha256').update(text).digest('hex')]));
}
function changedPaths(before: Map<string, string>, after: Map<string, string>): { created: string[]; modified: string[]; deleted: string[] } {
  const created = [...after.keys()].filter((p) => !before.has(p)).sort();
  const deleted = [...before.keys()].filter((p) => !after.has(p)).sort();
  const modified = [...after.keys()].filter((p) => before.has(p) && before.get(p) !== after.get(p)).sort();
  return { created, modified, deleted };
}

const SERVICES = {
  checkout: { name: 'checkout', tenant: 'payments', image: 'ghcr.io/acme/checkout', tag: '1.2.0', strategy: 'canary', host: 'checkout.acme.example.com' },
  catalog: { name: 'catalog', tenant: 'search', image: 'ghcr.io/acme/catalog', tag: '3.0.1', strategy: 'blueGreen', port: 9000 },
  reports: { name: 'reports', tenant: 'analytics', image: 'ghcr.io/acme/reports', tag: '0.3.0', strategy: 'rolling', overrides: { dev: { replicas: 1 } } },
} as const;

// Files outside apps/<tenant>/<service>/ that legitimately change when a service is added: the
// model, the manifest, and the CI event wiring and its README (every service gets a build trigger).
// Nothing else: the tenant ApplicationSets find the new overlays through their git generators.
// The EventSource's repository filter lists every built service; the tenant's Sensor gets a trigger.
const registration = (tenant: string) => ['.gitops-scaffold/manifest.json', 'platform.yaml', 'platform/ci/README.md', 'platform/ci/events.yaml', `platform/ci/sensors/${tenant}.yaml`];

for (const [name, service] of Object.entries(SERVICES)) {
  test(`add ${service.strategy} service writes only its files plus the registrations`, () => {
    const root = repo();
    const before = hashTree(root);
    const outcome = editRepo({ op: 'add', kind: 'service', root, entity: structuredClone(service) as any });
    assert.is(outcome.status, 'added');
    assert.is(outcome.result.conflicts.length, 0);
    const { created, modified, deleted } = changedPaths(before, hashTree(root));
    assert.equal(deleted, []);
    assert.ok(created.length >= 10, `created ${created.length} files`);
    for (const p of created) assert.ok(p.startsWith(`apps/${service.tenant}/${name}/`), `${p} belongs to the service`);
    assert.equal(modified, registration(service.tenant));
    const base = `apps/${service.tenant}/${name}/base`;
    if (service.strategy === 'rolling') {
      assert.ok(created.includes(`${base}/deployment.yaml`));
      assert.not.ok(created.includes(`${base}/rollout.yaml`));
    } else {
      const rollout = readFileSync(path.join(root, base, 'rollout.yaml'), 'utf8');
      assert.match(rollout, service.strategy === 'canary' ? /\n\s+canary:/ : /\n\s+blueGreen:/);
    }
    const model = YAML.parse(readFileSync(path.join(root, 'platform.yaml'), 'utf8'));
    assert.equal(model.services.at(-1), service, 'appended to services as given');
    rmSync(path.dirname(root), { recursive: true });
  });
}

test('adding the same service twice changes no byte; add -> remove restores every byte', () => {
  const root = repo();
  const pristine = hashTree(root);
  editRepo({ op: 'add', kind: 'service', root, entity: { ...SERVICES.checkout } as any });
  const added = hashTree(root);
  const again = editRepo({ op: 'add', kind: 'service', root, entity: { ...SERVICES.checkout } as any });
  assert.is(again.status, 'unchanged');
  assert.ok(again.result.noop);
  assert.equal(hashTree(root), added, 'second add is a no-op');
  const removed = editRepo({ op: 'remove', kind: 'service', root, entity: { name: 'checkout' } });
  assert.is(removed.status, 'removed');
  assert.equal(hashTree(root), pristine, 'tree back to its previous bytes, manifest and platform.yaml included');
  assert.not.ok(existsSync(path.join(root, 'apps/payments/checkout')), 'emptied folders pruned');
  rmSync(path.dirname(root), { recursive: true });
});

test('add -> remove restores the bytes for a tenant, a cluster and environments (new or existing cluster)', () => {
  const root = repo();
  const pristine = hashTree(root);
  const steps: [Parameters<typeof editRepo>[0], string][] = [
    [{ op: 'add', kind: 'tenant', root, entity: { name: 'billing', environments: ['dev', 'staging'] } }, 'argocd/projects/billing.yaml'],
    [{ op: 'add', kind: 'cluster', root, entity: { name: 'dev-us-1', server: 'https://dev-us-1.k8s.acme.example.com', environment: 'dev', region: 'us-east-1' } }, 'argocd/clusters/dev-us-1.yaml'],
    [{ op: 'add', kind: 'environment', root, entity: { name: 'qa' }, options: { after: 'dev', cluster: { name: 'qa-eu-1', server: 'https://qa-eu-1.k8s.acme.example.com' } } }, 'argocd/clusters/qa-eu-1.yaml'],
    [{ op: 'add', kind: 'environment', root, entity: { name: 'perf' }, options: { cluster: { name: 'hub' } } }, 'apps/payments/payments-api/overlays/perf/kustomization.yaml'],
  ];
  for (const [req, file] of steps) {
    const before = hashTree(root);
    const outcome = editRepo(req);
    assert.is(outcome.status, 'added', `${req.kind} ${req.entity.name}`);
    assert.ok(existsSync(path.join(root, file)), `${file} written for ${req.kind} ${req.entity.name}`);
    // (the output checks ran on the add; skipping them below changes no byte, only time)
    const undo = editRepo({ op: 'remove', kind: req.kind, root, entity: { name: req.entity.name }, check: false });
    assert.is(undo.status, 'removed');
    assert.equal(hashTree(root), before, `remove ${req.kind} ${req.entity.name} restores every byte`);
    editRepo({ ...req, check: false }); // keep it, so the next step stacks on it
  }
  const model = parseSpecText(readFileSync(path.join(root, 'platform.yaml'), 'utf8'), 'p') as PlatformSpec;
  assert.equal(model.environments.map((e) => e.name), ['dev', 'qa', 'staging', 'perf', 'prod'], '--after dev; by default just before the last');
  assert.equal(model.clusters.find((c) => c.name === 'hub')!.environments, ['dev', 'perf']);
  for (const [req] of [...steps].reverse()) editRepo({ op: 'remove', kind: req.kind, root, entity: { name: req.entity.name }, check: false });
  assert.equal(hashTree(root), pristine, 'all four removed: back to the first bytes');
  rmSync(path.dirname(root), { recursive: true });
});

test('a hand edit to a managed file is merged when a later edit changes other lines', () => {
  const root = repo();
  editRepo({ op: 'add', kind: 'service', root, entity: { ...SERVICES.reports } as any });
  const file = path.join(root, 'apps/analytics/reports/base/deployment.yaml');
  const original = readFileSync(file, 'utf8');
  assert.match(original, /containerPort: 8080/);
  writeFileSync(file, original.replace('spec:\n', '# reviewed by security\nspec:\n'));
  const outcome = editRepo({ op: 'add', kind: 'service', root, entity: { name: 'reports', port: 9090 }, options: { update: true } });
  assert.is(outcome.status, 'updated');
  assert.is(outcome.result.changes.find((c) => c.path === 'apps/analytics/reports/base/deployment.yaml')!.kind, 'merge');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes('# reviewed by security'), 'keeps the hand edit');
  assert.match(text, /containerPort: 9090/, 'takes the new port');
  const model = YAML.parse(readFileSync(path.join(root, 'platform.yaml'), 'utf8'));
  assert.equal(model.services.find((s: any) => s.name === 'reports'), { ...SERVICES.reports, port: 9090 }, '--update keeps the fields not given');
  rmSync(path.dirname(root), { recursive: true });
});

test('platform.yaml: comments inside the lists survive add and remove, byte for byte', () => {
  const commented = enterpriseText.replace('  - name: search-api\n', '  # owned by the search team, see RUNBOOK.md\n  - name: search-api\n').replace('  - name: analytics\n', '  - name: analytics # onboarding\n');
  const spec = parseSpecText(commented, 'p') as PlatformSpec;
  const added = addEntity(spec, 'service', { ...SERVICES.catalog } as any).spec;
  const text = patchModelText(commented, added);
  assert.ok(text.includes('# owned by the search team, see RUNBOOK.md'));
  assert.ok(text.includes('- name: analytics # onboarding'));
  assert.equal(parseSpecText(text, 'p'), added);
  assert.is(patchModelText(text, removeEntity(added, 'service', 'catalog').spec), commented);
});

test('edits: positions, update merges, empty lists go, dependants are named', () => {
  const spec = enterprise();
  const withQa = addEntity(spec, 'environment', { name: 'qa' }, { cluster: { name: 'qa-1', server: 'https://qa-1.example.com' } });
  assert.equal(withQa.spec.environments.map((e) => e.name), ['dev', 'staging', 'qa', 'prod'], 'default: just before the last');
  assert.equal(withQa.spec.clusters.at(-1), { name: 'qa-1', server: 'https://qa-1.example.com', environment: 'qa' });
  assert.equal(spec.environments.length, 3, 'input not mutated');
  const removed = removeEntity(withQa.spec, 'environment', 'qa');
  assert.equal(removed.spec, spec, 'removing the environment takes the cluster that served only it');
  assert.match(removed.notes.join(), /qa-1 removed/);

  const updated = updateEntity(spec, 'service', 'payments-api', { overrides: { prod: { replicas: 6 } } }).spec;
  assert.equal(updated.services![0].overrides, { dev: { tag: '2.15.0-rc.1', replicas: 1 }, prod: { replicas: 6, cpu: '1', memory: '1Gi' } });

  const bare: PlatformSpec = { name: 'x', repo: { url: 'https://github.com/a/b.git' }, environments: [{ name: 'dev' }], clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev' }] };
  const t = addEntity(bare, 'tenant', { name: 'web' }).spec;
  const s = addEntity(t, 'service', { name: 'site', tenant: 'web', image: 'ghcr.io/a/site', tag: '1' }).spec;
  assert.equal(removeEntity(removeEntity(s, 'service', 'site').spec, 'tenant', 'web').spec, bare, 'no services: [] or tenants: [] left behind');

  assert.throws(() => addEntity(spec, 'service', { ...spec.services![1], port: 1234 }), (e: unknown) => e instanceof InputError && /differs in port/.test(e.message) && /--update/.test(e.message));
  assert.throws(() => removeEntity(spec, 'tenant', 'search'), (e: unknown) => e instanceof InputError && /search-api, query-suggest/.test(e.message) && /remove service search-api/.test(e.message));
  assert.throws(() => removeEntity(spec, 'environment', 'staging'), (e: unknown) => e instanceof InputError && /tenant analytics/.test(e.message));
  assert.throws(() => removeEntity(spec, 'cluster', 'staging-eu-1'), (e: unknown) => e instanceof InputError && /only cluster serving environment "staging"/.test(e.message));
  assert.ok(removeEntity(spec, 'cluster', 'prod-us-1').spec.clusters.every((c) => c.name !== 'prod-us-1'), 'prod keeps prod-eu-1');
  assert.throws(() => removeEntity(spec, 'service', 'nope'), /no service "nope"/);
  assert.throws(() => addEntity(spec, 'environment', { name: 'qa' }, { after: 'nope' }), /--after nope/);
});

// ---- through the CLI --------------------------------------------------------------------------

test('cli: add three services (--set relative to the service), then the validator passes', async () => {
  const root = repo();
  const adds = [
    ['add', 'service', 'checkout', '--tenant', 'payments', '--image', 'ghcr.io/acme/checkout', '--tag', '1.2.0', '--strategy', 'canary', '--host', 'checkout.acme.example.com'],
    ['add', 'service', '--name', 'catalog', '--tenant', 'search', '--image', 'ghcr.io/acme/catalog', '--tag', '3.0.1', '--strategy', 'blueGreen', '--port', '9000'],
    ['add', 'service', 'reports', '--tenant', 'analytics', '--image', 'ghcr.io/acme/reports', '--tag', '0.3.0', '--strategy', 'rolling', '--set', 'overrides.dev.replicas=1', '--json'],
  ];
  for (const args of adds) {
    const r = await cliInProcess([...args, '--repo', root]);
    assert.is(r.exitCode, 0, r.stderr);
  }
  const model = YAML.parse(readFileSync(path.join(root, 'platform.yaml'), 'utf8'));
  assert.equal(model.services.slice(-3), Object.values(SERVICES), 'flags and --set coerced by the schema (port, replicas are numbers)');
  const v = await cli(['validate', root]);
  assert.is(v.exitCode, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /0 errors/);
  rmSync(path.dirname(root), { recursive: true });
});

test('cli (in-process): --dry-run prints a diff and writes nothing; --json is one result; a second add says No changes', async () => {
  const root = repo();
  const before = hashTree(root);
  const args = ['add', 'tenant', 'billing', '--environments', 'dev,staging', '--set', 'quota.pods=20', '--repo', root];
  const dry = await cliInProcess([...args, '--dry-run']);
  assert.is(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, /\+\+\+ b\/platform\.yaml\n@@ -\d+,\d+ \+\d+,\d+ @@/);
  assert.match(dry.stdout, /\n\+  - name: billing\n/);
  assert.match(dry.stdout, /--- \/dev\/null\n\+\+\+ b\/argocd\/projects\/billing\.yaml/);
  assert.equal(hashTree(root), before, 'dry run wrote nothing');
  const real = await cliInProcess([...args, '--json']);
  assert.is(real.exitCode, 0, real.stderr);
  const json = JSON.parse(real.stdout);
  assert.is(json.command, 'add tenant');
  assert.is(json.status, 'added');
  assert.equal(json.entity, { kind: 'tenant', name: 'billing' });
  assert.ok(json.files.some((f: any) => f.path === 'argocd/projects/billing.yaml' && f.action === 'create'));
  const again = await cliInProcess(args);
  assert.is(again.exitCode, 0, again.stderr);
  assert.match(again.stdout, /No changes/);
  const pods = YAML.parse(readFileSync(path.join(root, 'platform.yaml'), 'utf8')).tenants.at(-1).quota.pods;
  assert.is(pods, 20);
  rmSync(path.dirname(root), { recursive: true });
});

test('cli (in-process): bad input exits 2 naming the field and the fix, and writes nothing', async () => {
  const root = repo();
  const before = hashTree(root);
  const base = ['add', 'service', '--repo', root, '--image', 'ghcr.io/acme/ledger', '--tag', '1.0.0'];
  const cases: [string[], RegExp][] = [
    [[...base, '--name', 'ledger', '--tenant', 'payments', '--port', 'abc'], /services\[ledger\]\.port: "abc" must be of type integer \(fix: give a valid value with --port VALUE\)/],
    [[...base, '--name', 'ledger', '--tenant', 'nope'], /services\[ledger\]\.tenant: "nope" is not a declared tenant.*\(fix: add the tenant first/],
    [[...base, '--name', 'Ledger', '--tenant', 'payments'], /services\[Ledger\]\.name: "Ledger" is not a DNS-1123 name.*\(fix: use e\.g\. "ledger"\)/],
    [['add', 'service', 'search-api', '--repo', root, '--port', '9999'], /services\[search-api\]: differs in port \(fix: re-run with --update/],
    [['add', 'tenant', 'x', '--repo', root, '--image', 'foo'], /--image: is not a flag of gitops-scaffold add tenant \(it belongs to add service\)/],
    [['remove', 'tenant', 'payments', '--repo', root], /tenants\[payments\]: services still belong to it: payments-api \(fix: remove them first: gitops-scaffold remove service payments-api\)/],
  ];
  for (const [args, expected] of cases) {
    const r = await cliInProcess(args);
    assert.is(r.exitCode, 2, args.join(' '));
    assert.match(r.stderr, expected);
  }
  assert.equal(hashTree(root), before, 'nothing written');
  rmSync(path.dirname(root), { recursive: true });
});

test('cli: a missing required field with CI=true exits 2 without prompting, naming the flags', async () => {
  const root = repo();
  const before = hashTree(root);
  const r = await cli(['add', 'service', 'ledger', '--tenant', 'payments'], root); // found from the current folder
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /no TTY/);
  assert.match(r.stderr, /services\[ledger\]\.image: required and not answered \(fix: --image/);
  assert.match(r.stderr, /services\[ledger\]\.tag: required and not answered \(fix: --tag/);
  assert.not.match(r.stdout, /\?/, 'no question asked');
  assert.equal(hashTree(root), before);
  rmSync(path.dirname(root), { recursive: true });
});

test('cli: a conflicting hand edit exits 1, leaves the file and writes a proposal beside it', async () => {
  const root = repo();
  const add = await cliInProcess(['add', 'service', 'reports', '--tenant', 'analytics', '--image', 'ghcr.io/acme/reports', '--tag', '0.3.0', '--strategy', 'rolling', '--repo', root]);
  assert.is(add.exitCode, 0, add.stderr);
  const rel = 'apps/analytics/reports/base/deployment.yaml';
  const file = path.join(root, rel);
  const edited = readFileSync(file, 'utf8').replace('containerPort: 8080', 'containerPort: 8081 # mine');
  writeFileSync(file, edited);
  const r = await cli(['add', 'service', 'reports', '--update', '--port', '9090', '--repo', root]);
  assert.is(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, new RegExp(`! ${rel.replace(/[/.]/g, '\\$&')}`));
  assert.is(readFileSync(file, 'utf8'), edited, 'file untouched');
  assert.match(readFileSync(`${file}.gitops-scaffold-new`, 'utf8'), /containerPort: 9090/);
  rmSync(path.dirname(root), { recursive: true });
});

test.run();
