// Upstream's matrix, merge and generator-spec-processor tables
// (applicationset/generators/{matrix,merge,generator_spec_processor}_test.go at v3.5.1): Transform
// with post-generator selectors, the matrix (second child interpolated with each set of the
// first), merge on mergeKeys, InterpolateGenerator. Where upstream injects a mocked git
// generator, the same canned parameters are injected here (fixture `mockedGeneratorParams`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deepCopy, isGoMap } from '../../../generators/simulate/appset/go/values.ts';
import type { GenContext } from '../../../generators/simulate/appset/generators/context.ts';
import { matrixParams, mergeParams, transform } from '../../../generators/simulate/appset/generators/transform.ts';
import { ControllerError, renderGeneratorParams } from '../../../generators/simulate/appset/render.ts';
import { clusterFromSecret, genContext, type UpstreamContext } from './upstream/context.ts';
import { assertElementsMatch, assertGoEqual, errorMessage, fromGo, loadHelper, loadTable, runTable } from './upstream/harness.ts';

type Obj = Record<string, any>;

function outcome(run: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: run() };
  } catch (e) {
    if (e instanceof ControllerError) return { error: e.message };
    throw e;
  }
}

function withMockedGit(tableName: string, o: UpstreamContext): GenContext {
  const table = loadTable(tableName);
  const g = genContext(o);
  const mocked = fromGo((table as any).mockedGeneratorParams, table.vars) as Obj[];
  g.generators = { git: () => deepCopy(mocked) };
  return g;
}

const matrixClusters = (vars: Record<string, unknown>) => ((fromGo(vars.clusters, vars) as Obj[]) ?? []).map(clusterFromSecret);

for (const name of ['TestMatrixGenerate', 'TestMatrixGenerateGoTemplate', 'TestInterpolatedMatrixGenerate', 'TestInterpolatedMatrixGenerateGoTemplate', 'TestMatrixGenerateListElementsYaml']) {
  const table = `matrix_test.${name}`;
  runTable(table, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    const goTemplate = name.endsWith('GoTemplate') || name === 'TestMatrixGenerateListElementsYaml';
    const interpolated = name.startsWith('TestInterpolated');
    const g = withMockedGit(table, { goTemplate, clusters: interpolated ? matrixClusters(vars) : [] });
    const r = outcome(() => matrixParams({ generators: x.baseGenerators }, 'nested', g, '/spec/generators/0/matrix'));
    const expectedErr = errorMessage(x.expectedErr);
    if (expectedErr !== undefined) {
      // require.ErrorIs: the sentinel is somewhere in the wrapped chain.
      assert.ok(r.error?.includes(expectedErr), `${r.error} wraps ${expectedErr}`);
      return;
    }
    assert.is(r.error, undefined);
    assertGoEqual(r.value, x.expected);
  });
}

runTable('merge_test.TestMergeGenerate', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const g = genContext({});
  const r = outcome(() => mergeParams({ generators: x.baseGenerators, mergeKeys: x.mergeKeys }, 'nested', g, '/spec/generators/0/merge'));
  const expectedErr = errorMessage(x.expectedErr);
  if (expectedErr !== undefined) {
    assert.is(r.error, expectedErr);
    return;
  }
  assert.is(r.error, undefined);
  // listOfMapsToSet: compared as the set of their JSON forms.
  const set = (ms: unknown[]) => new Set(ms.map((m) => JSON.stringify(m, Object.keys(m as object).sort())));
  assert.equal(set(r.value as unknown[]), set(x.expected));
});

const emptyTemplate = { spec: { project: 'project' } };

for (const goTemplate of [false, true]) {
  runTable(`generator_spec_processor_test.TestMatchValues${goTemplate ? 'GoTemplate' : ''}`, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    const g = genContext({ goTemplate });
    const gen: Obj = { list: { elements: x.elements, template: emptyTemplate } };
    if (x.selector !== null && x.selector !== undefined) gen.selector = x.selector;
    const results = transform(gen, 'top', emptyTemplate, g, {}, '/spec/generators/0');
    assertElementsMatch(results[0].params, x.expected);
  });

  runTable(`generator_spec_processor_test.TestTransForm${goTemplate ? 'GoTemplate' : ''}`, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    const helper = loadHelper('generator_spec_processor_test.getMockClusterGenerator');
    const clusters = (fromGo(helper.clusters, helper) as Obj[]).map(clusterFromSecret);
    const g = genContext({ goTemplate, clusters });
    const gen: Obj = { clusters: { selector: {}, template: {}, values: x.values } };
    if (x.selector !== null && x.selector !== undefined) gen.selector = x.selector;
    const results = transform(gen, 'top', emptyTemplate, g, {}, '/spec/generators/0');
    assertElementsMatch(results[0].params, x.expected);
  });
}

/** InterpolateGenerator(requestedGenerator, params, useGoTemplate, options) */
function interpolate(gen: Obj | null, params: Obj | null, goTemplate: boolean, options: string[]) {
  return outcome(() => {
    if (gen === null) throw new ControllerError('generator is empty');
    return renderGeneratorParams(gen, params ?? {}, goTemplate, options);
  });
}

runTable('generator_spec_processor_test.TestInterpolateGeneratorError', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const a = x.args;
  const r = interpolate(a.requestedGenerator, a.params, a.useGoTemplate === true, a.goTemplateOptions ?? []);
  if (x.expectedErrStr) {
    assert.is(r.error, x.expectedErrStr);
    return;
  }
  assert.is(r.error, undefined);
  assertGoEqual(r.value, x.want, 'generator', true);
});

/** The fields upstream compares; a nil and an empty slice or map are the same once in JSON. */
const gitField = (gen: unknown, field: string): unknown => {
  const v = isGoMap(gen) && isGoMap(gen.git) ? gen.git[field] : undefined;
  if ((Array.isArray(v) && v.length === 0) || (isGoMap(v) && field !== 'values' && Object.keys(v).length === 0)) return undefined;
  return v;
};

runTable('generator_spec_processor_test.TestInterpolateGeneratorValuesHandling', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const a = x.args;
  const r = interpolate(a.requestedGenerator, a.params, a.useGoTemplate === true, a.goTemplateOptions ?? []);
  if (x.expectedErrStr) {
    assert.is(r.error, x.expectedErrStr);
    return;
  }
  assert.is(r.error, undefined);
  for (const f of ['values', 'revision', 'repoURL', 'files', 'directories', 'template'])
    assertGoEqual(gitField(r.value, f), gitField(x.want, f), `git.${f}`, f !== 'values');
});

test.run();
