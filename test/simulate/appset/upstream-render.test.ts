// Upstream's rendering tables (applicationset/utils/utils_test.go, controllers/template/
// {template,patch}_test.go at v3.5.1): RenderTemplateParams in both modes over the eight
// template fields upstream loops on, the finalizer rule, SlugifyName, RenderGeneratorParams'
// values pre-resolution, GenerateApplications' reasons, template merging and templatePatch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { slugifyName } from '../../../generators/simulate/appset/funcs/argo.ts';
import { generateApplications } from '../../../generators/simulate/appset/expand.ts';
import { mergeTemplates } from '../../../generators/simulate/appset/generators/transform.ts';
import { ControllerError, renderGeneratorParams, renderTemplateParams } from '../../../generators/simulate/appset/render.ts';
import { applyTemplatePatch } from '../../../generators/simulate/appset/template-patch.ts';
import { templateApplication } from '../../../generators/simulate/appset/application.ts';
import { genContext } from './upstream/context.ts';
import { assertElementsMatch, assertGoEqual, errorMessage, fromGo, runTable } from './upstream/harness.ts';

type Obj = Record<string, any>;

/** The template fields TestRenderTemplateParams* set in turn (its fieldMap). */
const FIELDS: [string, (app: Obj) => Obj, string][] = [
  ['Path', (a) => a.spec.source, 'path'],
  ['RepoURL', (a) => a.spec.source, 'repoURL'],
  ['TargetRevision', (a) => a.spec.source, 'targetRevision'],
  ['Chart', (a) => a.spec.source, 'chart'],
  ['Server', (a) => a.spec.destination, 'server'],
  ['Namespace', (a) => a.spec.destination, 'namespace'],
  ['Name', (a) => a.spec.destination, 'name'],
  ['Project', (a) => a.spec, 'project'],
];

for (const goTemplate of [false, true]) {
  runTable(`utils_test.TestRenderTemplateParams${goTemplate ? 'GoTemplate' : ''}`, (c, vars) => {
    const x = fromGo(c, vars) as Obj;
    const empty = fromGo(vars.emptyApplication, vars) as Obj;
    for (const [field, at, key] of FIELDS) {
      const app = structuredClone(empty);
      at(app)[key] = x.fieldVal ?? '';
      let rendered: Obj | undefined;
      let error: string | undefined;
      try {
        rendered = renderTemplateParams(app, undefined, x.params ?? {}, goTemplate, x.templateOptions ?? []);
      } catch (e) {
        if (!(e instanceof ControllerError)) throw e;
        error = e.message;
      }
      if (x.errorMessage) {
        assert.is(error, x.errorMessage, field);
        continue;
      }
      assert.is(error, undefined, field);
      assert.is(at(rendered!)[key], x.expectedVal, `field ${field}`);
      assert.equal(rendered!.metadata.annotations, { 'annotation-key': 'annotation-value', 'annotation-key2': 'annotation-value2' });
      assert.equal(rendered!.metadata.labels, { 'label-key': 'label-value', 'label-key2': 'label-value2' });
      assert.is(rendered!.metadata.name, 'application-one');
      assert.is(rendered!.metadata.namespace, 'default');
      assert.is(rendered!.metadata.uid, 'd546da12-06b7-4f9a-8ea2-3adb16a20e2b');
    }
  });
}

runTable('utils_test.TestRenderTemplateParamsFinalizers', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const app = structuredClone(fromGo(vars.emptyApplication, vars) as Obj);
  app.metadata = { ...(app.metadata ?? {}), ...(x.existingFinalizers ? { finalizers: x.existingFinalizers } : {}) };
  const res = renderTemplateParams(app, x.syncPolicy ?? undefined, { one: 'two' }, true, []);
  assertElementsMatch((res.metadata as Obj)?.finalizers ?? [], x.expectedFinalizers ?? []);
});

runTable('utils_test.TestSlugify', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  assert.is(slugifyName(x.length, x.smartTruncate, x.branch), x.expectedBasePath);
});

runTable('utils_test.TestRenderGeneratorParams_ValuesInterpolation', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  let result: Obj | undefined;
  let error: string | undefined;
  try {
    result = renderGeneratorParams(x.gen, x.params ?? {}, x.useGoTemplate === true, x.goTemplateOptions ?? []);
  } catch (e) {
    if (!(e instanceof ControllerError)) throw e;
    error = e.message;
  }
  if (x.expectErr) {
    assert.ok(error?.includes(x.expectErr), `${error} contains ${x.expectErr}`);
    return;
  }
  assert.is(error, undefined);
  if (x.expectedClusterValues) assertGoEqual(result!.clusters?.values, x.expectedClusterValues, 'clusters.values');
  if (x.expectedGitValues) assertGoEqual(result!.git?.values, x.expectedGitValues, 'git.values');
});

runTable('template_test.TestGenerateApplications', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  const g = genContext({});
  const generateError = errorMessage(x.generateParamsError);
  g.generators = {
    list: () => {
      if (generateError) throw new ControllerError(generateError);
      return x.params ?? [];
    },
  };
  const appSet = { metadata: { name: 'name', namespace: 'namespace' }, spec: { generators: [{ list: {} }], template: x.template ?? {} } };
  const r = generateApplications(appSet, g);
  assert.is(r.reason ?? '', x.expectedReason ?? '');
  if (!x.expectErr) assert.is(r.applications.length, (x.params ?? []).length);
});

runTable('template_test.TestMergeTemplateApplications', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  // What upstream asserts through its renderer mock: the template handed to the renderer.
  assertGoEqual(templateApplication(mergeTemplates(x.overrideTemplate, x.template)), templateApplication(x.expectedMerged), 'merged template', true);
});

runTable('patch_test.Test_ApplyTemplatePatch', (c, vars) => {
  const x = fromGo(c, vars) as Obj;
  assertGoEqual(applyTemplatePatch(x.appTemplate, x.templatePatch), x.expectedApp, 'patched application', true);
});

test.run();
