import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync, rmSync, chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run } from '../generators/pipeline.ts';
import { baseSpec, tempDir, readTree, removeTempDir } from './helpers.ts';

const projectFile = 'argocd/projects/payments.yaml';

test('a second run with the same model changes nothing', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const before = readTree(root);
  const again = run({ root, spec: baseSpec(), previousSpec: baseSpec() });
  assert.ok(again.noop);
  assert.equal(readTree(root), before);
  removeTempDir(root);
});

test('a hand edit survives a re-run that does not touch the file', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const file = path.join(root, projectFile);
  const edited = readFileSync(file, 'utf8').replace('orphanedResources:', '# reviewed by security\n  orphanedResources:');
  writeFileSync(file, edited);
  const spec: any = baseSpec();
  spec.tenants.push({ name: 'search' });
  const r = run({ root, spec, previousSpec: baseSpec() });
  assert.is(readFileSync(file, 'utf8'), edited);
  assert.is(r.changes.find((c) => c.path === projectFile)!.kind, 'kept-edit');
  removeTempDir(root);
});

test('a hand edit is merged three ways when the new render changes other lines', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const file = path.join(root, 'argocd/apps/kustomization.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('resources:', '# reviewed by the platform team\nresources:'));
  const spec: any = baseSpec();
  spec.tenants.push({ name: 'search' });
  const r = run({ root, spec });
  const text = readFileSync(file, 'utf8');
  assert.is(r.changes.find((c) => c.path === 'argocd/apps/kustomization.yaml')!.kind, 'merge');
  assert.ok(text.includes('# reviewed by the platform team'), 'keeps the edit');
  assert.ok(text.includes('search'), 'takes the new render');
  removeTempDir(root);
});

test('a security-relevant file (AppProject) is never merged unseen: conflict, the merged text as proposal', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const file = path.join(root, projectFile);
  const edited = readFileSync(file, 'utf8').replace('orphanedResources:', '# reviewed by security\n  orphanedResources:');
  writeFileSync(file, edited);
  const spec: any = baseSpec();
  spec.tenants[0].description = 'Payments team';
  const r = run({ root, spec });
  assert.equal(r.conflicts.map((c) => c.path), [projectFile]);
  assert.match(r.conflicts[0].reason!, /security-relevant/);
  assert.is(readFileSync(file, 'utf8'), edited, 'file untouched');
  const proposal = readFileSync(file + '.gitops-scaffold-new', 'utf8');
  assert.ok(proposal.includes('# reviewed by security') && proposal.includes('description: "Payments team"'), 'proposal = edit merged with the new render');
  removeTempDir(root);
});

test('overlapping edits are a conflict: file untouched, proposal beside it', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const file = path.join(root, projectFile);
  const edited = readFileSync(file, 'utf8').replace(/description: .*/, 'description: "mine"');
  writeFileSync(file, edited);
  const spec: any = baseSpec();
  spec.tenants[0].description = 'theirs';
  const r = run({ root, spec, previousSpec: baseSpec() });
  assert.equal(r.conflicts.map((c) => c.path), [projectFile]);
  assert.is(readFileSync(file, 'utf8'), edited);
  assert.ok(readFileSync(file + '.gitops-scaffold-new', 'utf8').includes('description: "theirs"'));
  const forced = run({ root, spec, previousSpec: baseSpec(), force: true });
  assert.is(forced.conflicts.length, 0);
  assert.ok(readFileSync(file, 'utf8').includes('"theirs"'));
  assert.is(readFileSync(file + '.orig', 'utf8'), edited, 'backup kept');
  removeTempDir(root);
});

test('files whose source disappears are removed, and the tree returns to its previous bytes', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const before = readTree(root);
  const spec: any = baseSpec();
  spec.tenants.push({ name: 'search' });
  run({ root, spec, previousSpec: baseSpec() });
  assert.ok(existsSync(path.join(root, 'argocd/projects/search.yaml')));
  run({ root, spec: baseSpec(), previousSpec: spec });
  assert.equal(readTree(root), before);
  removeTempDir(root);
});

test('a folder holding foreign files is refused unless --force', () => {
  const root = tempDir();
  writeFileSync(path.join(root, 'notes.txt'), 'mine');
  assert.throws(() => run({ root, spec: baseSpec(), refuseForeign: true }), /holds files gitops-scaffold did not write/);
  assert.equal([...readTree(root).keys()], ['notes.txt']);
  run({ root, spec: baseSpec(), refuseForeign: true, force: true });
  assert.is(readFileSync(path.join(root, 'notes.txt'), 'utf8'), 'mine');
  removeTempDir(root);
});

test('a run that fails midway leaves the repository as it was', () => {
  const root = tempDir();
  run({ root, spec: baseSpec() });
  const before = readTree(root);
  const spec: any = baseSpec();
  spec.tenants.push({ name: 'search' });
  // A read-only folder makes one write fail after others succeeded.
  const blocked = path.join(root, 'clusters/hub/namespaces');
  chmodSync(blocked, 0o500);
  const isRoot = process.getuid?.() === 0;
  try {
    if (isRoot) {
      // root ignores permissions: block with a file where a folder must go instead
      chmodSync(blocked, 0o755);
      mkdirSync(path.join(root, 'argocd/projects/search.yaml'));
    }
    assert.throws(() => run({ root, spec, previousSpec: baseSpec() }));
  } finally {
    chmodSync(blocked, 0o755);
    if (isRoot) rmSync(path.join(root, 'argocd/projects/search.yaml'), { recursive: true });
  }
  assert.equal(readTree(root), before);
  removeTempDir(root);
});

test.run();
