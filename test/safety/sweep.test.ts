// The no-stack-trace sweep: every command of the command tree (generators/commands/index.ts,
// walked here, so a new command is swept the day it is added) against hostile input and a
// failing disk. For each run: no stack frame on stderr or stdout, no "internal error" (a bug
// speaking where the input was at fault), the exit code the help documents (2 bad input, 1 a
// failing disk / failed checks / conflicts, 3 the lock of another run), an answer well within a
// few seconds (no hang), and the repository exactly as it was when the run did not succeed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { ROOT as TREE } from '../../generators/commands/index.ts';
import type { CommandSpec } from '../../generators/commands/types.ts';
import { failDisk, type DiskFault } from './fs-faults.ts';
import { cli, minimalRepo, snapshot, tempDir, treeDiff } from './helpers.ts';

// ---- the command tree, and how each leaf is pointed at a repository --------------------------

function leaves(c: CommandSpec, at: string[] = []): { path: string[]; spec: CommandSpec }[] {
  return (c.subcommands ?? []).flatMap((s) => [...(s.load ? [{ path: [...at, s.name], spec: s }] : []), ...leaves(s, [...at, s.name])]);
}
const LEAVES = leaves(TREE);
const key = (p: string[]) => p.join(' ');

/**
 * GITOPS_SCAFFOLD_SWEEP=full runs every pair of command and hostile case (about 900 runs, a
 * minute); by default (CI) each list is walked in step, max(n, m) pairs, so every command and
 * every hostile case runs at least once, at a few seconds' cost.
 */
const FULL = process.env.GITOPS_SCAFFOLD_SWEEP === 'full';
function pairs<A, B>(as: readonly A[], bs: readonly B[]): [A, B][] {
  if (FULL) return as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
  return Array.from({ length: Math.max(as.length, bs.length) }, (_, t): [A, B] => [as[t % as.length], bs[t % bs.length]]);
}

/**
 * A well-formed command line of each command against repository R (output folder O): the
 * baseline the hostile variants start from. Every leaf of the tree must be here (a test says so).
 */
const BASE: Record<string, (R: string, O: string) => string[]> = {
  init: (_R, O) => ['init', '--example', 'minimal', '--out', O, '--yes', '--no-check'],
  render: (R) => ['render', '--repo', R, '--no-check'],
  'add service': (R) => ['add', 'service', 'checkout', '--repo', R, '--tenant', 'payments', '--image', 'ghcr.io/acme/checkout', '--tag', '1.0.0', '--no-check'],
  'add tenant': (R) => ['add', 'tenant', 'billing', '--repo', R, '--no-check'],
  'add cluster': (R) => ['add', 'cluster', 'edge-2', '--repo', R, '--server', 'https://10.0.0.10:6443', '--environment', 'qa', '--no-check'],
  'add environment': (R) => ['add', 'environment', 'staging', '--repo', R, '--after', 'qa', '--cluster', 'edge', '--no-check'],
  'remove service': (R) => ['remove', 'service', 'api', '--repo', R, '--no-check'],
  'remove tenant': (R) => ['remove', 'tenant', 'search', '--repo', R, '--no-check'],
  'remove cluster': (R) => ['remove', 'cluster', 'spare', '--repo', R, '--no-check'],
  'remove environment': (R) => ['remove', 'environment', 'qa', '--repo', R, '--no-check'],
  promote: (R) => ['promote', 'api', '--repo', R, '--to', 'prod', '--no-check'],
  upgrade: (R) => ['upgrade', '--repo', R, '--no-check'],
  validate: (R) => ['validate', R, '--no-kustomize'],
  apps: (R) => ['apps', R],
  diff: (R) => ['diff', R, '--base', 'HEAD', '--no-kustomize'],
  lint: (R) => ['lint', R],
  'schemas export': (_R, O) => ['schemas', 'export', O],
  completion: () => ['completion', 'bash'],
  help: () => ['help', 'add', 'service'],
  __complete: (R) => ['__complete', 'remove', 'service', '--repo', R, ''],
};
/** Commands that change the repository (under the lock); the others only read it. */
const WRITERS = new Set(['init', 'render', 'add service', 'add tenant', 'add cluster', 'add environment', 'remove service', 'remove tenant', 'remove cluster', 'remove environment', 'promote', 'upgrade']);
/** Commands that read a repository's platform.yaml (the rest take none, or any folder). */
const MODEL_READERS = new Set([...WRITERS].filter((c) => c !== 'init'));

// ---- fixtures ---------------------------------------------------------------------------------

const dir = tempDir('gs-sweep-');
/** A fresh folder under the sweep's own (all removed after the last test). */
const scratch = (prefix: string) => mkdtempSync(path.join(dir, prefix));
const F = (name: string) => path.join(dir, name);
execFileSync('mkfifo', [F('fifo')]);
writeFileSync(F('binary'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
writeFileSync(F('huge.yaml'), `name: x\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
writeFileSync(F('a-file'), 'not a folder\n');
symlinkSync(F('nowhere'), F('dangling'));
symlinkSync(F('loop-b'), F('loop-a'));
symlinkSync(F('loop-a'), F('loop-b'));
symlinkSync(F('a-file'), F('link-to-file'));
mkdirSync(F('empty-folder'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', F('key.pem'), '-subj', '/CN=sealed-secret', '-days', '1', '-out', F('cert.pem')], { stdio: 'ignore' });

const laughs = () => ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');

/** Contents a platform.yaml (or manifest, answers file...) may hold that no person meant. */
const HOSTILE_TEXT: Record<string, string | Buffer> = {
  binary: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
  'NUL bytes': 'name: a\0b\n\0\0\0',
  'invalid YAML': 'name: [acme\n  repo: {\n',
  'a scalar': 'just some words\n',
  'a list': '- name: acme\n- name: other\n',
  empty: '',
  'a billion laughs': laughs(),
  'deeply nested': `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  'huge (5 MB)': `name: x\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`,
  'wrong types': 'apiVersion: 7\nkind: [Platform]\nname: {a: 1}\nenvironments: 3\nclusters: "x"\ntenants: [1, 2, null]\nservices: {}\n',
  'a duplicate key': 'name: a\nname: b\n',
  'prototype keys': '__proto__: {polluted: 1}\nconstructor: {prototype: {polluted: 1}}\nname: acme\n',
  'a tag': 'name: !!js/function "function () {}"\n',
};

/** What may sit where a file or folder is expected. */
const HOSTILE_PATH: Record<string, string> = {
  missing: F('missing'),
  'an empty folder': F('empty-folder'),
  'a file': F('a-file'),
  'a FIFO': F('fifo'),
  '/dev/zero': '/dev/zero',
  'a dangling symlink': F('dangling'),
  'a symlink loop': F('loop-a'),
  'a symlink to a file': F('link-to-file'),
  'a binary file': F('binary'),
  'a 5 MB file': F('huge.yaml'),
};

// ---- the repositories the commands run against ------------------------------------------------

let template: string | undefined;
let templateTree: Map<string, string>;
let pooled: string | undefined;
/** The tree the last run left (its check after the run), so the reset needs no second walk. */
let seen: { root: string; tree: Map<string, string> } | undefined;
/**
 * A repository with services api, tenants payments and search, environments dev, qa and prod,
 * clusters hub, edge and spare, committed to Git. One copy is reused: each call puts back, entry
 * by entry, what the previous case changed (a full copy per case would cost most of the sweep).
 */
async function richRepo(): Promise<string> {
  if (!template) {
    template = minimalRepo();
    for (const args of [
      ['add', 'tenant', 'search', '--repo', template, '--no-check'],
      ['add', 'environment', 'qa', '--repo', template, '--after', 'dev', '--cluster', 'edge', '--server', 'https://10.0.0.9:6443', '--no-check'],
      ['add', 'cluster', 'spare', '--repo', template, '--server', 'https://10.0.0.11:6443', '--environment', 'qa', '--no-check'],
      ['add', 'service', 'api', '--repo', template, '--tenant', 'payments', '--image', 'ghcr.io/acme/api', '--tag', '1.0.0', '--no-check'],
    ]) {
      const r = await cli(args);
      assert.is(r.exitCode, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    const git = (...a: string[]) => execFileSync('git', ['-C', template!, ...a], { stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    templateTree = snapshot(template);
  }
  if (!pooled) {
    pooled = path.join(scratch('repo-'), 'repo');
    cpSync(template, pooled, { recursive: true, verbatimSymlinks: true });
    return pooled;
  }
  const now = seen?.root === pooled ? seen.tree : snapshot(pooled);
  seen = undefined;
  const changed = [...new Set([...now.keys(), ...templateTree.keys()])].filter((k) => now.get(k) !== templateTree.get(k)).sort();
  // first away with what differs, then the template's entries back (a folder where a file was...)
  for (const k of changed) if (now.has(k)) rmSync(path.join(pooled, k), { recursive: true, force: true });
  for (const k of changed) {
    if (!templateTree.has(k)) continue;
    if (k.endsWith('/')) mkdirSync(path.join(pooled, k), { recursive: true });
    else cpSync(path.join(template, k), path.join(pooled, k), { verbatimSymlinks: true });
  }
  return pooled;
}

// ---- one run, and what every run must hold ----------------------------------------------------

interface Outcome {
  label: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  problems: string[];
  /** Calls the injected disk fault failed. */
  failures: number;
}
const tally = { runs: 0, commands: new Set<string>(), byExit: new Map<number, number>() };

/**
 * Runs `args` in-process; checks the universal rules and the expected exit codes, returns the
 * problems (empty: fine). `tree`: the folder that must be unchanged unless the run exits 0.
 */
async function sweep(label: string, command: string, args: string[], expect: readonly number[], tree?: string, fault?: DiskFault): Promise<Outcome> {
  const before = tree ? snapshot(tree) : undefined;
  const started = Date.now();
  // GITOPS_SCAFFOLD_SWEEP_TRACE=1: each run and its time on stderr (to find a hang or a slow case)
  if (process.env.GITOPS_SCAFFOLD_SWEEP_TRACE) process.stderr.write(`> ${label}: ${args.join(' ').slice(0, 160)}\n`);
  const injected = fault && tree ? failDisk(tree, fault) : undefined;
  let r: { exitCode: number; stdout: string; stderr: string };
  try {
    r = await cli(args, { GITOPS_SCAFFOLD_LOCK_WAIT: '0' });
  } finally {
    injected?.restore();
  }
  if (process.env.GITOPS_SCAFFOLD_SWEEP_TRACE) process.stderr.write(`< ${Date.now() - started} ms exit ${r.exitCode}\n`);
  const problems: string[] = [];
  const out = `${r.stdout}${r.stderr}`;
  if (/^\s+at \S/m.test(out)) problems.push('a stack frame in the output');
  if (/internal error/.test(out)) problems.push(`an internal error: ${r.stderr.split('\n')[0]}`);
  if (!expect.includes(r.exitCode)) problems.push(`exit ${r.exitCode}, expected ${expect.join(' or ')}: ${(r.stderr || r.stdout).split('\n').slice(0, 3).join(' | ').slice(0, 400)}`);
  // (validate and lint report findings on stdout, exit 1)
  if (r.exitCode !== 0 && !r.stderr.trim() && !(r.exitCode === 1 && /^(validate|lint)$/.test(command) && r.stdout.trim())) problems.push('failed without a word on stderr');
  if (Date.now() - started > 15_000) problems.push(`took ${Date.now() - started} ms`);
  if (before && r.exitCode !== 0) {
    seen = { root: tree!, tree: snapshot(tree!) };
    const diff = treeDiff(seen.tree, before);
    if (diff.length) problems.push(`the repository changed: ${diff.slice(0, 4).join(', ')}`);
  }
  if (({} as any).polluted !== undefined) problems.push('Object.prototype polluted');
  tally.runs++;
  tally.commands.add(command);
  tally.byExit.set(r.exitCode, (tally.byExit.get(r.exitCode) ?? 0) + 1);
  return { label: `${label}: ${args.join(' ').replaceAll(dir, '$F').slice(0, 200)}`, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, problems, failures: injected?.failures() ?? 0 };
}

/** Fails with every offending run listed, one per line (a diff of arrays would hide them). */
function assertClean(outcomes: Outcome[]) {
  const bad = outcomes.filter((o) => o.problems.length).map((o) => `  ${o.label}\n      ${o.problems.join('\n      ')}`);
  if (bad.length) throw new Error(`${bad.length} of ${outcomes.length} runs broke a rule:\n${bad.join('\n')}`);
}

// ---- the sweep --------------------------------------------------------------------------------

test('every command of the tree is in the sweep', () => {
  assert.equal(LEAVES.map((l) => key(l.path)).filter((k) => !BASE[k]), [], 'a command without a baseline line in BASE');
});

test('the baseline lines are well-formed (each exits 0 on a good repository)', async () => {
  const outcomes: Outcome[] = [];
  // (in CI the writers' baselines are proven by the failing-disk test: it expects them to reach the writes)
  for (const { path: p } of LEAVES.filter((l) => FULL || !WRITERS.has(key(l.path)))) {
    const R = await richRepo();
    const O = path.join(scratch('out-'), 'out');
    outcomes.push(await sweep('baseline', key(p), BASE[key(p)](R, O), [0]));
  }
  assertClean(outcomes);
});

test('bad command lines: unknown flags, missing values, bad choices, extra words -> exit 2', async () => {
  const outcomes: Outcome[] = [];
  const R = await richRepo();
  const O = path.join(scratch('out-'), 'out');
  for (const { path: p, spec } of LEAVES) {
    if (spec.rawArgs) continue; // __complete takes any words: swept below
    const base = BASE[key(p)](R, O);
    const flags = Object.entries(spec.flags ?? {});
    const lines: string[][] = [
      [...base, '--no-such-flag'],
      [...base, '-Z'],
      [...p, '--repo'],
    ];
    const str = flags.find(([, f]) => f.type === 'string' && !f.multiple);
    if (str) lines.push([...p, `--${str[0]}`]);
    const bool = flags.find(([, f]) => f.type === 'boolean');
    if (bool) lines.push([...base, `--${bool[0]}=maybe`]);
    for (const [name, f] of flags) if (f.choices) lines.push([...base, `--${name}`, 'no-such-choice']);
    const positional = spec.args ?? [];
    if (!positional.some((a) => a.variadic)) lines.push([...base, 'extra', 'words']);
    for (const a of positional) if (a.choices) lines.push([...p, 'no-such-choice']);
    if (positional.some((a) => a.required)) lines.push([...p]);
    for (const args of lines) outcomes.push(await sweep('bad line', key(p), args, [2], R));
  }
  for (const args of [['no-such-command'], ['add', 'widget', 'x'], ['remove'], ['schemas', 'import', O], ['--no-such-global'], ['help', 'no-such-command'], ['']])
    outcomes.push(await sweep('bad line', args[0] || '(empty)', args, [2]));
  assertClean(outcomes);
});

test('hostile text in platform.yaml, for every command that reads it -> exit 2, nothing written', async () => {
  const outcomes: Outcome[] = [];
  for (const [command, [what, text]] of pairs([...MODEL_READERS], Object.entries(HOSTILE_TEXT))) {
    const R = await richRepo();
    writeFileSync(path.join(R, 'platform.yaml'), text);
    outcomes.push(await sweep(`platform.yaml ${what}`, command, BASE[command](R, ''), [2], R));
  }
  assertClean(outcomes);
});

test('platform.yaml that is not a file (folder, FIFO, symlinks, missing) -> exit 2, nothing written', async () => {
  const outcomes: Outcome[] = [];
  for (const [command, what] of pairs([...MODEL_READERS], ['missing', 'an empty folder', 'a FIFO', 'a dangling symlink', 'a symlink loop', '/dev/zero'])) {
    const R = await richRepo();
    rmSync(path.join(R, 'platform.yaml'));
    if (what === 'an empty folder') mkdirSync(path.join(R, 'platform.yaml'));
    else if (what === 'a FIFO') execFileSync('mkfifo', [path.join(R, 'platform.yaml')]);
    else if (what !== 'missing') symlinkSync(HOSTILE_PATH[what], path.join(R, 'platform.yaml'));
    outcomes.push(await sweep(`platform.yaml ${what}`, command, BASE[command](R, ''), [2], R));
  }
  assertClean(outcomes);
});

test('hostile state: a damaged, binary or misplaced manifest, state folder, lock or journal -> exit 2 (or 1), nothing written; broken caches cost nothing', async () => {
  const outcomes: Outcome[] = [];
  const STATE: Record<string, (R: string) => void> = {
    'manifest.json binary': (R) => writeFileSync(path.join(R, '.gitops-scaffold/manifest.json'), HOSTILE_TEXT.binary),
    'manifest.json truncated': (R) => writeFileSync(path.join(R, '.gitops-scaffold/manifest.json'), '{"generator": "gitops-scaffold", "files": {'),
    'manifest.json wrong shape': (R) => writeFileSync(path.join(R, '.gitops-scaffold/manifest.json'), '{"generator": "gitops-scaffold", "version": 7, "files": [1, 2], "model": "x", "pins": 3}'),
    'manifest.json a folder': (R) => (rmSync(path.join(R, '.gitops-scaffold/manifest.json')), mkdirSync(path.join(R, '.gitops-scaffold/manifest.json'))),
    'manifest.json a FIFO': (R) => (rmSync(path.join(R, '.gitops-scaffold/manifest.json')), execFileSync('mkfifo', [path.join(R, '.gitops-scaffold/manifest.json')])),
    '.gitops-scaffold a file': (R) => (rmSync(path.join(R, '.gitops-scaffold'), { recursive: true }), writeFileSync(path.join(R, '.gitops-scaffold'), 'x')),
    'the lock a folder': (R) => mkdirSync(path.join(R, '.gitops-scaffold/lock')),
    'the lock garbage': (R) => writeFileSync(path.join(R, '.gitops-scaffold/lock'), HOSTILE_TEXT.binary),
    'the journal garbage': (R) => writeFileSync(path.join(R, '.gitops-scaffold/journal.json'), '{"steps": [{"op": "rename", "from": "../../etc/passwd", "path": "/etc/passwd"}]}'),
    'tmp/ a file': (R) => writeFileSync(path.join(R, '.gitops-scaffold/tmp'), 'x'),
    // perf's caches are derived data: garbage, a file where the folder goes, a FIFO where a file
    // goes only cost speed (the run succeeds, exit 0), never a hang or a failed run
    'the caches garbage': (R) => {
      mkdirSync(path.join(R, '.gitops-scaffold/cache'), { recursive: true });
      for (const f of ['check.jsonl', 'render.memo', 'noop-render.json', 'sim.jsonl']) writeFileSync(path.join(R, '.gitops-scaffold/cache', f), HOSTILE_TEXT.binary);
    },
    'cache/ a file': (R) => (rmSync(path.join(R, '.gitops-scaffold/cache'), { recursive: true, force: true }), writeFileSync(path.join(R, '.gitops-scaffold/cache'), 'x')),
    'the cache files FIFOs': (R) => {
      mkdirSync(path.join(R, '.gitops-scaffold/cache'), { recursive: true });
      for (const f of ['check.jsonl', 'render.memo', 'noop-render.json', 'sim.jsonl']) rmSync(path.join(R, '.gitops-scaffold/cache', f), { force: true }), execFileSync('mkfifo', [path.join(R, '.gitops-scaffold/cache', f)]);
    },
  };
  const CACHE_CASES = new Set(['the caches garbage', 'cache/ a file', 'the cache files FIFOs']);
  for (const [command, [what, prepare]] of pairs([...MODEL_READERS], Object.entries(STATE))) {
    const R = await richRepo();
    prepare(R);
    // a lock that is garbage is stale (no holder to name): taken over with a note; the others are refused
    // (the caches are read by the pre-write check: those cases run with it)
    const args = CACHE_CASES.has(what) ? BASE[command](R, '').filter((a) => a !== '--no-check') : BASE[command](R, '');
    outcomes.push(await sweep(what, command, args, what === 'the lock garbage' ? [0, 2, 3] : CACHE_CASES.has(what) ? [0] : [1, 2, 3], R));
  }
  assertClean(outcomes);
});

test('hostile paths for every file and folder a command is handed -> exit 2, nothing written', async () => {
  const outcomes: Outcome[] = [];
  const R0 = await richRepo();
  const FILE_FLAGS = ['answers', 'sealed-secrets-cert', 'seal-values', 'config'];
  const takesPaths = LEAVES.filter(({ path: p }) => !['completion', 'help', '__complete'].includes(key(p)));
  for (const [{ path: p, spec }, [what, target]] of pairs(takesPaths, Object.entries(HOSTILE_PATH))) {
    const k = key(p);
    // the repository / output folder itself
    if ('repo' in (spec.flags ?? {})) {
      const args = BASE[k](R0, '').map((a) => (a === R0 ? target : a));
      outcomes.push(await sweep(`--repo ${what}`, k, args, [2]));
    } else if (k === 'init' || k === 'schemas export') {
      if (what === 'missing' || what === 'an empty folder' || what === 'a dangling symlink') continue; // a new folder is fine there
      outcomes.push(await sweep(`output folder ${what}`, k, BASE[k]('', target), [2]));
    } else if (what !== 'an empty folder' && what !== 'a file' && what !== 'a symlink to a file') {
      // validate / lint / apps / diff take a path: a missing or odd one is bad input; validate
      // and lint take any regular file (one that is not a manifest is simply not checked)
      const regular = what === 'a binary file' || what === 'a 5 MB file';
      outcomes.push(await sweep(`path ${what}`, k, BASE[k](target, ''), (k === 'validate' || k === 'lint') && regular ? [0, 1, 2] : [2]));
    }
    // every input-file flag
    for (const flag of FILE_FLAGS) {
      if (!(flag in (spec.flags ?? {}))) continue;
      if (what === 'an empty folder' && flag === 'config') continue;
      const R = await richRepo();
      const O = path.join(scratch('out-'), 'out');
      const base = BASE[k](R, O);
      const extra = flag === 'seal-values' ? ['--sealed-secrets-cert', F('cert.pem'), `--${flag}`, target] : [`--${flag}`, target];
      outcomes.push(await sweep(`--${flag} ${what}`, k, [...base, ...extra], [2], R));
    }
  }
  assertClean(outcomes);
});

test('another run holds the lock -> every writing command exits 3 naming it, nothing written', async () => {
  const outcomes: Outcome[] = [];
  const holder = execa('sleep', ['60']);
  try {
    for (const command of WRITERS) {
      const R = await richRepo();
      writeFileSync(path.join(R, '.gitops-scaffold/lock'), JSON.stringify({ pid: holder.pid, host: hostname(), command: 'render', startedAt: new Date().toISOString(), nonce: 'sweep' }));
      const o = await sweep('locked', command, command === 'init' ? ['init', '--example', 'minimal', '--out', R, '--yes', '--force', '--no-check'] : BASE[command](R, ''), [3], R);
      outcomes.push(o);
    }
  } finally {
    holder.kill();
    await holder.catch(() => {});
  }
  assertClean(outcomes);
});

const DISK_CODES = ['ENOSPC', 'EIO', 'EACCES', 'EROFS'];

/** How the disk fails: from the first write (the lock), or only past the state folder (the files themselves). */
const WRITE_PHASES = DISK_CODES.flatMap((code) => [
  { code, phase: 'from the first write', spare: undefined },
  { code, phase: 'after the lock and the journal', spare: (rel: string) => rel.startsWith('.gitops-scaffold') },
]);

/** A failing disk's answer: exit 1 and one line "error: cannot <do> <file>: <reason> (fix: ...)". */
function oneDiskLine(o: Outcome): Outcome {
  if (o.exitCode !== 1) return o;
  const lines = o.stderr.split('\n').filter((l) => l && !l.startsWith('Note: '));
  if (lines.length !== 1 || !/^error: cannot [a-z ]+ \S+.*\(fix: /.test(lines[0])) o.problems.push(`not one line naming the file and the fix: ${lines.slice(0, 3).join(' | ')}`);
  return o;
}

test('a failing disk (ENOSPC, EIO, EACCES, EROFS) on every write of every command -> exit 1, one line naming the file, rolled back', async () => {
  const outcomes: Outcome[] = [];
  const writers = LEAVES.filter(({ path: p }) => WRITERS.has(key(p)) || key(p) === 'schemas export');
  for (const [{ path: p }, { code, phase, spare }] of pairs(writers, WRITE_PHASES)) {
    const k = key(p);
    const R = await richRepo();
    const O = path.join(R, 'exported');
    const args = k === 'init' ? ['init', '--example', 'minimal', '--out', R, '--yes', '--force', '--no-check'] : BASE[k](R, O);
    // render has something to write: a description edited in platform.yaml by hand
    if (k === 'render') writeFileSync(path.join(R, 'platform.yaml'), readFileSync(path.join(R, 'platform.yaml'), 'utf8').replace('- name: payments', '- name: payments\n    description: Payments team'));
    const o = await sweep(`${code} ${phase}`, k, args, [0, 1], R, { kind: 'write', code, spare });
    // exit 0 only where the run wrote nothing (promote of a tag prod already runs, upgrade on
    // this version's pins): never a success over a write that failed
    if (o.exitCode === 0 && (o.failures > 0 || !/Unchanged|No changes|Nothing to upgrade/.test(o.stdout))) o.problems.push(`exit 0 on a failing disk (${o.failures} calls failed): ${o.stdout.split('\n')[0]}`);
    outcomes.push(oneDiskLine(o));
  }
  assertClean(outcomes);
});

const READ_PHASES = ['EIO', 'EACCES'].flatMap((code) => [
  { code, phase: 'every file', spare: undefined },
  { code, phase: 'the generated files only', spare: (rel: string) => rel === 'platform.yaml' || rel === '' || rel.startsWith('.gitops-scaffold') || rel.startsWith('.git') },
]);

test('an unreadable or failing disk (EIO, EACCES) on every read of every command -> exit 1 or 2, one line naming the file', async () => {
  const outcomes: Outcome[] = [];
  const readers = LEAVES.filter(({ path: p }) => !['completion', 'help', 'init', 'schemas export'].includes(key(p)));
  for (const [{ path: p }, { code, phase, spare }] of pairs(readers, READ_PHASES)) {
    const k = key(p);
    const R = await richRepo();
    outcomes.push(oneDiskLine(await sweep(`${code} reading ${phase}`, k, BASE[k](R, ''), k === '__complete' ? [0] : [1, 2], R, { kind: 'read', code, spare })));
  }
  assertClean(outcomes);
});

test('a FIFO or a device named like a manifest inside the repository: every reading command answers (no hang)', async () => {
  const outcomes: Outcome[] = [];
  for (const command of ['render', 'validate', 'lint', 'apps', 'diff']) {
    const R = await richRepo();
    execFileSync('mkfifo', [path.join(R, 'apps/stuck.yaml')]);
    symlinkSync('/dev/zero', path.join(R, 'apps/endless.yaml'));
    outcomes.push(await sweep('special files', command, BASE[command](R, ''), [0, 1, 2], R));
  }
  assertClean(outcomes);
});

test('hostile words for shell completion never fail it', async () => {
  const outcomes: Outcome[] = [];
  const R = await richRepo();
  writeFileSync(path.join(R, 'platform.yaml'), HOSTILE_TEXT.binary);
  for (const words of [['add', 'service', '--repo', R, '--tenant', ''], ['--repo', F('fifo'), 'remove', 'service', ''], ['remove', 'tenant', '--repo', F('loop-a'), ''], ['\u0000', '--', '-', ''], ['x'.repeat(100_000)], []])
    outcomes.push(await sweep('complete', '__complete', ['__complete', ...words], [0], R));
  assertClean(outcomes);
  rmSync(dir, { recursive: true, force: true });
  if (template) rmSync(path.dirname(template), { recursive: true, force: true });
  console.log(`\n  no-stack-trace sweep: ${tally.runs} runs of ${tally.commands.size} commands; exits ${[...tally.byExit].sort().map(([c, n]) => `${c}: ${n}`).join(', ')}; 0 stack traces, 0 internal errors`);
});

test.run();
