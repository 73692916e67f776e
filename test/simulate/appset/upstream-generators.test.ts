// Upstream's list, cluster, value interpolation, merge-key and CombineStringMaps tables
// (applicationset/generators/{list,cluster,value_interpolation,merge}_test.go,
// applicationset/utils/map_test.go at v3.5.1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { typed } from '../../../generators/simulate/appset/go/values.ts';
import { clustersParams } from '../../../generators/simulate/appset/generators/clusters.ts';
import { listParams } from '../../../generators/simulate/appset/generators/list.ts';
import { combineStringMaps, paramSetsByMergeKey } from '../../../generators/simulate/appset/generators/transform.ts';
import { appendTemplatedValues } from '../../../generators/simulate/appset/generators/values.ts';
import { ControllerError } from '../../../generators/simulate/appset/render.ts';
import { clusterFromSecret, genContext } from './upstream/context.ts';
import { assertElementsMatch, assertGoEqual, errorMessage, fromGo, runTable } from './upstream/harness.ts';

type Obj = Record<string, any>;

function errorOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof ControllerError) return e.message;
    throw e;
  }
  return undefined;
}

for (const goTemplate of [false, true]) {
  runTable(`list_test.TestGenerateListParams${goTemplate ? 'GoTemplate' : ''}`, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    assertElementsMatch(listParams({ elements: x.elements }, genContext({ goTemplate }).appSet), x.expected);
  });

  runTable(`cluster_test.TestGenerateParams${goTemplate ? 'GoTemplate' : ''}`, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    const clusters = (fromGo(vars.clusters, vars) as Obj[]).map(clusterFromSecret);
    const g = genContext({ goTemplate, clusters });
    const spec = { selector: x.selector, values: x.values, flatList: x.isFlatMode === true };
    const expectedError = errorMessage(x.expectedError);
    if (expectedError !== undefined) {
      assert.is(errorOf(() => clustersParams(spec, g)), expectedError);
      return;
    }
    const got = clustersParams(spec, g);
    // assertEqualParamsFlat: in flat mode the one set's clusters list matches in any order.
    if (x.isFlatMode === true && got.length === 1 && x.expected.length === 1) {
      assertElementsMatch(got[0].clusters as unknown[], x.expected[0].clusters);
      assert.equal(Object.keys(got[0]), ['clusters']);
    } else assertElementsMatch(got, x.expected);
  });

  runTable(`value_interpolation_test.TestValueInterpolation${goTemplate ? 'WithGoTemplating' : ''}`, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    const params = x.params ?? {};
    appendTemplatedValues(x.values, params, goTemplate, []);
    assertGoEqual(params, x.expected);
  });
}

runTable('merge_test.TestParamSetsAreUniqueByMergeKeys', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const expectedError = errorMessage(x.expectedErr);
  if (expectedError !== undefined) {
    assert.is(errorOf(() => paramSetsByMergeKey(x.mergeKeys ?? [], x.paramSets ?? [])), expectedError);
    return;
  }
  const got = paramSetsByMergeKey(x.mergeKeys ?? [], x.paramSets ?? []);
  assertGoEqual(typed(Object.fromEntries(got), 'map[string]map[string]interface {}'), x.expected ?? {});
});

runTable('map_test.TestCombineStringMaps', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const expectedError = errorMessage(x.expectedErr);
  if (expectedError !== undefined) {
    assert.is(errorOf(() => combineStringMaps(x.left, x.right)), expectedError);
    return;
  }
  assertGoEqual(combineStringMaps(x.left, x.right), x.expected);
});

test.run();
