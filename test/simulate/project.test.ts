// Argo CD's own test tables for glob matching (util/glob) and AppProject source / destination
// permission checks (pkg/apis/application/v1alpha1), ported as data to
// fixtures/upstream-project-cases.json and run against the simulation's port.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileGlob, GlobSyntaxError, globMatch, matchStringInList } from '../../generators/simulate/argo/glob.ts';
import { isDestinationPermitted, isSourcePermitted, normalizeGitUrl } from '../../generators/simulate/argo/project.ts';
import { ROOT } from '../helpers.ts';

const cases = JSON.parse(readFileSync(path.join(ROOT, 'test/simulate/fixtures/upstream-project-cases.json'), 'utf8'));

test('util/glob Test_Match', () => {
  for (const c of cases['glob:Test_Match']) assert.is(globMatch(c.pattern, c.input), c.result, c.name);
  assert.throws(() => compileGlob('e[[a*'), (e: unknown) => e instanceof GlobSyntaxError);
});

test('util/glob Test_MatchList', () => {
  for (const c of cases['glob:Test_MatchList']) assert.is(matchStringInList(c.list, c.input, c.mode), c.result, c.name);
});

test('gobwas separators: * stays in a segment, ** crosses, classes and alternatives', () => {
  assert.ok(globMatch('https://github.com/acme/*', 'https://github.com/acme/repo', '/'));
  assert.not.ok(globMatch('https://github.com/acme/*', 'https://github.com/acme/group/repo', '/'));
  assert.ok(globMatch('https://github.com/acme/**', 'https://github.com/acme/group/repo', '/'));
  assert.ok(globMatch('team-[a-c]?', 'team-b1'));
  assert.not.ok(globMatch('team-[!a-c]', 'team-b'));
  assert.ok(globMatch('!{kube-system,argocd}'.slice(1), 'argocd'));
  assert.ok(globMatch('a\\*b', 'a*b'));
  assert.not.ok(globMatch('a\\*b', 'axb'));
});

test('AppProject.IsSourcePermitted (upstream table)', () => {
  for (const c of [...cases.TestAppProject_IsSourcePermitted, ...cases.TestAppProject_IsNegatedSourcePermitted])
    assert.is(isSourcePermitted(c.sourceRepos, c.repoURL), c.permitted, `${JSON.stringify(c.sourceRepos)} ${c.repoURL}`);
});

test('AppProject.IsDestinationPermitted (upstream tables)', () => {
  for (const c of [...cases.TestAppProject_IsDestinationPermitted, ...cases.TestAppProject_IsNegatedDestinationPermitted]) {
    const cluster = { server: c.app.server ?? '', name: c.app.name ?? '' };
    assert.is(isDestinationPermitted({ name: 'p', destinations: c.destinations }, cluster, c.app.namespace ?? ''), c.permitted, `${c.name ?? ''} ${JSON.stringify(c)}`);
  }
  for (const c of cases.TestAppProject_IsDestinationPermitted_PermitOnlyProjectScopedClusters) {
    const cluster = { server: c.app.server ?? '', name: c.app.name ?? '' };
    const scoped = c.projectClusters.map((p: any) => ({ server: p.server ?? '', name: p.name ?? '' }));
    assert.is(isDestinationPermitted({ name: 'p', destinations: c.destinations, permitOnlyProjectScopedClusters: true }, cluster, c.app.namespace, scoped), c.permitted, JSON.stringify(c));
  }
  assert.not.ok(isDestinationPermitted({ name: 'p', destinations: [{ server: '*', namespace: '*' }] }, undefined, 'x'), 'an unresolved cluster is never permitted');
});

test('util/git.NormalizeGitURL', () => {
  assert.is(normalizeGitUrl('https://github.com/Acme/Repo.git'), 'https://github.com/acme/repo');
  assert.is(normalizeGitUrl('git@github.com:acme/repo.git'), 'git@github.com/acme/repo');
  assert.is(normalizeGitUrl('ssh://git@GITHUB.com:argoproj/test'), 'git@github.com:argoproj/test');
});

test.run();
