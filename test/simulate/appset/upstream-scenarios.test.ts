// Upstream tests written as code rather than tables (fixtures/upstream/scenarios.json, ported by
// hand), and upstream's unrecognized-generator tables, run against the same entry points.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sanitizeName } from '../../../generators/simulate/appset/funcs/argo.ts';
import { deepCopy } from '../../../generators/simulate/appset/go/values.ts';
import { unrecognizedGenerators } from '../../../generators/simulate/appset/expand.ts';
import { matrixParams, relevantKinds } from '../../../generators/simulate/appset/generators/transform.ts';
import { ControllerError, renderGeneratorParams, renderTemplateParams, replace } from '../../../generators/simulate/appset/render.ts';
import { applyTemplatePatch } from '../../../generators/simulate/appset/template-patch.ts';
import { genContext } from './upstream/context.ts';
import { UPSTREAM, assertGoEqual, fromGo, runTable } from './upstream/harness.ts';

type Obj = Record<string, any>;
const scenarios = (JSON.parse(readFileSync(path.join(UPSTREAM, 'scenarios.json'), 'utf8')) as { scenarios: Obj[] }).scenarios;
const at = (o: unknown, dotted: string) => dotted.split('.').reduce<any>((x, k) => x?.[k], o);
// Keys such as "path-basename" or "kubernetes.io/environment" hold dots: walk by known prefixes.
const atLabel = (o: Obj, dotted: string) => {
  const prefix = 'clusters.selector.matchLabels.';
  return dotted.startsWith(prefix) ? o.clusters?.selector?.matchLabels?.[dotted.slice(prefix.length)] : at(o, dotted);
};

function scenario(id: string, run: (s: Obj) => void) {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  test(id, () => run(s));
}

scenario('cluster_test.TestSanitizeClusterName', (s) => {
  for (const [input, want] of s.sanitize) assert.is(sanitizeName(input), want);
});

scenario('generator_spec_processor_test.TestGetRelevantGenerators', (s) => {
  for (const [gen, want] of s.relevant) assert.equal(relevantKinds(gen, 'top'), want);
});

for (const id of ['generator_spec_processor_test.TestInterpolateGenerator', 'generator_spec_processor_test.TestInterpolateGenerator_go'])
  scenario(id, (s) => {
    for (const step of s.interpolate) {
      const got = renderGeneratorParams(step.generator, fromGo(step.params) as Obj, s.goTemplate, []);
      for (const [k, v] of Object.entries(step.expect)) assert.is(atLabel(got, k), v, k);
    }
  });

for (const id of [
  'matrix_test.TestGitGenerator_GenerateParams_list_x_git_matrix_generator',
  'matrix_test.TestGitGenerator_GenerateParams_list_x_git_matrix_generator_error_includes_repo',
  'matrix_test.TestGitGenerator_GenerateParams_list_x_git_matrix_generator_go_templates_values',
  'matrix_test.TestInterpolatedMatrixGenerateGoTemplate_ClusterValuesFromFirstGenerator',
])
  scenario(id, (s) => {
    const g = genContext({ goTemplate: s.goTemplate, goTemplateOptions: s.goTemplateOptions ?? [], clusters: s.clusters ?? [], repos: { files: s.mockFiles ?? {} } });
    g.generators = {};
    if (s.mockList) g.generators.list = () => deepCopy(s.mockList);
    if (s.mockGit) g.generators.git = () => fromGo(s.mockGit) as Obj[];
    let got: Obj[] | undefined;
    let error: string | undefined;
    try {
      got = matrixParams({ generators: s.matrix }, 'nested', g, '/spec/generators/0/matrix');
    } catch (e) {
      if (!(e instanceof ControllerError)) throw e;
      error = e.message;
    }
    if (s.errorContains) {
      for (const part of s.errorContains) assert.ok(error?.includes(part), `${error} contains ${part}`);
      return;
    }
    assert.is(error, undefined);
    if (s.expected) assertGoEqual(got, fromGo(s.expected));
    if (s.expectFirst) {
      assert.is(got!.length, s.expectedLength);
      for (const [k, v] of Object.entries(s.expectFirst)) assertGoEqual(got![0][k], fromGo(v), k);
    }
  });

for (const id of ['utils_test.TestRenderHelmValuesObjectJson', 'utils_test.TestRenderHelmValuesObjectYaml'])
  scenario(id, (s) => {
    const valuesObject = s.valuesObject ?? fromGo({ $struct: 'runtime.RawExtension', Raw: s.valuesObjectYaml });
    const app = { metadata: { name: 'application-one', namespace: 'default' }, spec: { source: { path: '', repoURL: '', targetRevision: '', chart: '', helm: { valuesObject } }, destination: {}, project: '' } };
    const got = renderTemplateParams(app, undefined, s.params, s.goTemplate, []);
    assert.equal((got.spec as Obj).source.helm.valuesObject, s.expectValuesObject);
  });

scenario('utils_test.TestRenderGeneratorParams_does_not_panic', (s) => {
  renderGeneratorParams(s.generator, s.params, s.goTemplate, []);
});

scenario('utils_test.TestRenderTemplateKeys', (s) => {
  for (const k of s.keys) {
    const got = renderTemplateParams({ metadata: { annotations: k.annotations } }, undefined, k.params, k.goTemplate, []);
    assert.equal((got.metadata as Obj).annotations, k.expect);
  }
});

scenario('utils_test.Test_Render_Replace_no_panic_on_missing_closing_brace', (s) => {
  assert.throws(() => replace(s.replace, {}, s.goTemplate, []), (e: unknown) => e instanceof ControllerError);
});

scenario('utils_test.Test_getFilteredGeneratorTypes', (s) => {
  // Every generator whose Go type has `Values map[string]string` gets its values pre-resolved.
  for (const kind of s.generatorsWithValues) {
    const got = renderGeneratorParams({ [kind]: { values: { a: '{{ .x }}', b: '{{ .missing }}' } } }, { x: 'y' }, true, []);
    assert.equal((got[kind] as Obj).values, { a: 'y', b: '{{ .missing }}' }, kind);
  }
});

scenario('patch_test.TestError', (s) => {
  assert.throws(() => applyTemplatePatch(s.app, s.templatePatch), (e: unknown) => e instanceof ControllerError);
});

/** The manifest the ApplicationSet had: empty entries get back the name kubectl recorded. */
function manifestGenerators(appSet: Obj): Obj[] {
  const gens: Obj[] = appSet.spec?.generators ?? [];
  let recorded: Obj[] = [];
  try {
    recorded = JSON.parse(appSet.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}')?.spec?.generators ?? [];
  } catch {
    recorded = [];
  }
  return gens.map((g, i) => {
    const set = Object.fromEntries(Object.entries(g).filter(([, v]) => v !== null && v !== undefined));
    if (Object.keys(set).length > 0) return set;
    const name = recorded[i] && Object.keys(recorded[i])[0];
    return name ? { [name]: {} } : {};
  });
}

runTable('utils_test.TestCheckInvalidGenerators', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const found = unrecognizedGenerators(manifestGenerators(x.appSet), x.appSet.metadata.name);
  assert.is(found?.message, x.expectedMsg);
});

runTable('utils_test.TestInvalidGenerators', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const found = unrecognizedGenerators(manifestGenerators(x.appSet), x.appSet.metadata.name);
  assert.is(found !== undefined, x.expectedInvalid === true);
  const names = Object.keys(x.expectedNames ?? {}).sort();
  if (found) assert.ok(found.message.endsWith(names.length ? `: ${names.join(', ')}` : 'generators'), found.message);
});

test.run();
