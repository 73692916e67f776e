// The repository lock: two writers at once never lose either's work (both land, or the loser
// exits 3 naming the holder and changes nothing); a held lock waits a bounded time; a dead
// holder's lock is taken over with a note; a lock from another host is never guessed stale.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { cli, minimalRepo, snapshot, spawnCli, tempDir, treeDiff } from './helpers.ts';

const add = (root: string, name: string) => ['add', 'service', name, '--repo', root, '--tenant', 'payments', '--image', `ghcr.io/acme/${name}`, '--tag', '1.0.0', '--no-check'];
const services = (root: string) => ((parseSpecText(readFileSync(path.join(root, 'platform.yaml'), 'utf8'), 'p') as any).services ?? []).map((s: any) => s.name).sort();
const manifestPaths = (root: string) => Object.keys(JSON.parse(readFileSync(path.join(root, '.gitops-scaffold/manifest.json'), 'utf8')).files);

const counts = { pairs: 0, bothLanded: 0, loserExited3: 0 };

test('two add service started together, twice: both services land, files and manifest included', async () => {
  for (let i = 0; i < 2; i++) {
    const root = minimalRepo();
    const [a, b] = await Promise.all([spawnCli(add(root, 'svc-a')), spawnCli(add(root, 'svc-b'))]);
    assert.is(a.exitCode, 0, a.stderr);
    assert.is(b.exitCode, 0, b.stderr);
    assert.equal(services(root), ['svc-a', 'svc-b'], 'both in platform.yaml');
    for (const svc of ['svc-a', 'svc-b']) {
      assert.ok(existsSync(path.join(root, `apps/payments/${svc}/base/kustomization.yaml`)), `${svc} files written`);
      assert.ok(manifestPaths(root).some((p) => p.startsWith(`apps/payments/${svc}/`)), `${svc} files in the manifest`);
    }
    const again = await cli(['render', '--repo', root, '--no-check']);
    assert.match(again.stdout, /No changes/, 'the tree is exactly what platform.yaml renders');
    assert.not.ok(existsSync(path.join(root, '.gitops-scaffold/lock')) || existsSync(path.join(root, '.gitops-scaffold/tmp')), 'no lock, no temp files left');
    counts.pairs++;
    counts.bothLanded++;
    rmSync(path.dirname(root), { recursive: true, force: true });
  }
});

test('without waiting (GITOPS_SCAFFOLD_LOCK_WAIT=0), twice: both land, or the loser exits 3 naming the holder and changes nothing', async () => {
  const solo = minimalRepo();
  await cli(add(solo, 'svc-a'));
  const soloA = snapshot(solo);
  const solo2 = minimalRepo();
  await cli(add(solo2, 'svc-b'));
  const soloB = snapshot(solo2);
  for (let i = 0; i < 2; i++) {
    const root = minimalRepo();
    const [a, b] = await Promise.all([spawnCli(add(root, 'svc-a'), { GITOPS_SCAFFOLD_LOCK_WAIT: '0' }), spawnCli(add(root, 'svc-b'), { GITOPS_SCAFFOLD_LOCK_WAIT: '0' })]);
    counts.pairs++;
    if (a.exitCode === 0 && b.exitCode === 0) {
      assert.equal(services(root), ['svc-a', 'svc-b']);
      counts.bothLanded++;
    } else {
      const [winner, loser, winnerTree] = a.exitCode === 0 ? [a, b, soloA] : [b, a, soloB];
      assert.is(winner.exitCode, 0, winner.stderr);
      assert.is(loser.exitCode, 3, loser.stderr);
      assert.match(loser.stderr, /is locked by another gitops-scaffold run \(pid \d+ on .+, "add service svc-[ab]", since .+\); nothing was written/);
      assert.equal(treeDiff(snapshot(root), winnerTree), [], "the tree is exactly the winner's result alone");
      assert.equal(services(root), [winner === a ? 'svc-a' : 'svc-b'], 'only the winner changed the repository');
      counts.loserExited3++;
    }
    rmSync(path.dirname(root), { recursive: true, force: true });
  }
  console.log(`\n  concurrency: ${counts.pairs} pairs of writers started together; ${counts.bothLanded} both landed, ${counts.loserExited3} loser exited 3 with nothing changed, 0 lost`);
});

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid!;
}

function writeLock(root: string, record: Record<string, unknown>) {
  mkdirSync(path.join(root, '.gitops-scaffold'), { recursive: true });
  writeFileSync(path.join(root, '.gitops-scaffold/lock'), JSON.stringify({ startedAt: '2026-01-01T00:00:00.000Z', nonce: 'x', command: 'add service other', ...record }));
}

test('a lock held by a running process: waits, then exit 3 naming it; nothing written', async () => {
  const root = minimalRepo();
  const holder = execa('sleep', ['30']);
  try {
    writeLock(root, { pid: holder.pid, host: hostname() });
    const before = snapshot(root);
    const started = Date.now();
    const r = await cli(add(root, 'svc-a'), { GITOPS_SCAFFOLD_LOCK_WAIT: '0.3' });
    assert.is(r.exitCode, 3, r.stderr);
    assert.ok(Date.now() - started >= 300, 'waited the bounded time');
    assert.match(r.stderr, new RegExp(`is locked by another gitops-scaffold run \\(pid ${holder.pid} on ${hostname()}, "add service other", since 2026-01-01T00:00:00.000Z\\); nothing was written\\. Wait for it to finish and re-run \\(waited 0.3 s; GITOPS_SCAFFOLD_LOCK_WAIT=SECONDS waits longer\\)\\. If no such run exists, delete .*\\.gitops-scaffold/lock\\.`));
    assert.equal(treeDiff(snapshot(root), before), []);
  } finally {
    holder.kill();
    await holder.catch(() => {});
  }
  rmSync(path.dirname(root), { recursive: true, force: true });
});

test('a stale lock (same host, process gone) is taken over, and the run says so', async () => {
  const root = minimalRepo();
  const pid = await deadPid();
  writeLock(root, { pid, host: hostname() });
  const r = await cli(add(root, 'svc-a'));
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Note: took over the lock of pid ${pid} on ${hostname()}, "add service other", since 2026-01-01T00:00:00.000Z: that process is no longer running\\.`));
  assert.equal(services(root), ['svc-a']);
  assert.not.ok(existsSync(path.join(root, '.gitops-scaffold/lock')));
  rmSync(path.dirname(root), { recursive: true, force: true });
});

test('a lock from another host is never guessed stale: exit 3 with the way out', async () => {
  const root = minimalRepo();
  writeLock(root, { pid: await deadPid(), host: 'build-agent-7' });
  const r = await cli(add(root, 'svc-a'), { GITOPS_SCAFFOLD_LOCK_WAIT: '0' });
  assert.is(r.exitCode, 3);
  assert.match(r.stderr, /on build-agent-7, "add service other".*If no such run exists, delete /);
  rmSync(path.dirname(root), { recursive: true, force: true });
});

test('every writing command takes the lock; --dry-run of a repository waits for it too (it reads under it)', async () => {
  const root = minimalRepo();
  const holder = execa('sleep', ['30']);
  try {
    writeLock(root, { pid: holder.pid, host: hostname() });
    const commands = [
      ['render', '--repo', root],
      ['add', 'tenant', 'search', '--repo', root],
      ['remove', 'tenant', 'payments', '--repo', root],
      ['init', '--example', 'minimal', '--out', root, '--yes', '--force'],
      ['render', '--repo', root, '--dry-run'],
    ];
    for (const args of commands) {
      const r = await cli(args, { GITOPS_SCAFFOLD_LOCK_WAIT: '0' });
      assert.is(r.exitCode, 3, `${args.join(' ')}: ${r.stderr}`);
    }
  } finally {
    holder.kill();
    await holder.catch(() => {});
  }
  rmSync(path.dirname(root), { recursive: true, force: true });
});

test('a dry run of a folder that is not a repository yet takes no lock and leaves nothing', async () => {
  const out = path.join(tempDir(), 'new');
  const r = await cli(['init', '--out', out, '--set', 'name=x', '--set', 'repo.url=https://github.com/a/b.git', '--set', 'environments=dev', '--set', 'clusters[0].name=hub', '--set', 'clusters[0].server=https://kubernetes.default.svc', '--set', 'clusters[0].environments=dev', '--dry-run', '--no-check']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.not.ok(existsSync(out));
  const copy = minimalRepo();
  cpSync(copy, out, { recursive: true });
  const before = snapshot(out);
  const dry = await cli(['render', '--repo', out, '--dry-run', '--no-check']);
  assert.is(dry.exitCode, 0, dry.stderr);
  assert.equal(treeDiff(snapshot(out), before), [], 'the lock of a dry run is gone again');
});

test.run();
