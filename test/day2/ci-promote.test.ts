// The generated CI promote step is the same promotion engine: its shell, taken from the rendered
// WorkflowTemplate, runs against a bare remote with stand-ins for npm (installing this checkout's
// CLI) and curl (the GitHub API), in pull-request and in commit mode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { execa } from 'execa';
import { GENERATOR_VERSION } from '../../generators/model/versions.ts';
import { gitRepo, git, remoteFile, type GitRepo } from './git-fixture.ts';
import { ROOT } from '../helpers.ts';

const TAG = '3f1c2e4d5b6a79880716253443526170f8e9d0c1';
const DIGEST = `sha256:${'d'.repeat(64)}`;

/** The promote template's script and environment, as the cluster would run them, pointed at the fixture. */
function promoteStep(repo: GitRepo) {
  const docs = YAML.parseAllDocuments(readFileSync(path.join(repo.root, 'platform/ci/workflow-template.yaml'), 'utf8')).map((d) => d.toJS());
  const wt = docs.find((d) => d?.kind === 'WorkflowTemplate');
  const t = wt.spec.templates.find((x: any) => x.name === 'promote');
  const env: Record<string, string> = {};
  for (const e of t.container.env) if (typeof e.value === 'string') env[e.name] = e.value;
  return { script: t.container.args[0] as string, command: t.container.command as string[], image: t.container.image as string, env };
}

/** npm and curl stand-ins: npm "installs" this checkout's CLI; curl records the API call. */
function standIns(repo: GitRepo): string {
  const bin = path.join(repo.dir, 'ci-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/sh\nprefix=""; pkg=""\nwhile [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift;; gitops-scaffold@*) pkg="$1";; esac; shift; done\necho "$pkg" >> "${repo.dir}/npm.log"\nmkdir -p "$prefix/bin"\nprintf '#!/bin/sh\\nexec node ${path.join(ROOT, 'bin/gitops-scaffold.js')} "$@"\\n' > "$prefix/bin/gitops-scaffold"\nchmod +x "$prefix/bin/gitops-scaffold"\n`,
  );
  writeFileSync(
    path.join(bin, 'curl'),
    `#!/bin/sh\nout=""; data=""; url=""\nwhile [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift;; --data) data="$2"; shift;; -w|-X|-H) shift;; -*) ;; *) url="$1";; esac; shift; done\nfile="\${data#@}"\n{ echo "$url"; cat "$file"; echo; } >> "${repo.dir}/curl.log"\necho '{}' > "$out"\nprintf '%s' "\${CURL_CODE:-201}"\n`,
  );
  for (const f of ['npm', 'curl']) chmodSync(path.join(bin, f), 0o755);
  return bin;
}

async function runStep(repo: GitRepo, extra: Record<string, string> = {}) {
  const step = promoteStep(repo);
  const bin = standIns(repo);
  const work = path.join(repo.dir, `work-${Math.random().toString(36).slice(2)}`);
  for (const d of ['tmp', 'home']) mkdirSync(path.join(work, d), { recursive: true });
  const env = {
    ...step.env,
    GITOPS_REPO: repo.remote,
    TOOLS: path.join(work, 'tools'),
    CHECKOUT: path.join(work, 'gitops'),
    TMPDIR: path.join(work, 'tmp'),
    HOME: path.join(work, 'home'),
    IMAGE: 'ghcr.io/example-org/web',
    DIGEST,
    TAG,
    SERVICE: 'web',
    WORKFLOW: 'build-web-x7k2p',
    GIT_USERNAME: 'bot',
    GIT_PASSWORD: 'token',
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    CI: 'true',
    ...extra,
  };
  return execa(step.command[0], [...step.command.slice(1), step.script], { env, extendEnv: false, reject: false, stdin: 'ignore' });
}

test('the step runs gitops-scaffold promote at this exact version, in a pinned image, restricted', async () => {
  const repo = { root: path.join(ROOT, 'examples/minimal') } as GitRepo;
  const step = promoteStep(repo);
  assert.is(step.env.GITOPS_SCAFFOLD_VERSION, GENERATOR_VERSION);
  assert.match(step.image, /^docker\.io\/library\/node:\d+\.\d+\.\d+-bookworm$/);
  assert.match(step.script, /"\$TOOLS\/bin\/gitops-scaffold" promote "\$SERVICE" --tag "\$TAG" --digest "\$DIGEST"/);
  assert.not.match(step.script, /yq|kustomize edit/);
  const wt = YAML.parseAllDocuments(readFileSync(path.join(repo.root, 'platform/ci/workflow-template.yaml'), 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'WorkflowTemplate');
  const t = wt.spec.templates.find((x: any) => x.name === 'promote');
  assert.equal(t.container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
});

test('pull-request mode: a new branch with the build in the first environment, the pull request through the API; a retry pushes nothing twice', async () => {
  const repo = await gitRepo({ example: 'minimal' });
  const r = await runStep(repo);
  assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  const branch = `gitops-scaffold/promote-web-${TAG}-to-dev`;
  assert.match(r.stdout, new RegExp(`opened a pull request from ${branch} into main`));
  assert.equal(readFileSync(path.join(repo.dir, 'npm.log'), 'utf8').trim().split('\n'), [`gitops-scaffold@${GENERATOR_VERSION}`]);
  assert.match(await remoteFile(repo, branch, 'apps/web/web/overlays/dev/kustomization.yaml'), new RegExp(`newTag: ${TAG}\\n\\s+digest: ${DIGEST}`));
  const [url, body] = readFileSync(path.join(repo.dir, 'curl.log'), 'utf8').trim().split('\n');
  assert.is(url, 'https://api.github.com/repos/example-org/minimal-gitops/pulls');
  assert.equal(JSON.parse(body), { title: `chore(web): promote web ${TAG} to dev`, head: branch, base: 'main', body: 'Built, signed, attested and scanned by workflow build-web-x7k2p.' });
  // The step retried (or the push event redelivered): the branch exists, GitHub says 422.
  const again = await runStep(repo, { CURL_CODE: '422' });
  assert.is(again.exitCode, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`a pull request from ${branch} exists already`));
  assert.is((await git(repo.remote, 'branch', '--list')).split('\n').length, 2, 'main and one promotion branch');
  assert.is(await git(repo.remote, 'log', '-1', '--format=%s', 'main'), 'initial', 'main is never pushed to');
});

test('commit mode: the promotion is committed on the branch, a Conventional Commit; the same build again is a no-op', async () => {
  const repo = await gitRepo({ example: 'minimal', text: (t) => `${t}ci:\n  promotion: commit\n` });
  const r = await runStep(repo);
  assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  assert.is(await git(repo.remote, 'log', '-1', '--format=%s', 'main'), `chore(web): promote web ${TAG} to dev`);
  const model = YAML.parse(await remoteFile(repo, 'main', 'platform.yaml'));
  assert.equal(model.services[0].overrides.dev, { tag: TAG, digest: DIGEST });
  assert.not.ok(existsSync(path.join(repo.dir, 'curl.log')), 'no API call in commit mode');
  const again = await runStep(repo);
  assert.is(again.exitCode, 0, again.stderr);
  assert.match(again.stdout, /web already runs/);
});

test.run();
