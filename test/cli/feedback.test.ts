// Feedback: progress on a terminal only, colour by the usual rules, a short summary and the next
// step after init, confirmation before remove deletes files at a keyboard.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { main, wantsColor } from '../../generators/cli.ts';
import { progressFor, silentProgress, terminalProgress } from '../../generators/io/progress.ts';
import { stripColor } from '../../generators/io/colors.ts';
import { run } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import type { Io } from '../../generators/commands/types.ts';
import { ROOT, readTree, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin/gitops-scaffold.js');

async function cli(args: string[], extra: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false, ...extra });
  return { exitCode, stdout, stderr };
}

test('terminal progress: nothing for the first 300 ms, then one redrawn line, cleared when done', () => {
  let t = 0;
  let out = '';
  const p = terminalProgress({ write: (s) => void (out += s), now: () => t, columns: 60 });
  p.start('checking resources', 2000);
  p.tick(100);
  assert.is(out, '', 'a short phase draws nothing');
  t = 400;
  p.tick(900);
  assert.match(out, /\r\x1b\[2K. checking resources 1,000\/2,000 \(50%\) 0\.4 s$/);
  const drawn = out.length;
  t = 450;
  p.tick();
  assert.is(out.length, drawn, 'at most one redraw per 100 ms');
  t = 600;
  p.update(1500);
  assert.match(out, /1,500\/2,000 \(75%\) 0\.6 s$/);
  p.done();
  assert.ok(out.endsWith('\r\x1b[2K'), 'the line is cleared');
  p.start('a phase with a label far too long to fit into sixty columns of terminal width at all', 10);
  t = 2000;
  p.tick();
  const last = out.slice(out.lastIndexOf('\r\x1b[2K') + 5);
  assert.ok(last.length <= 59, `fits the terminal (${last.length})`);
});

test('a long run shows each new phase at once; the pipeline reports its phases', () => {
  let t = 0;
  let out = '';
  const p = terminalProgress({ write: (s) => void (out += s), now: () => t });
  p.start('planning and rendering');
  t = 350;
  p.start('checking 8000 files');
  assert.match(out, /checking 8000 files 0\.0 s$/, 'drawn at start once the run took 300 ms');
  p.done();
  const phases: string[] = [];
  const recorder = { start: (l: string) => void phases.push(l), tick() {}, update() {}, done: () => void phases.push('done') };
  run({ root: path.join(tempDir(), 'repo'), spec: parseSpecText(readFileSync(path.join(ROOT, 'examples/minimal/platform.yaml'), 'utf8'), 'minimal'), progress: recorder });
  assert.equal(phases.map((x) => x.replace(/\d+/g, 'N').replace(/ \/.*/, '')), ['planning, rendering and checking', 'comparing N files with', 'writing N files', 'done']);
});

test('progress only on a terminal stderr, never for machine output', () => {
  const write = () => {};
  assert.is(progressFor({ stderrTty: false, writeStderr: write }, false), silentProgress);
  assert.is(progressFor({ stderrTty: true, writeStderr: write }, true), silentProgress, '--json / --output json');
  assert.is.not(progressFor({ stderrTty: true, writeStderr: write }, false), silentProgress);
});

test('colour: FORCE_COLOR forces it, NO_COLOR turns it off, else a terminal decides; --no-color wins', async () => {
  assert.is(wantsColor(true, {}), true);
  assert.is(wantsColor(false, {}), false);
  assert.is(wantsColor(true, { NO_COLOR: '1' }), false);
  assert.is(wantsColor(false, { FORCE_COLOR: '1' }), true);
  assert.is(wantsColor(true, { FORCE_COLOR: '0' }), true);
  assert.is(wantsColor(true, { TERM: 'dumb' }), false);
  const out = path.join(tempDir(), 'repo');
  const forced = await execa('node', [BIN, 'init', '--example', 'minimal', '--out', out], { reject: false, env: { FORCE_COLOR: '1', CI: 'true' } });
  assert.is(forced.exitCode, 0, forced.stderr);
  assert.match(forced.stdout, /\x1b\[1mNext:/);
  const bad = await execa('node', [BIN, 'init', '--dryrun'], { reject: false, env: { FORCE_COLOR: '1', CI: 'true' } });
  assert.match(bad.stderr, /^\x1b\[31m\x1b\[1merror:/);
  const off = await execa('node', [BIN, 'init', '--dryrun', '--no-color'], { reject: false, env: { FORCE_COLOR: '1', CI: 'true' } });
  assert.match(off.stderr, /^error:/);
  const piped = await execa('node', [BIN, 'render', '--repo', out], { reject: false, env: { CI: 'true' } });
  assert.is(piped.stdout, stripColor(piped.stdout), 'no colour into a pipe');
});

test('init: a short summary by folder and the next step; every path with --verbose or in --json', async () => {
  const out = path.join(tempDir(), 'repo');
  const r = await cli(['init', '--example', 'enterprise', '--out', out]);
  assert.is(r.exitCode, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length < 20, `short (${lines.length} lines)`);
  // As many files as the committed example has (its manifest lists every one).
  const files = Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'examples/enterprise/.gitops-scaffold/manifest.json'), 'utf8')).files).length;
  assert.match(r.stdout, new RegExp(`^  ${files} files in .*apps\\/ \\d+, argocd\\/ \\d+.*\\(every file: --verbose\\)$`, 'm'));
  assert.match(r.stdout, /Next:\n  1\. Review it[\s\S]*git init -b main[\s\S]*Bootstrap a cluster" in README\.md:\n +kubectl apply --server-side --force-conflicts -k bootstrap, .*-k bootstrap\/root/);
  assert.match(r.stdout, /Argo CD tracks revision v2026\.11\.0/);
  const again = await cli(['init', '--example', 'enterprise', '--out', out, '--verbose']);
  assert.match(again.stdout, /No changes/);
  assert.not.match(again.stdout, /Next:/, 'no next step on a re-run');
  assert.ok(again.stdout.split('\n').length > files, '--verbose lists every file');
  const json = await cli(['init', '--example', 'minimal', '--out', path.join(tempDir(), 'm'), '--json']);
  assert.ok(JSON.parse(json.stdout).files.length > 60, '--json lists every file');
});

function minimalRepo(): string {
  const root = path.join(tempDir('gs-feedback-'), 'repo');
  run({ root, spec: parseSpecText(readFileSync(path.join(ROOT, 'examples/minimal/platform.yaml'), 'utf8'), 'minimal'), refuseForeign: true, check: false });
  return root;
}

test('remove at a keyboard lists what it deletes and asks; no means nothing changes; --yes and no TTY never ask', async () => {
  const root = minimalRepo();
  const before = readTree(root);
  const service = (parseSpecText(readFileSync(path.join(root, 'platform.yaml'), 'utf8'), 'm') as any).services[0].name;
  const questions: string[] = [];
  const no = await cli(['remove', 'service', service, '--repo', root, '--no-check'], { interactive: true, confirm: async (q) => (questions.push(q), false) });
  assert.is(no.exitCode, 1);
  assert.match(no.stderr, new RegExp(`remove service ${service} deletes \\d+ file\\(s\\)`));
  assert.match(no.stderr, /Cancelled: .* nothing was written/);
  assert.equal(questions, [`Delete these files and remove service ${service} from platform.yaml?`]);
  assert.equal(readTree(root), before, 'declined: every byte as it was');
  const yes = await cli(['remove', 'service', service, '--repo', root, '--no-check'], { interactive: true, confirm: async () => true });
  assert.is(yes.exitCode, 0, yes.stderr);
  assert.not.ok(existsSync(path.join(root, 'apps', 'web', service)));
  const root2 = minimalRepo();
  const never = async () => {
    throw new Error('asked');
  };
  assert.is((await cli(['remove', 'service', service, '--repo', root2, '--no-check', '--yes'], { interactive: true, confirm: never })).exitCode, 0, '--yes');
  const root3 = minimalRepo();
  assert.is((await cli(['remove', 'service', service, '--repo', root3, '--no-check'], { interactive: false, confirm: never })).exitCode, 0, 'no TTY');
});

test.run();
