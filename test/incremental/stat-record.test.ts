// The stat record (incremental/stat-record.ts) lets readFiles skip files whose lstat is what the
// last run recorded. It may never hide a change: every way of rewriting a file while keeping its
// size and mtime (same-size rewrite at once, `touch -d` back in time, a file renamed over it with
// the same mtime, a symlink swapped in, a FIFO, a folder) is read again, and over random hand
// edits and model edits readFiles with the record gives exactly what it gives without one.
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { run, renderSpec } from '../../generators/pipeline.ts';
import { PathGuard, realPathOf } from '../../generators/io/paths.ts';
import { readFiles, readRepoState, type RepoState } from '../../generators/io/repo-state.ts';
import { loadStatRecord, RACY_MARGIN_NS, saveStatRecord, statSignature, type StatRecord } from '../../generators/incremental/stat-record.ts';
import { sha256 } from '../../generators/io/manifest.ts';
import type { RenderedFile } from '../../generators/plan/types.ts';
import { prng } from '../helpers.ts';
import { model, recordedRepos, render } from './stat-helpers.ts';

const RECORD = '.gitops-scaffold/cache/stat.record';
// The racy margin (3 s) would keep every file these tests just wrote out of the record; the test
// seam sets it to 0 (the clock tick still applies), and the racy test below runs with the real one.
process.env.GITOPS_SCAFFOLD_TEST_RACY_MARGIN_MS = '0';
const MANAGED = 'bootstrap/root/root-app.yaml';

/** A repository with a record that covers its files (a render after init records them). */
const recorded = recordedRepos('gs-statrec-');
test.after(recorded.cleanup);
const repo = recorded.repo;

/** readFiles as the pipeline calls it, with the given record (none: read everything). */
function read(root: string, record: StatRecord | undefined, rendered?: RenderedFile[]): RepoState & { rendered: RenderedFile[] } {
  const guard = new PathGuard(realPathOf(root));
  const state = readRepoState(root, guard);
  rendered ??= renderSpec(parseSpecText(state.modelText!, 'platform.yaml'));
  readFiles(state, [...rendered.map((f) => f.path), ...Object.keys(state.manifest?.files ?? {})], { record, rendered: new Map(rendered.map((f) => [f.path, f])) });
  return Object.assign(state, { rendered });
}

/** What the plan sees: every file's text, hash and mode, every folder's names. */
function seen(state: RepoState): string {
  const files = [...state.files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, f]) => [p, f.sha256, f.mode, f.text === readFileSync(path.join(state.realRoot, p), 'utf8')]);
  const names = [...state.names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, n]) => [d, [...n].sort()]);
  return JSON.stringify({ files, names });
}

const sameAsFull = (root: string, what: string) => {
  const withRecord = read(root, loadStatRecord(realPathOf(root)));
  const without = read(root, undefined, [...withRecord.rendered]);
  assert.is(seen(withRecord), seen(without), what);
  return withRecord;
};

test('a render records its reads, and the record is believed (a forged entry proves it)', () => {
  const root = repo();
  const record = loadStatRecord(realPathOf(root));
  assert.ok(record.files.size > 20, `record holds ${record.files.size} files`);
  assert.ok(record.dirs.size > 5);
  assert.ok(record.files.has(MANAGED));
  // Forge: the file on disk differs from the render, but the record claims the render's hash
  // under the file's current stat. Only a believed record makes readFiles see the render's text.
  const abs = path.join(root, MANAGED);
  writeFileSync(abs, readFileSync(abs, 'utf8').replace('root', 'ROOT'));
  const rendered = readFileSync(abs, 'utf8').replace('ROOT', 'root');
  const forged: StatRecord = { files: new Map(record.files), dirs: record.dirs };
  forged.files.set(MANAGED, { sig: statSignature(lstatSync(abs, { bigint: true })), sha256: sha256(rendered) });
  assert.is(read(root, forged).files.get(MANAGED)!.text, rendered, 'the forged entry was believed');
  assert.ok(read(root, loadStatRecord(realPathOf(root))).files.get(MANAGED)!.text.includes('ROOT'), 'the real record was not fooled');
});

test('every way of changing a file behind its stat is read again, and the run reports the edit', () => {
  const cases: [string, (abs: string, root: string) => void][] = [
    ['same-size rewrite at once (same second)', (abs) => writeFileSync(abs, readFileSync(abs, 'utf8').replace('root', 'ROOT'))],
    ['same-size rewrite, mtime put back (touch -d to the old time)', (abs) => {
      const before = lstatSync(abs);
      writeFileSync(abs, readFileSync(abs, 'utf8').replace('root', 'ROOT'));
      utimesSync(abs, before.atime, before.mtime);
    }],
    ['same-size rewrite, touch -d back in time (2001)', (abs) => {
      writeFileSync(abs, readFileSync(abs, 'utf8').replace('root', 'ROOT'));
      execFileSync('touch', ['-d', '2001-01-01 00:00:00', abs]);
    }],
    ['replaced by a file of the same size and mtime (renamed over it)', (abs) => {
      const before = lstatSync(abs);
      const other = `${abs}.new-tmp`;
      writeFileSync(other, readFileSync(abs, 'utf8').replace('root', 'ROOT'));
      utimesSync(other, before.atime, before.mtime);
      renameSync(other, abs);
    }],
    ['a symlink to an edited copy swapped in', (abs, root) => {
      const copy = path.join(root, 'bootstrap/root-copy.txt');
      writeFileSync(copy, readFileSync(abs, 'utf8').replace('root', 'ROOT'));
      rmSync(abs);
      symlinkSync(copy, abs);
    }],
    ['chmod 600', (abs) => chmodSync(abs, 0o600)],
  ];
  for (const [what, change] of cases) {
    const root = repo();
    const abs = path.join(root, MANAGED);
    const recorded = loadStatRecord(realPathOf(root)).files.get(MANAGED);
    assert.ok(recorded, `${what}: the file is in the record`);
    change(abs, root);
    const state = sameAsFull(root, what);
    const f = state.files.get(MANAGED)!;
    assert.is(f.text, readFileSync(abs, 'utf8'), `${what}: read again`);
    // The whole run sees it too: a hand edit is kept (the render did not change), never "unchanged".
    const r = render(root);
    const change_ = r.changes.find((c) => c.path === MANAGED)!;
    if (what === 'chmod 600') assert.is(change_.kind, 'unchanged', what);
    else assert.is(change_.kind, 'kept-edit', `${what}: ${change_.kind}`);
  }
});

test('a folder, a FIFO or a deleted file where a recorded file was: the same answer as without the record', () => {
  const cases: [string, (abs: string) => void, RegExp | undefined][] = [
    ['deleted', (abs) => rmSync(abs), undefined],
    ['a folder', (abs) => { rmSync(abs); mkdirSync(abs); }, /EISDIR|folder/i],
    ['a FIFO', (abs) => { rmSync(abs); execFileSync('mkfifo', [abs]); }, /special file/],
  ];
  for (const [what, change, error] of cases) {
    const root = repo();
    change(path.join(root, MANAGED));
    if (!error) {
      sameAsFull(root, what);
      assert.is(render(root).changes.find((c) => c.path === MANAGED)!.kind, 'recreate', what);
    } else assert.throws(() => read(root, loadStatRecord(realPathOf(root))), error, what);
  }
});

test('a proposal or a backup appearing in a recorded folder is listed again', () => {
  const root = repo();
  writeFileSync(path.join(root, `${MANAGED}.gitops-scaffold-new`), 'kind: x\n');
  const state = sameAsFull(root, 'proposal');
  assert.ok(state.names.get('bootstrap/root')!.has('root-app.yaml.gitops-scaffold-new'));
  assert.ok(state.files.has(`${MANAGED}.gitops-scaffold-new`));
});

test('racy entries (changed at or after the run began) are never recorded; a damaged record is no record', () => {
  const root = repo();
  const real = realPathOf(root);
  const record = loadStatRecord(real);
  const [p, loaded] = [...record.files][0];
  delete process.env.GITOPS_SCAFFOLD_TEST_RACY_MARGIN_MS; // the real margin from here on
  const e = { sig: loaded.sig, sha256: loaded.sha256 }; // as this run's read would record it
  const [, mtime, ctime] = e.sig.split(':').map(BigInt);
  const latest = mtime > ctime ? mtime : ctime;
  // since - margin == the entry's newest timestamp: racy, dropped; one ns later: kept.
  saveStatRecord(real, latest + RACY_MARGIN_NS, { files: new Map([[p, e]]), dirs: new Map() }, new Set());
  assert.is(loadStatRecord(real).files.size, 0, 'same tick as the run (with the margin): not recorded');
  saveStatRecord(real, latest, { files: new Map([[p, e]]), dirs: new Map() }, new Set());
  assert.is(loadStatRecord(real).files.size, 0, 'changed within the margin: not recorded');
  saveStatRecord(real, latest + RACY_MARGIN_NS + 1n, { files: new Map([[p, e]]), dirs: new Map() }, new Set());
  assert.is(loadStatRecord(real).files.size, 1);
  // The same rule from the stat's own timestamps (what readFiles records), not the signature's.
  saveStatRecord(real, latest + RACY_MARGIN_NS, { files: new Map([[p, { ...e, newest: latest }]]), dirs: new Map() }, new Set());
  assert.is(loadStatRecord(real).files.size, 0, 'racy by its newest timestamp');
  saveStatRecord(real, latest + RACY_MARGIN_NS + 1n, { files: new Map([[p, { ...e, newest: latest }]]), dirs: new Map() }, new Set());
  assert.is(loadStatRecord(real).files.size, 1);
  saveStatRecord(real, latest + RACY_MARGIN_NS + 1n, { files: new Map([[p, e]]), dirs: new Map() }, new Set([p]));
  assert.is(loadStatRecord(real).files.size, 0, 'written by the run: not recorded');
  // An entry carried from an earlier record passed that run's rule, which keeps holding.
  saveStatRecord(real, latest, { files: new Map([[p, loaded]]), dirs: new Map() }, new Set());
  assert.is(loadStatRecord(real).files.size, 1, 'carried from the record');
  process.env.GITOPS_SCAFFOLD_TEST_RACY_MARGIN_MS = '0';
  const file = path.join(root, RECORD);
  for (const [what, text] of [['truncated', 'gitops-scaffold-stat-record-1\nf\tx\t1:2:3:4:5\tabc'], ['foreign', '{"format":"other"}\n'], ['bad hash', `gitops-scaffold-stat-record-1\nf\t${p}\t${e.sig}\tabc\nend\n`]]) {
    writeFileSync(file, text);
    assert.is(loadStatRecord(real).files.size, 0, what);
    sameAsFull(root, what);
    render(root);
    assert.ok(loadStatRecord(real).files.size > 20, `${what}: rewritten by the next run`);
  }
  // A folder where the record goes costs nothing.
  rmSync(file);
  mkdirSync(file);
  assert.is(loadStatRecord(real).files.size, 0);
  render(root);
});

test('incremental == full: readFiles with the record equals readFiles without it over random hand and model edits', () => {
  const rnd = prng(20261202);
  const root = repo();
  const managed = () => Object.keys(JSON.parse(readFileSync(path.join(root, '.gitops-scaffold/manifest.json'), 'utf8')).files).filter((p) => p !== 'platform.yaml' && existsSync(path.join(root, p)) && lstatSync(path.join(root, p)).isFile());
  let edits = 0;
  for (let step = 0; step < 30; step++) {
    const files = managed();
    const p = rnd.pick(files);
    const abs = path.join(root, p);
    let what: string;
    switch (rnd.int(9)) {
      case 0: what = `append to ${p}`; writeFileSync(abs, `${readFileSync(abs, 'utf8')}# note ${step}\n`); break;
      case 1: what = `same-size edit of ${p}`; writeFileSync(abs, readFileSync(abs, 'utf8').replace(/[a-z]/, (c) => c.toUpperCase())); break;
      case 2: {
        what = `same-size edit of ${p}, mtime put back`;
        const before = lstatSync(abs);
        writeFileSync(abs, readFileSync(abs, 'utf8').replace(/[a-z]/, (c) => c.toUpperCase()));
        utimesSync(abs, before.atime, before.mtime);
        break;
      }
      case 3: what = `delete ${p}`; rmSync(abs); break;
      case 4: what = `proposal beside ${p}`; writeFileSync(`${abs}.gitops-scaffold-new`, `x: ${step}\n`); break;
      case 5: {
        what = 'model edit (a tenant description)';
        const y = path.join(root, 'platform.yaml');
        const text = readFileSync(y, 'utf8');
        writeFileSync(y, text.replace(/^    description: step \d+\n/m, '').replace(/^tenants:\n  - name: (\S+)\n/m, (m) => `${m}    description: step ${step}\n`));
        break;
      }
      case 6: what = 'nothing'; break;
      case 7: {
        what = `rename over ${p} (same text, new inode)`;
        writeFileSync(`${abs}.tmp-x`, readFileSync(abs, 'utf8'));
        renameSync(`${abs}.tmp-x`, abs);
        break;
      }
      default: what = `touch ${p}`; utimesSync(abs, new Date(), new Date());
    }
    sameAsFull(root, `step ${step}: ${what}`);
    try {
      render(root);
    } catch {
      /* a conflict (exit 1) still saves nothing; the comparison above is what matters */
    }
    sameAsFull(root, `step ${step}: after the render following ${what}`);
    // Now and then a person resolves everything: the proposals go, the tree is rendered again.
    if (rnd.int(6) === 0) {
      for (const d of readdirSync(root, { recursive: true }) as string[]) if (d.endsWith('.gitops-scaffold-new')) rmSync(path.join(root, d));
      run({ root, command: 'render', check: false, force: true, model: ({ text }) => model(text!) });
    }
    edits++;
  }
  assert.is(edits, 30);
});

test.run();
