// Issue 12's upgrade, end to end: a repository made from examples/enterprise with older pins, a
// hand edit in a file the upgrade changes; `upgrade --dry-run` shows what would move, `upgrade`
// moves it, keeps the edit, records this tool's pins; a second run has nothing to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { TOOL_PINS, type PinSet } from '../../generators/model/pins.ts';
import { main } from '../../generators/cli.ts';
import { ROOT, tempDir, readTree } from '../helpers.ts';
import { gitRepo, calls, remoteFile, cli as gitCli } from './git-fixture.ts';

const OLD_SYFT = `sha256:${'e'.repeat(64)}`;
function olderPins(): PinSet {
  const p = structuredClone(TOOL_PINS) as PinSet;
  p.argocd.version = 'v3.4.2';
  p.argoRollouts.version = 'v1.8.3';
  p.externalSecrets.version = '2.8.1';
  p.ciImages.syft = { ...p.ciImages.syft, tag: 'v1.50.0', digest: OLD_SYFT };
  return p;
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
  return { exitCode, stdout, stderr };
}

/** The enterprise example rendered by this tool with older pins (and platform.yaml naming the old Argo CD). */
function oldRepo(): string {
  const root = path.join(tempDir('gs-upgrade-'), 'repo');
  const text = readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8').replace('  version: v3.5.1\n', '  version: v3.4.2\n');
  run({ root, spec: parseSpecText(text, 'enterprise'), previousModelText: text, refuseForeign: true, pins: olderPins() });
  return root;
}

const read = (root: string, f: string) => readFileSync(path.join(root, f), 'utf8');
const INSTALL = 'argocd/install/kustomization.yaml';

test('upgrade moves older pins, keeps a hand edit, records the new pins; a second run has nothing to do', async () => {
  const root = oldRepo();
  const manifest = JSON.parse(read(root, '.gitops-scaffold/manifest.json'));
  assert.is(manifest.pins.argocd.version, 'v3.4.2', 'the repo records the pins it was rendered with');
  assert.match(read(root, INSTALL), /cluster-install\?ref=v3\.4\.2"/);
  // Rendering again keeps the recorded pins: a newer tool never moves them by itself.
  const render = await cli(['render', '--repo', root]);
  assert.is(render.exitCode, 0, render.stderr);
  assert.match(render.stdout, /No changes/);
  // A hand edit in a file the upgrade rewrites, away from the lines it changes: the team adds
  // its own manifest to the Argo CD install.
  writeFileSync(path.join(root, 'argocd/install/team-dashboards.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-dashboards\ndata:\n  url: https://grafana.acme.example.com/d/argocd\n');
  writeFileSync(path.join(root, INSTALL), read(root, INSTALL).replace('  - networkpolicies.yaml\n', '  - networkpolicies.yaml\n  - team-dashboards.yaml # added by the platform team\n'));
  const before = readTree(root);

  const dry = await cli(['upgrade', '--dry-run', '--repo', root]);
  assert.is(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, /^Would upgrade from the pins of gitops-scaffold [\d.]+ to those of gitops-scaffold [\d.]+:/);
  assert.match(dry.stdout, /Argo CD +v3\.4\.2 -> v3\.5\.1\n +https:\/\/argo-cd\.readthedocs\.io\/en\/stable\/operator-manual\/upgrading\/3\.4-3\.5\//);
  assert.match(dry.stdout, /Argo Rollouts +v1\.8\.3 -> v1\.9\.1/);
  assert.match(dry.stdout, /External Secrets \(chart\) +2\.8\.1 -> 2\.9\.0\n +https:\/\/github\.com\/external-secrets\/external-secrets\/releases\/tag\/helm-chart-2\.9\.0/);
  assert.match(dry.stdout, /CI image syft \(docker\.io\/anchore\/syft\) +v1\.50\.0 -> v1\.51\.1/);
  assert.match(dry.stdout, /platform\.yaml: argocd\.version v3\.4\.2 -> v3\.5\.1 \(platform\.yaml named the recorded pin\)/);
  assert.match(dry.stdout, /M argocd\/install\/kustomization\.yaml  \(hand edit merged with the new render\)/);
  assert.match(dry.stdout, /-  - "https:\/\/github\.com\/argoproj\/argo-cd\/\/manifests\/ha\/cluster-install\?ref=v3\.4\.2"\n\+  - "https:\/\/github\.com\/argoproj\/argo-cd\/\/manifests\/ha\/cluster-install\?ref=v3\.5\.1"/);
  assert.equal(readTree(root), before, '--dry-run writes nothing');

  const up = await cli(['upgrade', '--repo', root]);
  assert.is(up.exitCode, 0, up.stderr + up.stdout);
  assert.match(up.stdout, /^Upgraded from the pins of gitops-scaffold/);
  const install = read(root, INSTALL);
  assert.match(install, /cluster-install\?ref=v3\.5\.1"/);
  assert.match(install, /  - team-dashboards\.yaml # added by the platform team\n/, 'the hand edit is kept');
  assert.match(read(root, 'platform/addons/argo-rollouts/kustomization.yaml'), /ref=v1\.9\.1[\s\S]*newTag: v1\.9\.1/);
  assert.match(read(root, 'platform/ci/workflow-template.yaml'), new RegExp(`anchore/syft:v1\\.51\\.1@${TOOL_PINS.ciImages.syft.digest}`));
  assert.match(read(root, 'platform.yaml'), /\n  version: v3\.5\.1\n/);
  assert.equal(JSON.parse(read(root, '.gitops-scaffold/manifest.json')).pins, JSON.parse(JSON.stringify(TOOL_PINS)), 'the record is this tool\'s pins');

  const again = await cli(['upgrade', '--repo', root]);
  assert.is(again.exitCode, 0);
  assert.match(again.stdout, /^Nothing to upgrade: the repository already uses the pins of gitops-scaffold [\d.]+, the version that rendered it\./);
  assert.match((await cli(['render', '--repo', root])).stdout, /No changes/);
});

test('an overlapping hand edit is a conflict (exit 1, proposal beside it); a newer tool\'s repo is refused (exit 2)', async () => {
  const root = oldRepo();
  writeFileSync(path.join(root, INSTALL), read(root, INSTALL).replace('cluster-install?ref=v3.4.2"', 'cluster-install?ref=v3.4.3" # our hotfix'));
  const r = await cli(['upgrade', '--repo', root]);
  assert.is(r.exitCode, 1, r.stdout);
  assert.match(r.stdout, /! argocd\/install\/kustomization\.yaml  \(edited by hand and changed by this run in overlapping places\)/);
  assert.ok(existsSync(path.join(root, `${INSTALL}.gitops-scaffold-new`)));
  assert.match(read(root, INSTALL), /ref=v3\.4\.3" # our hotfix/, 'the edit is left alone');

  const newer = oldRepo();
  const file = path.join(newer, '.gitops-scaffold/manifest.json');
  writeFileSync(file, read(newer, '.gitops-scaffold/manifest.json').replace(/"version": "[^"]+"/, '"version": "99.0.0"'));
  for (const args of [['upgrade'], ['render'], ['promote', 'payments-api']]) {
    const refused = await cli([...args, '--repo', newer]);
    assert.is(refused.exitCode, 2, `${args[0]}: ${refused.stdout}`);
    assert.match(refused.stderr, /this repository was rendered by gitops-scaffold 99\.0\.0, newer than this [\d.]+; nothing was written[\s\S]*fix: run gitops-scaffold 99\.0\.0 or newer \(npx gitops-scaffold@99\.0\.0 \.\.\.\)/);
  }
});

test('a repository written before the record existed gets one on its next run, and says so', async () => {
  const root = path.join(tempDir('gs-legacy-'), 'repo');
  run({ root, spec: parseSpecText(read(ROOT, 'examples/minimal/platform.yaml'), 'minimal'), refuseForeign: true });
  const file = path.join(root, '.gitops-scaffold/manifest.json');
  const { version: _v, pins: _p, ...legacy } = JSON.parse(read(root, '.gitops-scaffold/manifest.json'));
  writeFileSync(file, `${JSON.stringify(legacy, null, 2)}\n`);
  const r = await cli(['render', '--repo', root]);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /No file changes in .*; recorded this run in \.gitops-scaffold\/manifest\.json\./);
  assert.equal(JSON.parse(read(root, '.gitops-scaffold/manifest.json')).pins, JSON.parse(JSON.stringify(TOOL_PINS)));
  assert.match((await cli(['render', '--repo', root])).stdout, /No changes/);
});

test('upgrade --pr: the upgrade as a pull request, its notes in the description', async () => {
  const repo = await gitRepo({ example: 'minimal', pins: olderPins() });
  const r = await gitCli(repo, ['upgrade', '--pr', '--repo', repo.root]);
  assert.is(r.exitCode, 0, r.stderr);
  const [tool, ...args] = calls(repo)[0];
  assert.is(tool, 'gh');
  assert.is(args[args.indexOf('--title') + 1], 'chore(deps): upgrade to the pins of gitops-scaffold ' + JSON.parse(read(repo.root, '.gitops-scaffold/manifest.json')).version + ' (Argo CD v3.4.2 -> v3.5.1, 3 more)');
  assert.match(args[args.indexOf('--body') + 1], /- Argo CD: v3\.4\.2 -> v3\.5\.1\n  https:\/\/argo-cd\.readthedocs\.io\/en\/stable\/operator-manual\/upgrading\/3\.4-3\.5\//);
  assert.match(await remoteFile(repo, args[args.indexOf('--head') + 1], 'argocd/install/kustomization.yaml'), /ref=v3\.5\.1/);
  assert.match(read(repo.root, 'argocd/install/kustomization.yaml'), /ref=v3\.4\.2/, 'the checkout is untouched');
});

test.run();
