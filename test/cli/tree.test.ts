// The command tree: help, flag checking and completion come from it, for every command.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../generators/cli.ts';
import { ROOT as TREE } from '../../generators/commands/index.ts';
import { leaves } from '../../generators/commands/parse.ts';
import { GLOBAL_FLAGS } from '../../generators/commands/flags.ts';
import { completeLine } from '../../generators/commands/complete.ts';
import { GENERATOR_VERSION } from '../../generators/model/versions.ts';
import { ROOT, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin/gitops-scaffold.js');

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`), interactive: false });
  return { exitCode, stdout, stderr };
}

const commands = leaves(TREE).filter(([, c]) => !c.hidden);

test('every command declares a summary, a handler, an example, and a description for every flag', () => {
  assert.ok(commands.length >= 14, 'init, render, 4 add, 4 remove, validate, lint, schemas export, completion, help');
  for (const [words, c] of commands) {
    const name = words.join(' ');
    assert.ok(c.summary, `${name}: summary`);
    assert.type(c.load, 'function', `${name}: handler`);
    assert.ok(c.examples?.length, `${name}: an example`);
    assert.ok(c.examples?.some((ex) => ex.includes(`gitops-scaffold ${name}`)), `${name}: an example runs it`);
    for (const [flag, f] of Object.entries(c.flags ?? {})) {
      assert.ok(f.description.length > 10, `${name} --${flag}: description`);
      assert.not.ok(flag in GLOBAL_FLAGS, `${name} --${flag} shadows a global flag`);
    }
    const shorts = Object.values({ ...c.flags, ...GLOBAL_FLAGS }).flatMap((f) => (f.short ? [f.short] : []));
    assert.equal(shorts, [...new Set(shorts)], `${name}: short flags are unique`);
  }
});

test('--help exits 0 on stdout, with or without a command; each command has its own help listing every flag', async () => {
  for (const args of [['--help'], ['-h'], []]) {
    const r = await run(args);
    assert.is(r.exitCode, 0, args.join(' '));
    assert.is(r.stderr, '');
    for (const [words] of commands) assert.ok(r.stdout.includes(`  ${words[0]}`), `root help lists ${words[0]}`);
  }
  const seen = new Set<string>();
  for (const [words, c] of commands) {
    const r = await run([...words, '--help']);
    assert.is(r.exitCode, 0, words.join(' '));
    assert.ok(r.stdout.startsWith(`gitops-scaffold ${words.join(' ')}: `), `${words.join(' ')}: its own help`);
    for (const [flag, f] of Object.entries(c.flags ?? {})) if (!f.hidden) assert.ok(r.stdout.includes(`--${flag}`), `${words.join(' ')} help shows --${flag}`);
    assert.match(r.stdout, /Examples:\n  \S/);
    assert.not.ok(seen.has(r.stdout), 'no two commands print the same help');
    seen.add(r.stdout);
    // `help WORDS` prints the same text; --help wins over anything else on the line.
    assert.is((await run(['help', ...words])).stdout, r.stdout);
    assert.is((await run([...words, '--no-such-flag', '--help'])).exitCode, 0);
  }
  assert.match((await run(['add', 'service', '--help'])).stdout, /--name NAME +the service name/);
  assert.match((await run(['add', '--help'])).stdout, /Subcommands:\n  service +add a service/);
});

test('--version prints the version; help of an unknown command fails with a suggestion', async () => {
  for (const flag of ['--version', '-v']) {
    const r = await run([flag]);
    assert.is(r.exitCode, 0);
    assert.is(r.stdout.trim(), GENERATOR_VERSION);
  }
  const r = await run(['help', 'valdate']);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /did you mean validate\?/);
});

test('unknown commands and flags are rejected per command, with "did you mean", exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['inti'], /unknown command "inti"[\s\S]*did you mean init\?/],
    [['add', 'servce', 'x'], /unknown add subcommand "servce"[\s\S]*did you mean service\?/],
    [['add'], /needs a kind: service, tenant, cluster, environment/],
    [['init', '--dryrun'], /--dryrun: unknown flag for gitops-scaffold init \(fix: did you mean --dry-run\?\)/],
    [['init', '--output', 'json'], /--output: is not a flag of gitops-scaffold init \(it belongs to validate, apps, diff, lint\)/],
    [['lint', '--tenant', 'payments', '.'], /--tenant: is not a flag of gitops-scaffold lint \(it belongs to add service\)/],
    [['remove', 'service', 'x', '--tag', '1.0'], /--tag: is not a flag of gitops-scaffold remove service/],
    [['validate', '--output', 'xml'], /--output: "xml" is not one of text, json, junit, sarif/],
    [['validate', '--kubeconform', 'alway'], /did you mean always\?/],
    [['init', '--out'], /--out: needs a value \(DIR\)/],
    [['init', '--out', '--yes'], /--out: needs a value \(DIR\)/],
    [['init', '--yes=no'], /--yes: takes no value/],
    [['init', 'extra'], /extra: unexpected argument \(gitops-scaffold init takes no arguments\)/],
    [['schemas', 'export'], /DIR: required/],
    [['completion', 'tcsh'], /"tcsh" is not one of bash, zsh, fish/],
  ];
  for (const [args, expected] of cases) {
    const r = await run(args);
    assert.is(r.exitCode, 2, args.join(' '));
    assert.match(r.stderr, expected, args.join(' '));
    assert.match(r.stderr, /Run "gitops-scaffold[^"]*--help" for usage\./);
    if (!args.includes('json')) assert.is(r.stdout, '', 'nothing on stdout without --json');
  }
  // Every problem of the line at once; with --json also one JSON document on stdout.
  const r = await run(['init', '--dryrun', '--tenant', 'x', '--json']);
  assert.is(r.exitCode, 2);
  const doc = JSON.parse(r.stdout);
  assert.equal([doc.command, doc.ok, doc.problems.map((p: any) => p.path)], ['init', false, ['--dryrun', '--tenant']]);
});

test('flags may come before the command; choices accept kebab-case and case variants', async () => {
  const r = await run(['--no-color', 'lint', '--help']);
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, /^gitops-scaffold lint:/);
  const bad = await run(['--repo', '/nonexistent', 'add', 'service', 'x', '--strategy', 'blue-green', '--yes']);
  assert.is(bad.exitCode, 2);
  assert.match(bad.stderr, /\/nonexistent has no platform\.yaml/, 'the line parsed (blue-green accepted), the repo was looked up');
});

test('completion: commands, subcommands, flags, choices and platform.yaml names', () => {
  const repo = tempDir();
  const names = (list: string) => (list === 'tenants' ? ['payments', 'search'] : list === 'services' ? ['payments-api'] : ['dev', 'prod']);
  const values = (words: string[]) => {
    const c = completeLine(TREE, words, names as any);
    return c.directive ? `:${c.directive}` : c.values.map((v) => v.value).join(' ');
  };
  void repo;
  assert.is(values(['in']), 'init');
  assert.is(values(['add', '']), 'service tenant cluster environment');
  assert.is(values(['add', 'service', 'web', '--ten']), '--tenant');
  assert.is(values(['add', 'service', 'web', '--tenant', '']), 'payments search');
  assert.is(values(['add', 'service', 'web', '--strategy', 'b']), 'blueGreen');
  assert.is(values(['remove', 'service', '']), 'payments-api');
  assert.is(values(['validate', '--output', '']), 'text json junit sarif');
  assert.is(values(['init', '--out', '']), ':dir');
  assert.is(values(['init', '--answers', 'x']), ':file');
  assert.is(values(['completion', '']), 'bash zsh fish');
  assert.ok(values(['init', '--d']).split(' ').includes('--dry-run'));
  assert.not.ok(values(['init', '--yes', '--']).split(' ').includes('--yes'), 'a flag given once is not offered again');
  assert.ok(values(['init', '--set', 'a=1', '--']).split(' ').includes('--set'), 'a repeatable flag is');
  assert.not.ok(values(['']).includes('__complete'), 'hidden commands are not offered');
});

test('completion: the bash script completes a partial line through the installed command', async () => {
  const repo = tempDir();
  cpSync(path.join(ROOT, 'examples/minimal/platform.yaml'), path.join(repo, 'platform.yaml'));
  const script = path.join(repo, 'completion.bash');
  const generated = await execa('node', [BIN, 'completion', 'bash'], { reject: false });
  assert.is(generated.exitCode, 0, generated.stderr);
  writeFileSync(script, generated.stdout);
  const complete = (line: string) => `COMP_WORDS=(${line}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _gitops_scaffold; echo "[\${COMPREPLY[*]}]"`;
  const bash = await execa(
    'bash',
    ['-c', [`source ${script}`, `complete -p gitops-scaffold`, complete(`${BIN} add ser`), complete(`${BIN} add service web --tenant ''`), complete(`${BIN} validate --output j`)].join('\n')],
    { cwd: repo, reject: false, env: { CI: 'true' } },
  );
  assert.is(bash.exitCode, 0, bash.stderr);
  const lines = bash.stdout.split('\n');
  assert.is(lines[0], 'complete -F _gitops_scaffold gitops-scaffold');
  assert.is(lines[1], '[service]');
  assert.is(lines[2], '[web]', 'the tenants of the platform.yaml in the current folder');
  assert.is(lines[3], '[json junit]');
  for (const shell of ['zsh', 'fish']) {
    const r = await execa('node', [BIN, 'completion', shell], { reject: false });
    assert.is(r.exitCode, 0);
    assert.match(r.stdout, /__complete/);
  }
});

// zsh and fish are not on every machine (CI has bash): where they are, their scripts run too.
const has = async (shell: string) => (await execa('sh', ['-c', `command -v ${shell}`], { reject: false })).exitCode === 0;

test('completion: the zsh and fish scripts complete a partial line (where those shells are installed)', async () => {
  const repo = tempDir();
  cpSync(path.join(ROOT, 'examples/minimal/platform.yaml'), path.join(repo, 'platform.yaml'));
  const bin = path.join(repo, 'bin');
  await execa('mkdir', ['-p', bin]);
  writeFileSync(path.join(bin, 'gitops-scaffold'), `#!/bin/sh\nexec node ${BIN} "$@"\n`, { mode: 0o755 });
  const env = { PATH: `${bin}:${process.env.PATH}`, CI: 'true' };
  if (await has('zsh')) {
    writeFileSync(path.join(repo, '_gs'), (await execa('node', [BIN, 'completion', 'zsh'])).stdout);
    // compsys stand-ins that print what the script hands them.
    const z = await execa('zsh', ['-c', 'compdef() { :; }; _describe() { print -l -- "${(@P)4}"; }; _files() { print "FILES $*"; }; source ./_gs; words=(gitops-scaffold add service web --tenant ""); CURRENT=6; _gitops_scaffold; words=(gitops-scaffold init --out ""); CURRENT=4; _gitops_scaffold'], { cwd: repo, env, reject: false });
    assert.equal(z.stdout.split('\n'), ['web', 'FILES -/'], z.stderr);
  }
  if (await has('fish')) {
    writeFileSync(path.join(repo, 'gs.fish'), (await execa('node', [BIN, 'completion', 'fish'])).stdout);
    const f = await execa('fish', ['-c', 'source gs.fish; complete -C "gitops-scaffold add ser"; complete -C "gitops-scaffold add service web --tenant "'], { cwd: repo, env, reject: false });
    assert.equal(f.stdout.split('\n'), ['service\tadd a service', 'web'], f.stderr);
  }
});

test.run();
