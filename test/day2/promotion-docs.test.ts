// The generated README explains promotion and both ways to roll back, in the model's own terms
// (its environments, which are protected, the branch promotions merge into, how CI delivers),
// and every flag it tells a reader to type is one `promote` / `upgrade` really take.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSpec } from '../../generators/pipeline.ts';
import { main } from '../../generators/cli.ts';
import { GENERATOR_VERSION } from '../../generators/model/versions.ts';

function readme(over: { changes?: 'pr' | 'write'; ci?: 'pull-request' | 'commit'; liveProtected?: boolean } = {}): string {
  const spec = {
    name: 'acme',
    repo: { url: 'https://github.com/acme/gitops.git', revision: 'trunk', ...(over.changes ? { changes: over.changes } : {}) },
    environments: [{ name: 'qa' }, { name: 'uat' }, { name: 'live', ...(over.liveProtected === undefined ? {} : { protected: over.liveProtected }) }],
    clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ['qa', 'uat', 'live'] }],
    tenants: [{ name: 'shop' }],
    ci: { registry: 'ghcr.io/acme', ...(over.ci ? { promotion: over.ci } : {}) },
    services: [{ name: 'cart', tenant: 'shop', image: 'ghcr.io/acme/cart', tag: '1.0.0' }],
  };
  const file = renderSpec(spec as any).find((f) => f.path === 'README.md')!;
  const text = String((file as any).text ?? (file as any).content);
  const start = text.indexOf('## Promote and roll back');
  assert.ok(start >= 0, 'the README has the promotion section');
  return text.slice(start, text.indexOf('\n## ', start + 1));
}

async function flagsOf(command: string): Promise<Set<string>> {
  let out = '';
  const code = await main([command, '--help'], { stdout: (s) => void (out += `${s}\n`), stderr: () => {}, interactive: false });
  assert.is(code, 0);
  return new Set(out.match(/--[a-z][a-z-]*/g));
}

test('the flow in the model\'s terms: first environment, promotion order, the protected one, the branch promotions merge into', () => {
  const doc = readme();
  assert.match(doc, /Promotions merge into\n`trunk`\./);
  assert.match(doc, /\*\*A build reaches `qa`\.\*\*[\s\S]*runs `gitops-scaffold promote SERVICE --tag <commit> --digest\n   <digest>` at version /);
  assert.match(doc, /on a new branch and opens a pull request into `trunk`/, 'CI delivers through a pull request by default');
  // The last environment is protected by default.
  assert.match(doc, /\*\*Protected environments \(`live`\) change only through a pull request\.\*\*/);
  assert.match(doc, /promote SERVICE +# the next pending step, e\.g\. qa -> uat/);
  assert.match(doc, /promote SERVICE --to live +# a pull request when live is protected/);
  // Both ways back.
  assert.match(doc, /`promote --to ENV --revision REF`: the environment takes what it ran at Git revision `REF`/);
  assert.match(doc, /promote SERVICE --to live --revision v2026\.10\.0/);
  assert.match(doc, /`git revert <promotion commit>`: a promotion is one commit/);
  assert.match(doc, /nothing is ever pushed to `trunk` itself/);
});

test('the section follows the model: CI committing directly, pull requests by default, no protected environment', () => {
  const commit = readme({ ci: 'commit', changes: 'pr', liveProtected: false });
  assert.match(commit, /puts the new image into `qa`\n   and commits it to `trunk`\./);
  assert.match(commit, /this\nrepository sets `repo\.changes: pr`, so it is the default; `--no-pr` writes your checkout/);
  assert.match(commit, /\*\*Protected environments change only through a pull request\.\*\*/, 'no environment named when none is protected');
  assert.not.match(commit, /\(`live`\)/);
  assert.not.match(readme(), /this\nrepository sets `repo\.changes: pr`/);
});

test('every command line the section shows runs this version with flags the command takes', async () => {
  const doc = readme();
  const lines = doc.split('\n').filter((l) => /npx gitops-scaffold@/.test(l));
  assert.ok(lines.length >= 4, lines.join('\n'));
  const flags = { promote: await flagsOf('promote'), upgrade: await flagsOf('upgrade') };
  for (const line of lines) {
    const m = /npx gitops-scaffold@(\S+) (promote|upgrade)\b([^#]*)/.exec(line);
    assert.ok(m, line);
    assert.is(m![1], GENERATOR_VERSION, line);
    for (const flag of m![3].match(/--[a-z][a-z-]*/g) ?? []) assert.ok(flags[m![2] as 'promote'].has(flag), `${m![2]} takes ${flag}`);
  }
  for (const flag of ['--tag', '--digest', '--to', '--revision', '--from', '--allow-skip', '--no-pr', '--dry-run']) assert.ok(flags.promote.has(flag), `promote takes ${flag}`);
});

test.run();
