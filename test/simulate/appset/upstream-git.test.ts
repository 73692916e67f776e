// Upstream's git generator tables (applicationset/generators/git_test.go at v3.5.1), run against
// our git generator with the repo service mocked as upstream mocks it. The exclude tables also
// state which files each pattern selects; those statements are checked against our git
// ls-files (old globbing) and doublestar (new globbing) implementations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { doublestarGlob } from '../../../generators/simulate/appset/go/git-files.ts';
import { gitParams, paramsFromGitFile } from '../../../generators/simulate/appset/generators/git.ts';
import { ControllerError } from '../../../generators/simulate/appset/render.ts';
import { genContext } from './upstream/context.ts';
import { assertElementsMatch, assertGoEqual, errorMessage, fromGo, runTable } from './upstream/harness.ts';

type Case = Record<string, unknown>;
type Obj = Record<string, any>;

function expectOutcome(run: () => unknown[], expected: unknown, expectedError: string | undefined, match: 'equal' | 'elements') {
  if (expectedError !== undefined) {
    let message: string | undefined;
    try {
      run();
    } catch (e) {
      if (!(e instanceof ControllerError)) throw e;
      message = e.message;
    }
    assert.is(message, expectedError);
    return;
  }
  const got = run();
  if (match === 'equal') assertGoEqual(got, expected ?? []);
  else assertElementsMatch(got, (expected as unknown[]) ?? []);
}

runTable('git_test.Test_generateParamsFromGitFile', (c: Case, vars) => {
  const a = fromGo(c.args, vars) as Obj;
  const run = () => paramsFromGitFile(a.filePath, a.fileContent, a.values, a.useGoTemplate === true, a.goTemplateOptions ?? [], a.pathParamPrefix ?? '');
  if (c.wantErr === true) {
    assert.throws(run, (e: unknown) => e instanceof ControllerError);
    return;
  }
  assertGoEqual(run(), fromGo(c.want, vars));
});

for (const goTemplate of [false, true]) {
  runTable(`git_test.TestGitGenerateParamsFromDirectories${goTemplate ? 'GoTemplate' : ''}`, (c: Case, vars) => {
    const x = fromGo(c, vars) as Obj;
    const g = genContext({
      goTemplate,
      repos: { directories: x.repoApps ?? [], directoriesError: errorMessage(x.repoError) },
    });
    const spec = { repoURL: 'RepoURL', revision: 'Revision', directories: x.directories, pathParamPrefix: x.pathParamPrefix ?? '', values: x.values };
    expectOutcome(() => gitParams(spec, g), x.expected, errorMessage(x.expectedError), 'equal');
  });

  runTable(`git_test.TestGitGenerateParamsFromFiles${goTemplate ? 'GoTemplate' : ''}`, (c: Case, vars) => {
    const x = fromGo(c, vars) as Obj;
    const g = genContext({ goTemplate, repos: { files: x.repoFileContents ?? {}, filesError: errorMessage(x.repoPathsError) } });
    const spec = { repoURL: 'RepoURL', revision: 'Revision', files: x.files, values: x.values };
    expectOutcome(() => gitParams(spec, g), x.expected, errorMessage(x.expectedError), 'elements');
  });
}

for (const name of ['WithNewGlobbing', 'WithOldGlobbing', 'GoTemplate']) {
  const table = `git_test.TestGitGeneratorParamsFromFilesWithExcludeOption${name}`;
  runTable(table, (c: Case, vars) => {
    const x = fromGo(c, vars) as Obj;
    const include: string[] = x.includePattern ?? [];
    const exclude: string[] = x.excludePattern ?? [];
    const g = genContext({
      goTemplate: name === 'GoTemplate',
      repos: {
        files: (pattern) => (exclude.includes(pattern) ? (x.excludeFiles ?? {}) : include.includes(pattern) ? (x.includeFiles ?? {}) : {}),
        filesError: errorMessage(x.repoPathsError),
      },
    });
    const spec = { repoURL: 'RepoURL', revision: 'Revision', files: x.files, values: x.values };
    expectOutcome(() => gitParams(spec, g), x.expected, errorMessage(x.expectedError), 'elements');
  });

  if (name !== 'WithNewGlobbing') continue;
  // The new-globbing table also states which files satisfy the patterns under doublestar: the
  // include patterns together select every includeFiles entry, the exclude patterns every
  // excludeFiles entry, and no pattern a noMatchFiles entry. (The old-globbing table's mock data
  // makes claims real git contradicts, e.g. that p1/**/config.json selects p1/config.json; our
  // ls-files model is checked against git itself in git-files.test.ts.)
  runTable(table, (c: Case, vars) => {
    const x = fromGo(c, vars) as Obj;
    const all = [...Object.keys(x.includeFiles ?? {}), ...Object.keys(x.excludeFiles ?? {}), ...Object.keys(x.noMatchFiles ?? {})];
    const union = (patterns: string[]) => new Set(patterns.flatMap((p) => doublestarGlob(all, p)));
    const included = union(x.includePattern ?? []);
    const excluded = union(x.excludePattern ?? []);
    for (const f of Object.keys(x.includeFiles ?? {})) assert.ok(included.has(f), `include patterns select ${f}`);
    for (const f of Object.keys(x.excludeFiles ?? {})) assert.ok(excluded.has(f), `exclude patterns select ${f}`);
    for (const f of Object.keys(x.noMatchFiles ?? {})) assert.not.ok(included.has(f) || excluded.has(f), `no pattern selects ${f}`);
  });
}

runTable('git_test.TestGitGenerator_GenerateParams', (c: Case, vars) => {
  const x = fromGo(c, vars) as Obj;
  const appset = x.appset as Obj;
  const gen = appset.spec.generators[0].git as Obj;
  const g = genContext({
    goTemplate: appset.spec.goTemplate === true,
    templateProject: appset.spec.template?.spec?.project ?? '',
    projects: [x.appProject?.metadata?.name ?? ''],
    repos: { directories: x.repoApps ?? [], directoriesError: errorMessage(x.repoPathsError) },
  });
  expectOutcome(() => gitParams(gen, g), x.expected, errorMessage(x.expectedError), 'equal');
});

test.run();
