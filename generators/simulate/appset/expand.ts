// expandApplicationSet: what the v3.5.1 ApplicationSet controller's Reconcile does with an
// ApplicationSet up to writing Applications (applicationset_controller.go Reconcile,
// controllers/template/template.go GenerateApplications):
// 1. every generator entry is transformed into parameter sets (and a merged template);
// 2. each set renders the template (RenderTemplateParams), then the templatePatch;
// 3. ANY error in 1 or 2 fails the whole ApplicationSet: condition ErrorOccurred, and no
//    Application is created, updated or deleted;
// 4. validation: Applications sharing a name are all left out (validateGeneratedApplications
//    keys its errors by qualified name);
// 5. namespace set to the ApplicationSet's, spec normalized, RollingSync switches automated off.
import { GoError, NotModelledError, isGoMap } from './go/values.ts';
import { finalizeApplication, rollingSyncEnabled, templateApplication } from './application.ts';
import { GeneratorError, UnmodelledGenerator, escapePointer, type AppSetInfo, type GenContext } from './generators/context.ts';
import { KNOWN_GENERATOR_KEYS, relevantKinds, transform } from './generators/transform.ts';
import { ControllerError, RenderError, renderTemplateParams, replace } from './render.ts';
import { applyTemplatePatch } from './template-patch.ts';
import type { ExpandContext, ExpansionProblem, ExpansionResult, GeneratedApplication } from './types.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isGoMap(v) ? v : {});

const FAILS_ALL = 'the controller sets the ApplicationSet condition ErrorOccurred and creates, updates or deletes none of its Applications';

function pointerOf(path: readonly string[]): string {
  return path.map(escapePointer).join('/');
}

/** Where a rendering error points: the generator's template override when it sets the field. */
function renderPointer(path: readonly string[], override: Obj, generatorTemplatePointer: string): string {
  let cur: unknown = override;
  for (const p of path) {
    if (!isGoMap(cur) || !(p in cur)) return `/spec/template/${pointerOf(path)}`;
    cur = cur[p];
  }
  return `${generatorTemplatePointer}/${pointerOf(path)}`;
}

export function expandApplicationSet(appSet: Obj, ctx: ExpandContext): ExpansionResult {
  const meta = obj(appSet.metadata);
  const spec = obj(appSet.spec);
  const template = obj(spec.template);
  const info: AppSetInfo = {
    name: String(meta.name ?? ''),
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : ctx.argocdNamespace,
    goTemplate: spec.goTemplate === true,
    goTemplateOptions: Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions.map(String) : [],
    templateProject: String(obj(template.spec).project ?? ''),
  };
  const problems: ExpansionProblem[] = [];
  const g: GenContext = { appSet: info, ctx, notes: problems };
  const syncPolicy = isGoMap(spec.syncPolicy) ? spec.syncPolicy : undefined;
  const templatePatch = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
  const generated: GeneratedApplication[] = [];
  let failed = false;

  const fail = (path: string, message: string, reason: string) => {
    failed = true;
    problems.push({ path, message: `ApplicationSet ${info.name}: ${message}; ${FAILS_ALL}`, reason, severity: 'error' });
  };
  const notSimulated = (path: string, message: string) =>
    problems.push({ path, message: `ApplicationSet ${info.name}: not simulated: ${message}; the Applications it would produce are not listed`, severity: 'warning' });

  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  generators.forEach((entry, i) => {
    const pointer = `/spec/generators/${i}`;
    const gen = obj(entry);
    const unknown = Object.keys(gen).filter((k) => !KNOWN_GENERATOR_KEYS.has(k));
    if (unknown.length > 0 || relevantKinds(gen, 'top').length === 0)
      problems.push({
        path: pointer,
        message: `ApplicationSet ${info.name} contains unrecognized generators${unknown.length ? `: ${unknown.sort().join(', ')}` : ''}; the controller logs a warning and generates nothing from ${unknown.length ? 'them' : 'this entry'}`,
        severity: 'warning',
      });
    let results;
    try {
      results = transform(gen, 'top', template, g, {}, pointer);
    } catch (e) {
      if (e instanceof GeneratorError) return fail(e.pointer, e.message, 'ApplicationGenerationFromParamsError');
      if (e instanceof UnmodelledGenerator) return notSimulated(e.pointer, e.message);
      if (e instanceof NotModelledError) return notSimulated(pointer, e.message);
      if (e instanceof ControllerError || e instanceof GoError) return fail(pointer, e.message, 'ApplicationGenerationFromParamsError');
      throw e;
    }
    for (const r of results) {
      const override = obj(obj(gen[r.kind]).template);
      const overridePointer = `${pointer}/${r.kind}/template`;
      const tmplApp = templateApplication(r.template);
      for (const p of r.params) {
        const params = p ?? {};
        let app: Obj;
        try {
          app = renderTemplateParams(tmplApp, syncPolicy, params, info.goTemplate, info.goTemplateOptions);
        } catch (e) {
          if (e instanceof RenderError) {
            fail(renderPointer(e.path, override, overridePointer), e.message, 'RenderTemplateParamsError');
            continue;
          }
          if (e instanceof NotModelledError) {
            notSimulated('/spec/template', e.message);
            continue;
          }
          throw e;
        }
        if (templatePatch !== undefined) {
          try {
            let rendered: string;
            try {
              rendered = replace(templatePatch, params, info.goTemplate, info.goTemplateOptions);
            } catch (e) {
              if (e instanceof ControllerError) throw new ControllerError(`error replacing values in templatePatch: ${e.message}`);
              throw e;
            }
            app = applyTemplatePatch(app, rendered);
          } catch (e) {
            if (e instanceof ControllerError) {
              fail('/spec/templatePatch', e.message, 'RenderTemplateParamsError');
              continue;
            }
            if (e instanceof NotModelledError) {
              notSimulated('/spec/templatePatch', e.message);
              continue;
            }
            throw e;
          }
        }
        generated.push({ name: String(obj(app.metadata).name ?? ''), manifest: app, params });
      }
    }
  });

  if (failed) return { applications: [], problems };

  // validateGeneratedApplications: a repeated name marks every Application of that name.
  const counts = new Map<string, number>();
  for (const a of generated) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
  for (const [name, n] of counts)
    if (n > 1)
      problems.push({
        path: '/spec/template/metadata/name',
        message: `ApplicationSet ${info.name} contains applications with duplicate name: ${name}; the controller reports ErrorOccurred (ApplicationValidationError) and creates no Application named ${name} (${n} parameter sets render that name)`,
        reason: 'ApplicationValidationError',
        application: name,
        severity: 'error',
      });

  const rollingSync = ctx.progressiveSyncs === true && rollingSyncEnabled(spec);
  const applications = generated
    .filter((a) => counts.get(a.name) === 1)
    .map((a) => {
      const manifest = finalizeApplication(a.manifest, { namespace: info.namespace, rollingSync });
      return { name: a.name, manifest, params: a.params };
    });
  return { applications, problems };
}
