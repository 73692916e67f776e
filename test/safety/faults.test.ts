// Fault injection of the writer. For every step that changes the disk (each staged write, the
// journal commit, each rename, unlink and rmdir) of three runs (an add that creates and updates,
// a remove that deletes and prunes, a --force run that backs up):
//   kill at step k: the tree as a kill there would leave it (copied at that instant), then the
//     same command again: it reports what it recovered and the tree is exactly the tree of the
//     uninterrupted run;
//   fail at step k (an errno error): the run rolls back to exactly the tree before it (from which
//     the same command gives the uninterrupted tree, as the reference run shows), and says so in
//     one line naming the file.
// Then two real SIGKILLs of the CLI at a signalled step.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { editRepo, type EditRequest } from '../../generators/commands/edit.ts';
import { setFaultHook, errnoError, type FaultPoint } from '../../generators/io/faults.ts';
import { DiskError } from '../../generators/model/errors.ts';
import { minimalRepo, snapshot, spawnCli, tempDir, treeDiff } from './helpers.ts';

const SERVICE = { name: 'checkout', tenant: 'payments', image: 'ghcr.io/acme/checkout', tag: '1.2.0' };

interface Scenario {
  name: string;
  /** Prepares the repository before the run under test. */
  setup: (root: string) => void;
  request: (root: string) => EditRequest;
}

const SCENARIOS: Scenario[] = [
  { name: 'add service (creates, updates)', setup: () => {}, request: (root) => ({ op: 'add', kind: 'service', root, entity: { ...SERVICE } as any, check: false }) },
  {
    name: 'remove tenant (deletes, prunes folders)',
    setup: (root) => void editRepo({ op: 'add', kind: 'tenant', root, entity: { name: 'search' }, check: false }),
    request: (root) => ({ op: 'remove', kind: 'tenant', root, entity: { name: 'search' }, check: false }),
  },
  {
    name: 'update a hand-edited tenant with --force (backup, overwrite)',
    setup: (root) => {
      const file = path.join(root, 'argocd/projects/payments.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('orphanedResources:', '# mine\n  orphanedResources:'));
    },
    request: (root) => ({ op: 'add', kind: 'tenant', root, entity: { name: 'payments', description: 'Payments team' }, options: { update: true }, check: false, force: true }),
  },
];

/**
 * The same command again; its notes. A remove the recovery finished is then already done: the run
 * says so (exit 2) after recovering, and its error carries the recovery notes.
 */
function rerun(s: Scenario, root: string, label: string): string[] {
  try {
    return editRepo(s.request(root)).result.notes;
  } catch (err) {
    assert.match((err as Error).message, /there is no (service|tenant) "/, `${label}: ${(err as Error).message}`);
    return (err as { notes?: string[] }).notes ?? [];
  }
}

let killPoints = 0;
let recoveries = 0;
let failPoints = 0;

function prepared(s: Scenario): string {
  const root = minimalRepo();
  s.setup(root);
  return root;
}

for (const s of SCENARIOS) {
  test(`kill or fail at every disk step of "${s.name}": the next run converges to the uninterrupted result`, () => {
    // The uninterrupted run, and how many fault points it passes.
    const reference = prepared(s);
    const points: FaultPoint[] = [];
    setFaultHook((p) => void points.push(p));
    try {
      editRepo(s.request(reference));
    } finally {
      setFaultHook(undefined);
    }
    const expected = snapshot(reference);
    assert.ok(points.length > 10, `${points.length} fault points`);
    for (const step of ['stage', 'commit', 'rename', 'unlink'] as const) assert.ok(points.some((p) => p.step === step), `passes a ${step}`);

    for (const at of points) {
      // One run per step: at step k its tree is copied exactly as a kill there would leave it
      // (the crash), then the step fails with an errno error (the failure) and the run goes on
      // with its roll back.
      const root = prepared(s);
      const before = snapshot(root);
      const crashed = path.join(tempDir('gs-crash-'), 'repo');
      setFaultHook((p) => {
        if (p.index !== at.index) return;
        cpSync(root, crashed, { recursive: true, verbatimSymlinks: true });
        throw errnoError('EIO', p.path);
      });
      let error: unknown;
      try {
        editRepo(s.request(root));
      } catch (err) {
        error = err;
      } finally {
        setFaultHook(undefined);
      }

      // the failure: rolled back exactly, one line naming the file
      const completed = at.step === 'unlink' && at.path.startsWith('.gitops-scaffold/tmp/');
      if (completed) {
        // the write had completed (only its temp files were being removed): it stands
        assert.is(error, undefined, `failing at #${at.index} (cleanup) does not fail the run`);
      } else {
        assert.instance(error, DiskError, `fails at #${at.index} (${at.step} ${at.path}) with a DiskError`);
        assert.match((error as Error).message, /^cannot [a-z ]+ \S+: input\/output error; (nothing was changed|the repository was rolled back) \(fix: /);
        assert.not.match((error as Error).message, /\n/, 'one line');
        assert.equal(treeDiff(snapshot(root), before), [], `failing at #${at.index} (${at.step} ${at.path}) leaves the tree exactly as it was`);
        failPoints++;
      }

      // the crash: the same command again recovers, says so, and converges
      assert.ok(existsSync(crashed), `snapshot taken at ${at.step} ${at.path}`);
      const left = snapshot(crashed);
      const leftJournal = left.has('.gitops-scaffold/journal.json');
      const leftTemp = [...left.keys()].some((k) => k.startsWith('.gitops-scaffold/tmp/') && !k.endsWith('/'));
      const notes = rerun(s, crashed, `killed at #${at.index}`);
      assert.equal(treeDiff(snapshot(crashed), expected), [], `killed at #${at.index} (${at.step} ${at.path}): the next run converges`);
      assert.ok(notes.some((n) => /took over the lock/.test(n)), `killed at #${at.index}: the dead run's lock is taken over, and said`);
      if (leftJournal) assert.ok(notes.some((n) => /finished the write of an interrupted run/.test(n)), `killed at #${at.index} (${at.step}): reports the roll forward: ${notes}`);
      else if (leftTemp) assert.ok(notes.some((n) => /temp file\(s\) of an interrupted run/.test(n)), `killed at #${at.index} (${at.step}): reports the cleanup: ${notes}`);
      if (leftJournal || leftTemp) recoveries++;
      killPoints++;
      rmSync(path.dirname(crashed), { recursive: true, force: true });
      rmSync(path.dirname(root), { recursive: true, force: true });
    }
    rmSync(path.dirname(reference), { recursive: true, force: true });
  });
}

test('a real SIGKILL of the CLI mid-write: the next render finishes the write and says so', async () => {
  const reference = minimalRepo();
  const add = (root: string) => ['add', 'service', 'checkout', '--repo', root, '--tenant', 'payments', '--image', 'ghcr.io/acme/checkout', '--tag', '1.2.0', '--no-check'];
  const points: FaultPoint[] = [];
  setFaultHook((p) => void points.push(p));
  try {
    editRepo(SCENARIOS[0].request(reference)); // the same plan as the CLI's below, so the same steps
  } finally {
    setFaultHook(undefined);
  }
  const expected = snapshot(reference);
  const midRename = points.filter((p) => p.step === 'rename')[4].index;
  const inCleanup = points.find((p) => p.step === 'unlink' && p.path.startsWith('.gitops-scaffold/tmp/'))!.index;
  for (const at of [midRename, inCleanup]) {
    const root = minimalRepo();
    const killed = await spawnCli(add(root), { GITOPS_SCAFFOLD_TEST_KILL_AT: String(at) });
    assert.is(killed.signal, 'SIGKILL', `killed at step ${at}`);
    assert.ok(existsSync(path.join(root, '.gitops-scaffold/lock')), 'the dead run left its lock');
    const next = await spawnCli(['render', '--repo', root, '--no-check']);
    assert.is(next.exitCode, 0, next.stderr);
    assert.match(next.stdout, /Note: took over the lock of pid \d+ on .*"add service checkout".*that process is no longer running\./);
    assert.match(next.stdout, at === midRename ? /Note: finished the write of an interrupted run \("add service checkout", pid \d+/ : /Note: removed \d+ temp file\(s\) of an interrupted run whose write had completed/);
    assert.equal(treeDiff(snapshot(root), expected), [], `killed at ${at}: render converges to the uninterrupted add`);
    // and the manifest is in step with the tree: the run after says "No changes", and calls no
    // untouched file "edited by hand" (what a kill before the manifest write once caused)
    const after = await spawnCli(['render', '--repo', root, '--no-check', '--verbose']);
    assert.is(after.exitCode, 0, after.stderr);
    assert.match(after.stdout, /No changes/);
    assert.not.match(after.stdout, /edited by hand|kept|Note:/);
    killPoints++;
    recoveries++;
    rmSync(path.dirname(root), { recursive: true, force: true });
  }
  console.log(`\n  fault injection: ${killPoints} kill points (${recoveries} left a journal or temp files, all recovered and reported), ${failPoints} failure points rolled back`);
});

test.run();
