// Hostile and odd input, and failing disks: a table of exact exit codes and messages. Every
// case ends in one clear error (never a hang, never a stack trace) and writes nothing, or rolls
// back what it began.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errnoError, setFaultHook } from '../../generators/io/faults.ts';
import { cli, minimalRepo, ROOT, snapshot, spawnCli, tempDir, treeDiff } from './helpers.ts';

const dir = tempDir('gs-hostile-');
const EXAMPLE = path.join(ROOT, 'examples/minimal/platform.yaml');
const fifo = path.join(dir, 'answers.fifo');
execFileSync('mkfifo', [fifo]);

function laughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const p = String.fromCharCode(96 + i);
    lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}
writeFileSync(path.join(dir, 'laughs.yaml'), laughs());
writeFileSync(path.join(dir, 'big.yaml'), `name: x\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
writeFileSync(path.join(dir, 'long-description.yaml'), `${readFileSync(EXAMPLE, 'utf8')}\n`.replace('  - name: web\n    repos:', `  - name: web\n    description: "${'d'.repeat(2000)}"\n    repos:`));
writeFileSync(path.join(dir, 'a-file'), 'not a folder\n');
const deeply = (prefix: string) => `${prefix}${'['.repeat(5000)}${']'.repeat(5000)}\n`;
writeFileSync(path.join(dir, 'deep.yaml'), deeply('name: '));
symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
execFileSync('openssl', ['req', '-x509', '-new', '-key', path.join(dir, 'key.pem'), '-subj', '/CN=sealed-secret', '-days', '1', '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });

interface Case {
  name: string;
  /** The command line; `repo` is a fresh copy of a rendered repository. */
  args: (repo: string) => string[];
  prepare?: (repo: string) => void;
  exit: number;
  stderr: RegExp;
}

const init = (...more: string[]) => ['init', '--out', path.join(dir, 'never-written'), '--yes', '--no-check', ...more];
const addService = (repo: string, ...more: string[]) => ['add', 'service', 'checkout', '--repo', repo, '--tenant', 'payments', '--image', 'ghcr.io/acme/checkout', '--no-check', ...more];

const CASES: Case[] = [
  { name: '--answers /dev/zero', args: () => init('--answers', '/dev/zero'), exit: 2, stderr: /--answers: \/dev\/zero is a character device, not a regular file \(fix: write the answers file to a regular file and pass that\)/ },
  { name: '--answers a FIFO (never opened for reading, so no hang)', args: () => init('--answers', fifo), exit: 2, stderr: /--answers: .*answers\.fifo is a named pipe \(FIFO\), not a regular file/ },
  { name: '--answers a folder', args: () => init('--answers', dir), exit: 2, stderr: /--answers: .* is a folder, not a regular file/ },
  { name: '--answers missing', args: () => init('--answers', path.join(dir, 'nope.yaml')), exit: 2, stderr: /--answers: .*nope\.yaml does not exist \(fix: check the path\)/ },
  { name: '--answers of 5 MB', args: () => init('--answers', path.join(dir, 'big.yaml')), exit: 2, stderr: /--answers: .*big\.yaml is 5\.0 MB, over the 4 MB limit of --answers/ },
  { name: '--answers a billion laughs', args: () => init('--answers', path.join(dir, 'laughs.yaml')), exit: 2, stderr: /laughs\.yaml expands too many YAML aliases; nothing was written\n {2}- .*laughs\.yaml: its aliases \(\*name\) expand more than 100 times/ },
  { name: 'platform.yaml a billion laughs', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), laughs()), args: (repo) => ['render', '--repo', repo], exit: 2, stderr: /platform\.yaml: its YAML aliases \(\*name\) expand more than 100 times/ },
  { name: '--sealed-secrets-cert /dev/zero', args: (repo) => ['render', '--repo', repo, '--sealed-secrets-cert', '/dev/zero'], exit: 2, stderr: /--sealed-secrets-cert: \/dev\/zero is a character device, not a regular file/ },
  { name: '--seal-values a FIFO', args: (repo) => ['render', '--repo', repo, '--sealed-secrets-cert', path.join(dir, 'cert.pem'), '--seal-values', fifo], exit: 2, stderr: /--seal-values: .*answers\.fifo is a named pipe \(FIFO\), not a regular file/ },
  { name: '--set clusters[99999999].name=x (no hang)', args: () => init('--answers', EXAMPLE, '--set', 'clusters[99999999].name=x'), exit: 2, stderr: /--set clusters\[99999999\]\.name=x: index 99999999 is beyond the end of clusters \(1 item\): use \[1\] to append/ },
  { name: '--set clusters[2] past the end + 1', args: () => init('--answers', EXAMPLE, '--set', 'clusters[2].name=x'), exit: 2, stderr: /index 2 is beyond the end of clusters \(1 item\): use \[1\] to append/ },
  { name: '--set __proto__.polluted=1', args: () => init('--answers', EXAMPLE, '--set', '__proto__.polluted=1'), exit: 2, stderr: /--set __proto__\.polluted=1: "__proto__" is not a field of the model/ },
  { name: '--set constructor.prototype.polluted=1', args: () => init('--answers', EXAMPLE, '--set', 'constructor.prototype.polluted=1'), exit: 2, stderr: /"constructor" is not a field of the model/ },
  { name: 'add --set prototype.polluted=1', args: (repo) => [...addService(repo, '--tag', '1.0.0'), '--set', 'prototype.polluted=1'], exit: 2, stderr: /"prototype" is not a field of the model/ },
  { name: '--out at a file', args: () => ['init', '--answers', EXAMPLE, '--out', path.join(dir, 'a-file'), '--yes'], exit: 2, stderr: /a-file is not a folder; nothing was written\n {2}- .*a-file: exists and is a file .*\(fix: point --out \/ --repo at a folder/ },
  { name: '--out / (refused at once, no walk of the file system)', args: () => ['init', '--answers', EXAMPLE, '--out', '/', '--yes', '--dry-run'], exit: 2, stderr: /^error: \/ holds files gitops-scaffold did not write; nothing was written\n {2}- [^\n]+ and more: not generated by gitops-scaffold/ },
  { name: '--tag with a newline and YAML', args: (repo) => addService(repo, '--tag', '1.0"\nkind: Secret #'), exit: 2, stderr: /services\[checkout\]\.tag: "1\.0\\"\\nkind: Secret #" is not an image tag \(letters, digits, "_", "\." and "-", at most 128, not starting with "\." or "-"\)/ },
  { name: '--tag longer than 128', args: (repo) => addService(repo, '--tag', `v${'1'.repeat(128)}`), exit: 2, stderr: /services\[checkout\]\.tag: "v1{56}\.\.\." \(129 characters\) is not an image tag/ },
  { name: '--digest not a digest', args: (repo) => addService(repo, '--tag', '1.0.0', '--digest', 'sha256:abc'), exit: 2, stderr: /services\[checkout\]\.digest: "sha256:abc" is not a digest \(fix: use sha256:<64 hex digits>\)/ },
  { name: 'a description of 2000 characters', args: () => init('--answers', path.join(dir, 'long-description.yaml')), exit: 2, stderr: /long-description\.yaml:\d+: tenants\[web\]\.description: "d{57}\.\.\." \(2000 characters\) is longer than 1024 characters/ },
  { name: 'a description of 10 MB in platform.yaml', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), readFileSync(path.join(repo, 'platform.yaml'), 'utf8').replace('- name: payments', `- name: payments\n    description: "${'x'.repeat(10 * 1024 * 1024)}"`)), args: (repo) => ['render', '--repo', repo], exit: 2, stderr: /- platform\.yaml: .*platform\.yaml is 10\.0 MB, over the 4 MB limit of platform\.yaml/ },
  { name: 'a description of 100 KB through --set', args: (repo) => ['add', 'tenant', 'search', '--repo', repo, '--set', `description=${'y'.repeat(100 * 1024)}`], exit: 2, stderr: /tenants\[search\]\.description: is 102400 characters long; no field of platform\.yaml takes more than 65536/ },
  { name: 'a damaged manifest', prepare: (repo) => writeFileSync(path.join(repo, '.gitops-scaffold/manifest.json'), '{"generator": "gitops-scaffold", "files": {'), args: (repo) => ['render', '--repo', repo], exit: 2, stderr: /\.gitops-scaffold\/manifest\.json is not valid JSON; nothing was written\n {2}- \.gitops-scaffold\/manifest\.json: .*\(fix: restore it from Git/ },
  { name: 'platform.yaml is a FIFO (no hang)', prepare: (repo) => (rmSync(path.join(repo, 'platform.yaml')), execFileSync('mkfifo', [path.join(repo, 'platform.yaml')])), args: (repo) => ['render', '--repo', repo], exit: 2, stderr: /- platform\.yaml: .*platform\.yaml is a named pipe \(FIFO\), not a regular file/ },
  { name: 'a managed file is a FIFO (no hang)', prepare: (repo) => (rmSync(path.join(repo, 'argocd/projects/payments.yaml')), execFileSync('mkfifo', [path.join(repo, 'argocd/projects/payments.yaml')])), args: (repo) => ['render', '--repo', repo], exit: 1, stderr: /^error: cannot write argocd\/projects\/payments\.yaml: a special file \(FIFO, device or socket\) sits where gitops-scaffold keeps a file; nothing was changed \(fix: move it away and re-run\)\n$/ },
  { name: 'EISDIR: a folder where a managed file goes', prepare: (repo) => mkdirSync(path.join(repo, 'argocd/projects/search.yaml')), args: (repo) => ['add', 'tenant', 'search', '--repo', repo, '--no-check'], exit: 1, stderr: /^error: cannot write argocd\/projects\/search\.yaml: is a folder where gitops-scaffold needs a file \(fix: move the folder away, or remove the entity from platform\.yaml\)\n$/ },
  { name: 'ENOTDIR: a file where a folder goes', prepare: (repo) => writeFileSync(path.join(repo, 'apps'), 'a file\n'), args: (repo) => addService(repo, '--tag', '1.0.0'), exit: 1, stderr: /^error: cannot (create the folder|write) apps\/[^:]*: a file sits where gitops-scaffold needs a folder; the repository was rolled back \(fix: move that file away/ },
  // found by the no-stack-trace sweep (sweep.test.ts): each was an "internal error" (exit 1), a hang or a wrong exit code
  { name: 'platform.yaml empty, for an edit', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), ''), args: (repo) => ['add', 'tenant', 'search', '--repo', repo], exit: 2, stderr: /platform\.yaml is not a platform model \(1 problem\); nothing was written\n {2}- \(root\): is empty \(fix: restore platform\.yaml from Git/ },
  { name: 'platform.yaml with lists of the wrong type, for an edit', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), 'name: a\nenvironments: [dev]\nclusters: 3\ntenants: [1, null]\n'), args: (repo) => ['remove', 'tenant', 'x', '--repo', repo], exit: 2, stderr: /\(4 problems\)[^]*- environments\[0\]: is a string, expected a mapping with a name[^]*- clusters: is a number, expected a list of clusters[^]*- tenants\[1\]: is null, expected a mapping/ },
  { name: 'platform.yaml without environments, for add environment', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), 'name: a\nclusters: []\n'), args: (repo) => ['add', 'environment', 'qa', '--repo', repo, '--cluster', 'hub'], exit: 2, stderr: /- \(root\): missing required field "environments"/ },
  { name: 'platform.yaml nested 5000 deep', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), deeply('name: ')), args: (repo) => ['render', '--repo', repo], exit: 2, stderr: /platform\.yaml nests too deeply; nothing was written\n {2}- .*: its values nest more than 64 levels deep/ },
  { name: 'platform.yaml nested 5000 deep, for an edit', prepare: (repo) => writeFileSync(path.join(repo, 'platform.yaml'), deeply('')), args: (repo) => ['add', 'tenant', 'search', '--repo', repo], exit: 2, stderr: /platform\.yaml nests too deeply/ },
  { name: '--answers nested 5000 deep', args: () => init('--answers', path.join(dir, 'deep.yaml')), exit: 2, stderr: /deep\.yaml nests too deeply; nothing was written/ },
  { name: 'lint --config a FIFO (no hang)', args: (repo) => ['lint', repo, '--config', fifo], exit: 2, stderr: /^gitops-scaffold lint: --config: .*answers\.fifo is a named pipe \(FIFO\), not a regular file/ },
  { name: 'validate /dev/zero', args: () => ['validate', '/dev/zero'], exit: 2, stderr: /\/dev\/zero is not a file or folder of manifests; nothing was checked/ },
  { name: 'schemas export into a file', args: () => ['schemas', 'export', path.join(dir, 'a-file')], exit: 2, stderr: /a-file is not a folder; nothing was written\n {2}- DIR: exists and is a file/ },
  { name: '--out a loop of symbolic links', args: () => ['init', '--example', 'minimal', '--out', path.join(dir, 'loop-a'), '--yes'], exit: 2, stderr: /loop-a is a loop of symbolic links; nothing was written/ },
  { name: '--seal-values a loop of symbolic links', args: (repo) => ['render', '--repo', repo, '--seal-values', path.join(dir, 'loop-a')], exit: 2, stderr: /loop-a is a loop of symbolic links; nothing was written/ },
];

for (const c of CASES) {
  test(`hostile input: ${c.name} -> exit ${c.exit}`, async () => {
    const repo = minimalRepo();
    c.prepare?.(repo);
    const before = snapshot(repo);
    const started = Date.now();
    const r = await cli(c.args(repo));
    assert.is(r.exitCode, c.exit, `${c.name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, c.stderr);
    assert.not.match(r.stderr, /^\s+at /m, 'no stack trace');
    assert.ok(Date.now() - started < 20_000, 'no hang');
    assert.equal(treeDiff(snapshot(repo), before), [], 'the repository is as it was');
    assert.not.ok(existsSync(path.join(dir, 'never-written')), 'nothing written');
    assert.is(({} as any).polluted, undefined, 'Object.prototype untouched');
    rmSync(path.dirname(repo), { recursive: true, force: true });
  });
}

const DISK = [
  { code: 'EACCES', says: 'permission denied', fix: 'check the owner and permissions of the file and its folder' },
  { code: 'ENOSPC', says: 'no space left on the device', fix: 'free some space \\(df -h\\) and re-run' },
  { code: 'EROFS', says: 'read-only file system', fix: 'run on a writable checkout' },
  { code: 'EDQUOT', says: 'disk quota exceeded', fix: 'free some space within your quota' },
];
for (const d of DISK) {
  test(`a failing disk (${d.code}) mid-write: one line naming the file and the fix, exit 1, rolled back`, async () => {
    const repo = minimalRepo();
    const before = snapshot(repo);
    let n = 0;
    setFaultHook((p) => {
      if (p.step === 'rename' && ++n === 3) throw errnoError(d.code, p.path, 'rename');
    });
    let r;
    try {
      r = await cli(addService(repo, '--tag', '1.0.0'));
    } finally {
      setFaultHook(undefined);
    }
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, new RegExp(`^error: cannot write \\S+: ${d.says}; the repository was rolled back \\(fix: ${d.fix}[^\\n]*\\)\\n$`));
    assert.equal(treeDiff(snapshot(repo), before), [], 'rolled back exactly');
  });
}

test('the real CLI on a full disk (GITOPS_SCAFFOLD_TEST_FAIL_AT): one line on stderr, no stack, exit 1, rolled back', async () => {
  const repo = minimalRepo();
  const before = snapshot(repo);
  const r = await spawnCli(addService(repo, '--tag', '1.0.0'), { GITOPS_SCAFFOLD_TEST_FAIL_AT: '30:ENOSPC' });
  assert.is(r.exitCode, 1);
  assert.match(r.stderr, /^error: cannot write \S+: no space left on the device; the repository was rolled back \(fix: free some space \(df -h\) and re-run\)$/, r.stderr);
  assert.equal(treeDiff(snapshot(repo), before), []);
});

test('an internal error: one line saying so, with the hint; the stack only with GITOPS_SCAFFOLD_DEBUG=1', async () => {
  const repo = minimalRepo();
  const before = snapshot(repo);
  for (const debug of [false, true]) {
    setFaultHook((p) => {
      if (p.step === 'rename') throw new TypeError('boom');
    });
    let r;
    try {
      r = await cli(addService(repo, '--tag', '1.0.0'), debug ? { GITOPS_SCAFFOLD_DEBUG: '1' } : {});
    } finally {
      setFaultHook(undefined);
    }
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, /^error: internal error: TypeError: boom \(this is a bug in gitops-scaffold, not in your input; re-run with GITOPS_SCAFFOLD_DEBUG=1 to see where it happened, and report it\)/);
    if (debug) assert.match(r.stderr, /\n\s+at /, 'the stack, when asked for');
    else assert.is(r.stderr.split('\n').filter(Boolean).length, 1, 'one line');
    assert.equal(treeDiff(snapshot(repo), before), [], 'and the write was rolled back');
  }
});

test('a FIFO given as input never blocks the process', async () => {
  // (a writer-less FIFO blocks open() without O_NONBLOCK: the whole run would hang here)
  const r = await execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...init('--answers', fifo)], { reject: false, timeout: 20_000, stdin: 'ignore', env: { CI: 'true' } });
  assert.is(r.exitCode, 2);
  assert.not.ok(r.timedOut);
});

test.run();
