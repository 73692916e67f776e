// The stat probe (incremental/stat-probe.ts): readFiles' lstats taken early on a worker thread.
// Its answers are lstat's, each given once; readFiles with it sees what it sees without it; and a
// file the run writes that changed after the probe's lstat (a person's edit during the run) is read
// afresh before anything is written, so the edit is reported, never overwritten.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpecText, serializeSpec } from '../../generators/model/serialize.ts';
import { run, renderSpec } from '../../generators/pipeline.ts';
import { PathGuard, realPathOf } from '../../generators/io/paths.ts';
import { readFiles, readRepoState, type RepoState } from '../../generators/io/repo-state.ts';
import { loadStatRecord } from '../../generators/incremental/stat-record.ts';
import { lstatOfStats, probeWanted, startStatProbe } from '../../generators/incremental/stat-probe.ts';
import { prng } from '../helpers.ts';
import { model, recordedRepos, render, tick } from './stat-helpers.ts';

process.env.GITOPS_SCAFFOLD_TEST_RACY_MARGIN_MS = '0';

const withProbe = <T>(on: boolean, fn: () => T): T => {
  const old = process.env.GITOPS_SCAFFOLD_STAT_PROBE;
  process.env.GITOPS_SCAFFOLD_STAT_PROBE = on ? 'on' : 'off';
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env.GITOPS_SCAFFOLD_STAT_PROBE;
    else process.env.GITOPS_SCAFFOLD_STAT_PROBE = old;
  }
};
const recorded = recordedRepos('gs-statprobe-');
test.after(recorded.cleanup);
function repo(): string {
  const root = recorded.repo();
  tick();
  return root;
}

test('on from 1,000 paths with a CPU to spare; GITOPS_SCAFFOLD_STAT_PROBE forces it', () => {
  const quiet = { cpus: 2, load: 0.8 };
  assert.is(probeWanted(999, {}, quiet), false);
  assert.is(probeWanted(1000, {}, quiet), true);
  assert.is(probeWanted(8000, {}, { cpus: 2, load: 1.6 }), false, 'no CPU to spare');
  assert.is(probeWanted(8000, {}, { cpus: 1, load: 0 }), false, 'one CPU');
  assert.is(probeWanted(8000, { GITOPS_SCAFFOLD_STAT_PROBE: 'on' }, { cpus: 1, load: 9 }), true);
  assert.is(probeWanted(5, { GITOPS_SCAFFOLD_STAT_PROBE: 'on' }), true);
  assert.is(probeWanted(50_000, { GITOPS_SCAFFOLD_STAT_PROBE: 'off' }), false);
});

test("its answers are lstat's (files, folders, links, absent paths, paths under a file), each given once", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-probe-'));
  try {
    const root = realPathOf(dir);
    mkdirSync(path.join(root, 'a/b'), { recursive: true });
    writeFileSync(path.join(root, 'a/b/c.yaml'), 'x: 1\n');
    writeFileSync(path.join(root, 'top.txt'), 'top\n');
    chmodSync(path.join(root, 'top.txt'), 0o600);
    symlinkSync('top.txt', path.join(root, 'a/link'));
    const rels = ['a/b/c.yaml', 'top.txt', 'a/link', 'a/missing.yaml', 'top.txt/under', 'a/../top.txt', 'gone/deep/file'];
    const probe = startStatProbe(root, rels)!;
    assert.ok(probe, 'a worker started');
    const expected = (abs: string) => {
      try {
        const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
        return st === undefined ? 'absent' : lstatOfStats(st);
      } catch {
        return 'absent'; // ENOTDIR
      }
    };
    for (const rel of ['a/b/c.yaml', 'top.txt', 'a/link', 'a/missing.yaml', 'top.txt/under', 'gone/deep/file', 'a', 'a/b', 'gone', 'gone/deep']) {
      const abs = `${root}/${rel}`;
      assert.equal(probe.probe(rel), expected(abs), rel);
      assert.is(probe.probe(rel), undefined, `${rel}: answered once`);
    }
    assert.equal(probe.probe(''), expected(root), 'the root');
    assert.is(probe.probe('a/../top.txt'), undefined, 'a path with a .. segment is not probed');
    assert.is(probe.probe('never-asked'), undefined);
    // changedSince: only what the probe answered, compared with lstat now.
    assert.is(probe.changedSince(['a/b/c.yaml', 'top.txt', 'a/missing.yaml', 'never-asked']), false);
    const before = lstatSync(path.join(root, 'a/b/c.yaml'));
    writeFileSync(path.join(root, 'a/b/c.yaml'), 'x: 2\n');
    utimesSync(path.join(root, 'a/b/c.yaml'), before.atime, before.mtime); // same size, same mtime
    assert.is(probe.changedSince(['top.txt']), false);
    assert.is(probe.changedSince(['a/b/c.yaml']), true, 'a same-size rewrite with its mtime put back');
    writeFileSync(path.join(root, 'a/missing.yaml'), 'now here\n');
    assert.is(probe.changedSince(['a/missing.yaml']), true, 'created since');
    writeFileSync(path.join(root, 'a/b/new.yaml'), '');
    assert.is(probe.changedSince(['a/b/other.yaml']), true, 'its folder changed since');
    probe.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** What the plan sees of a repository: every file's text, hash and mode, every folder's names. */
function seen(state: RepoState): string {
  const files = [...state.files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, f]) => [p, f.sha256, f.mode, f.text]);
  const names = [...state.names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, n]) => [d, [...n].sort()]);
  const stats = [...state.stats.files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, e]) => [p, e.sig, e.sha256]);
  return JSON.stringify({ files, names, stats });
}

function read(root: string, probed: boolean): string {
  const guard = new PathGuard(realPathOf(root));
  const state = readRepoState(root, guard);
  const rendered = renderSpec(parseSpecText(state.modelText!, 'platform.yaml'));
  const paths = [...rendered.map((f) => f.path), ...Object.keys(state.manifest?.files ?? {})];
  const probe = probed ? startStatProbe(guard.realRoot, Object.keys(state.manifest?.files ?? {})) : undefined;
  if (probed) assert.ok(probe);
  readFiles(state, paths, { record: loadStatRecord(guard.realRoot), rendered: new Map(rendered.map((f) => [f.path, f])), probe: probe?.probe });
  probe?.dispose();
  return seen(state);
}

test('readFiles with the probe sees what it sees without it, over random hand edits', () => {
  const root = repo();
  const files = Object.keys(JSON.parse(readFileSync(path.join(root, '.gitops-scaffold/manifest.json'), 'utf8')).files as Record<string, unknown>).filter((p) => p !== 'platform.yaml');
  const rnd = prng(11);
  for (let round = 0; round < 12; round++) {
    for (let k = 0; k < 3; k++) {
      const rel = rnd.pick(files);
      const abs = path.join(root, rel);
      let st;
      try {
        st = lstatSync(abs);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const text = readFileSync(abs, 'utf8');
      switch (rnd.int(5)) {
        case 0: // same size, mtime put back
          writeFileSync(abs, text.replace(/[a-z]/, (c) => (c === 'z' ? 'y' : String.fromCharCode(c.charCodeAt(0) + 1))));
          utimesSync(abs, st.atime, st.mtime);
          break;
        case 1:
          rmSync(abs);
          break;
        case 2:
          writeFileSync(`${abs}.gitops-scaffold-new`, 'a proposal\n');
          break;
        case 3:
          chmodSync(abs, 0o600);
          break;
        default:
          writeFileSync(abs, `${text}# edited\n`);
      }
    }
    assert.is(read(root, true), read(root, false), `round ${round}`);
    if (round % 4 === 3) {
      tick();
      withProbe(true, () => render(root));
      tick();
    }
  }
});

test('a folder swapped for a link (inside the repository) to an edited copy: the same as without the probe', () => {
  const root = repo();
  const rel = 'bootstrap/root';
  const copy = path.join(root, 'bootstrap/root-copy');
  mkdirSync(copy);
  for (const name of readdirSync(path.join(root, rel))) {
    const st = lstatSync(path.join(root, rel, name));
    writeFileSync(path.join(copy, name), readFileSync(path.join(root, rel, name), 'utf8').replace(/[a-z]/, 'Q'));
    utimesSync(path.join(copy, name), st.atime, st.mtime);
  }
  rmSync(path.join(root, rel), { recursive: true });
  symlinkSync('root-copy', path.join(root, rel));
  const withIt = read(root, true);
  assert.is(withIt, read(root, false));
  assert.ok(withIt.includes('Q'), 'the copy was read through the link');
});

test('a file the run writes, edited by a person after the probe (same size, mtime put back), is reported, never overwritten', () => {
  const text = readFileSync('examples/minimal/platform.yaml', 'utf8');
  const edited = text.replace('port: 8080', 'port: 8081');
  const before = new Map(renderSpec(parseSpecText(text, 'a')).map((f) => [f.path, f.content]));
  const target = renderSpec(parseSpecText(edited, 'b')).find((f) => f.path !== 'platform.yaml' && f.owner !== 'seed' && before.get(f.path) !== undefined && before.get(f.path) !== f.content && f.content.length === before.get(f.path)!.length && !/kind: (AppProject|Role|NetworkPolicy)/.test(f.content))?.path;
  assert.ok(target, 'a managed file the port change rewrites');
  for (const probed of [true, false]) {
    const root = repo();
    const abs = path.join(root, target!);
    assert.ok(loadStatRecord(realPathOf(root)).files.has(target!), 'the record knows the file');
    // the probe's worker has lstat'ed the repository's ~30 files by then (its start costs ~50 ms)
    const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    const handEdit = () => {
      // during the run: after the read step (and the probe's start), before the plan
      const st = lstatSync(abs);
      const now = readFileSync(abs, 'utf8');
      writeFileSync(abs, now.replace(/\n([a-z])/, (_, c) => `\n${c.toUpperCase()}`));
      utimesSync(abs, st.atime, st.mtime);
    };
    const r = withProbe(probed, () => run({ root, command: 'edit', check: false, model: () => { const m = model(edited); settle(); handEdit(); return m; } }));
    const change = r.changes.find((c) => c.path === target)!;
    assert.ok(['merge', 'conflict'].includes(change.kind), `probe ${probed}: ${change.kind}`);
    assert.ok(/\n[A-Z]/.test(readFileSync(abs, 'utf8')) || change.kind === 'merge', `probe ${probed}: the edit is still there`);
  }
});

test('--force: a backup name a person took during the run (after the probe listed the folder) is not reused', () => {
  const text = readFileSync('examples/minimal/platform.yaml', 'utf8');
  const edited = text.replace('port: 8080', 'port: 8081');
  const before = new Map(renderSpec(parseSpecText(text, 'a')).map((f) => [f.path, f.content]));
  const target = renderSpec(parseSpecText(edited, 'b')).find((f) => f.path !== 'platform.yaml' && f.owner !== 'seed' && before.get(f.path) !== undefined && before.get(f.path) !== f.content)?.path;
  assert.ok(target);
  for (const probed of [true, false]) {
    const root = repo();
    const abs = path.join(root, target!);
    writeFileSync(abs, `${readFileSync(abs, 'utf8')}# mine\n`); // edited by hand before the run: --force backs it up
    tick();
    withProbe(probed, () => render(root)); // the folder is recorded as it is now
    tick();
    const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    const r = withProbe(probed, () => run({ root, command: 'edit', check: false, force: true, model: () => { const m = model(edited); settle(); writeFileSync(`${abs}.orig`, 'a person took this name\n'); return m; } }));
    const change = r.changes.find((c) => c.path === target)!;
    assert.is(change.kind, 'overwrite-edit', `probe ${probed}`);
    assert.is(change.backup, `${target}.1.orig`, `probe ${probed}`);
    assert.is(readFileSync(`${abs}.orig`, 'utf8'), 'a person took this name\n', `probe ${probed}: the person's file stays`);
  }
});

test('a fleet-sized plan with the probe: the same changes and bytes as without it', () => {
  const roots = [repo(), repo()];
  const text = readFileSync(path.join(roots[0], 'platform.yaml'), 'utf8');
  const spec = parseSpecText(text, 'platform.yaml') as { services: Record<string, unknown>[] };
  spec.services.push({ ...spec.services[0], name: 'web-2' });
  const next = serializeSpec(spec as never, text);
  const results = roots.map((root, i) => withProbe(i === 0, () => run({ root, command: 'add', check: false, model: () => model(next) })));
  assert.equal(results[0].changes.map((c) => [c.path, c.kind, c.content]), results[1].changes.map((c) => [c.path, c.kind, c.content]));
  const after = roots.map((root) => readFileSync(path.join(root, '.gitops-scaffold/manifest.json'), 'utf8'));
  assert.is(after[0], after[1]);
});

test.run();
