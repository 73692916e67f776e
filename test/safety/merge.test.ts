// The recorded merge base and ownership: a hand edit of platform.yaml reaches every file it
// changes (merged, or a conflict, never a silent keep), --force applies it with backups that
// never overwrite each other, conflicts clear once resolved as instructed, deleted files are
// reported when re-created, a foreign platform.yaml is refused by init, file modes are kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { cli, minimalRepo, snapshot, tempDir } from './helpers.ts';

const PROJECT = 'argocd/projects/payments.yaml';
const RBAC = 'argocd/install/argocd-rbac-cm.yaml';
const read = (root: string, rel: string) => readFileSync(path.join(root, rel), 'utf8');
const write = (root: string, rel: string, text: string) => writeFileSync(path.join(root, rel), text);
/** Edits platform.yaml as a person would: text in, text out. */
function editModel(root: string, edit: (model: any) => void) {
  const doc = YAML.parseDocument(read(root, 'platform.yaml'));
  const model = doc.toJS();
  edit(model);
  write(root, 'platform.yaml', `${YAML.stringify(model)}`);
}
const render = (root: string, ...flags: string[]) => cli(['render', '--repo', root, '--no-check', ...flags]);
const json = async (root: string, ...flags: string[]) => JSON.parse((await render(root, '--json', ...flags)).stdout);

/** A repository whose tenant payments has two admin groups, and whose AppProject was hand-edited. */
async function revokedGroupSetup() {
  const root = minimalRepo();
  editModel(root, (m) => (m.tenants[0].groups = { admin: ['payments-leads', 'payments-contractors'] }));
  assert.is((await render(root)).exitCode, 0);
  assert.match(read(root, PROJECT), /payments-contractors/);
  write(root, PROJECT, read(root, PROJECT).replace('orphanedResources:', '# reviewed by security, ticket SEC-42\n  orphanedResources:'));
  // the revocation, by hand in platform.yaml
  editModel(root, (m) => (m.tenants[0].groups.admin = ['payments-leads']));
  return root;
}

test('render after revoking a group in platform.yaml: the hand-edited AppProject is a conflict (exit 1), never kept silently', async () => {
  const root = await revokedGroupSetup();
  const edited = read(root, PROJECT);
  const r = await render(root);
  assert.is(r.exitCode, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /! argocd\/projects\/payments\.yaml {2}\(security-relevant/);
  assert.is(read(root, PROJECT), edited, 'the hand-edited file is left as it is');
  const proposal = read(root, `${PROJECT}.gitops-scaffold-new`);
  assert.not.match(proposal, /payments-contractors/, 'the proposal revokes the group');
  assert.match(proposal, /reviewed by security, ticket SEC-42/, 'and keeps the edit (merged)');
  assert.not.match(read(root, RBAC), /payments-contractors/, 'the untouched RBAC ConfigMap is updated: revoked there');
  // Until resolved, every run reports it again (exit 1), whatever else it does.
  assert.is((await render(root)).exitCode, 1);
});

test('--force applies the model change to the hand-edited file and keeps a backup', async () => {
  const root = await revokedGroupSetup();
  const edited = read(root, PROJECT);
  const r = await json(root, '--force');
  assert.ok(r.ok, JSON.stringify(r));
  assert.not.match(read(root, PROJECT), /payments-contractors/);
  assert.is(read(root, `${PROJECT}.orig`), edited);
  assert.equal(r.files.find((f: any) => f.path === PROJECT).backup, `${PROJECT}.orig`);
});

test('resolving a conflict by moving the proposal over the file clears it, also when the next run changes the file again', async () => {
  const root = minimalRepo();
  const file = 'argocd/apps/kustomization.yaml';
  write(root, file, read(root, file).replace('  - tenant-payments.yaml\n', '  - tenant-payments.yaml\n  - extra.yaml\n'));
  editModel(root, (m) => m.tenants.push({ name: 'search' }));
  const conflict = await json(root);
  assert.equal(conflict.conflicts, [file], 'overlapping edits');
  renameSync(path.join(root, `${file}.gitops-scaffold-new`), path.join(root, file)); // as the message says
  const after = await json(root);
  assert.ok(after.ok, 'cleared');
  assert.equal(after.files.find((f: any) => f.path === file), { path: file, action: 'unchanged', reason: 'conflict resolved (proposal taken)' });
  editModel(root, (m) => m.tenants.push({ name: 'billing' })); // changes the same file again
  const next = await json(root);
  assert.ok(next.ok, JSON.stringify(next.conflicts));
  assert.is(next.files.find((f: any) => f.path === file).action, 'update');
  assert.match(read(root, file), /tenant-billing\.yaml/);
});

test('a security-relevant conflict resolved by taking its proposal (the merged text) is cleared; the edit it carries stays an edit', async () => {
  const root = await revokedGroupSetup();
  assert.is((await render(root)).exitCode, 1);
  renameSync(path.join(root, `${PROJECT}.gitops-scaffold-new`), path.join(root, PROJECT));
  const after = await json(root);
  assert.ok(after.ok, 'cleared');
  assert.is(after.files.find((f: any) => f.path === PROJECT).action, 'kept-edit');
  // A later model change to that AppProject is merged again, and shown for review again.
  editModel(root, (m) => (m.tenants[0].description = 'Payments team'));
  const next = await json(root);
  assert.equal(next.conflicts, [PROJECT]);
  const proposal = read(root, `${PROJECT}.gitops-scaffold-new`);
  assert.match(proposal, /description: "Payments team"/);
  assert.match(proposal, /reviewed by security, ticket SEC-42/);
});

test('resolving a conflict by merging by hand and deleting the proposal clears it', async () => {
  const root = await revokedGroupSetup();
  assert.is((await render(root)).exitCode, 1);
  write(root, PROJECT, read(root, `${PROJECT}.gitops-scaffold-new`).replace('SEC-42', 'SEC-43'));
  unlinkSync(path.join(root, `${PROJECT}.gitops-scaffold-new`));
  const r = await render(root);
  assert.is(r.exitCode, 0, r.stdout);
  assert.match(read(root, PROJECT), /SEC-43/);
});

test('a hand-edited file that is not security-relevant is merged three ways after an edit of platform.yaml', async () => {
  const root = minimalRepo();
  const file = 'argocd/apps/kustomization.yaml';
  write(root, file, read(root, file).replace('resources:', '# ordered by hand\nresources:'));
  editModel(root, (m) => m.tenants.push({ name: 'search' }));
  const r = await json(root);
  assert.ok(r.ok);
  assert.is(r.files.find((f: any) => f.path === file).action, 'merge');
  assert.match(read(root, file), /# ordered by hand/);
  assert.match(read(root, file), /search/);
});

test('a model change to a file whose recorded base cannot be rendered is a conflict, not a keep', async () => {
  const root = minimalRepo();
  const file = 'argocd/apps/kustomization.yaml';
  write(root, file, read(root, file).replace('resources:', '# mine\nresources:'));
  // a manifest from another tool version: its model renders differently from what was written
  const manifest = JSON.parse(read(root, '.gitops-scaffold/manifest.json'));
  manifest.model.tenants.push({ name: 'ghost' });
  write(root, '.gitops-scaffold/manifest.json', JSON.stringify(manifest));
  editModel(root, (m) => m.tenants.push({ name: 'search' }));
  const r = await json(root);
  assert.equal(r.conflicts, [file]);
  assert.match(r.files.find((f: any) => f.path === file).reason, /not recorded/);
});

test('--force backups never overwrite an earlier backup, and cover deletions', async () => {
  const root = minimalRepo();
  const first = read(root, PROJECT).replace('orphanedResources:', '# one\n  orphanedResources:');
  write(root, PROJECT, first);
  editModel(root, (m) => (m.tenants[0].description = 'A'));
  assert.is((await render(root, '--force')).exitCode, 0);
  const second = read(root, PROJECT).replace('orphanedResources:', '# two\n  orphanedResources:');
  write(root, PROJECT, second);
  editModel(root, (m) => (m.tenants[0].description = 'B'));
  assert.is((await render(root, '--force')).exitCode, 0);
  assert.is(read(root, `${PROJECT}.orig`), first, 'the first backup stays');
  assert.is(read(root, `${PROJECT}.1.orig`), second, 'the second goes beside it');
  // a hand-edited file whose source goes: deleted only with --force, and backed up (third name)
  const third = `${read(root, PROJECT)}# three\n`;
  write(root, PROJECT, third);
  editModel(root, (m) => (m.tenants = [{ name: 'billing' }]));
  const refused = await json(root);
  assert.ok(refused.conflicts.includes(PROJECT), 'without --force: a conflict, the file stays');
  assert.is(read(root, PROJECT), third);
  const forced = await json(root, '--force');
  assert.ok(forced.ok);
  assert.not.ok(existsSync(path.join(root, PROJECT)), 'deleted');
  assert.is(read(root, `${PROJECT}.2.orig`), third, 'backed up under the next free name');
  assert.is(read(root, `${PROJECT}.orig`), first);
});

test('a managed file deleted by hand is reported when it is re-created', async () => {
  const root = minimalRepo();
  unlinkSync(path.join(root, PROJECT));
  const r = await render(root);
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, /\+ argocd\/projects\/payments\.yaml {2}\(deleted by hand; re-created from platform\.yaml/);
  assert.ok(existsSync(path.join(root, PROJECT)));
});

test('init over a platform.yaml it did not write: refused (exit 2), untouched; with --force backed up', async () => {
  const out = tempDir('gs-foreign-');
  const mine = 'apiVersion: v1\nkind: MyOwnThing\nname: not-ours\n';
  writeFileSync(path.join(out, 'platform.yaml'), mine);
  const args = ['init', '--example', 'minimal', '--out', out, '--yes', '--no-check'];
  const r = await cli(args);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /holds files gitops-scaffold did not write; nothing was written\n {2}- platform\.yaml: not generated by gitops-scaffold/);
  assert.equal([...snapshot(out).keys()], ['platform.yaml']);
  assert.is(readFileSync(path.join(out, 'platform.yaml'), 'utf8'), mine);
  const forced = await cli([...args, '--force']);
  assert.is(forced.exitCode, 0, forced.stderr);
  assert.is(readFileSync(path.join(out, 'platform.yaml.orig'), 'utf8'), mine, 'backed up');
  assert.match(readFileSync(path.join(out, 'platform.yaml'), 'utf8'), /kind: Platform/);
  rmSync(out, { recursive: true, force: true });
});

test('a file mode set by the user (chmod 600) is kept when the tool rewrites the file, and on its backup', async () => {
  const root = minimalRepo();
  chmodSync(path.join(root, PROJECT), 0o600);
  chmodSync(path.join(root, RBAC), 0o640);
  editModel(root, (m) => (m.tenants[0].description = 'Payments'));
  write(root, RBAC, `${read(root, RBAC)}# mine\n`);
  editModel(root, (m) => m.tenants.push({ name: 'search' }));
  assert.is((await render(root, '--force')).exitCode, 0);
  assert.is(statSync(path.join(root, PROJECT)).mode & 0o777, 0o600);
  assert.is(statSync(path.join(root, RBAC)).mode & 0o777, 0o640);
  assert.is(statSync(path.join(root, `${RBAC}.orig`)).mode & 0o777, 0o640, 'the backup is as private as the file');
});

test('the merge base is recorded: tool version, pins and the model that rendered the files', async () => {
  const root = minimalRepo();
  const m = JSON.parse(read(root, '.gitops-scaffold/manifest.json'));
  assert.type(m.version, 'string');
  assert.type(m.pins.argocd.version, 'string');
  assert.is(m.model.tenants[0].name, 'payments');
  assert.is(m.model.kind, 'Platform');
  // and it moves only with what the tool writes: a hand edit of platform.yaml alone leaves it
  editModel(root, (x) => (x.tenants[0].description = 'not rendered yet'));
  assert.equal(JSON.parse(read(root, '.gitops-scaffold/manifest.json')).model, m.model);
});

test.run();
