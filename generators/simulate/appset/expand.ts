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
import { repoServiceFor } from './generators/repo-service.ts';
import { KNOWN_GENERATOR_KEYS, relevantKinds, transform } from './generators/transform.ts';
import { ControllerError, RenderError, hasKeys, renderTemplateParams, replace } from './render.ts';
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

/** The ApplicationSet's templating mode and identity, as the generators see them. */
export function appSetInfo(appSet: Obj, ctx: ExpandContext): AppSetInfo {
  const meta = obj(appSet.metadata);
  const spec = obj(appSet.spec);
  return {
    name: String(meta.name ?? ''),
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : ctx.argocdNamespace,
    goTemplate: spec.goTemplate === true,
    goTemplateOptions: Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions.map(String) : [],
    templateProject: String(obj(obj(spec.template).spec).project ?? ''),
  };
}

/**
 * utils.CheckInvalidGenerators: entries that set no generator the controller knows (the API
 * server prunes unknown fields, so such an entry arrives empty). Upstream recovers the names from
 * kubectl's last-applied annotation; here they are the entry's own keys.
 */
export function unrecognizedGenerators(generators: readonly unknown[], name = ''): { path: string; message: string } | undefined {
  let path: string | undefined;
  const names = new Set<string>();
  generators.forEach((entry, i) => {
    const gen = obj(entry);
    if (relevantKinds(gen, 'top').length > 0) return;
    path ??= `/spec/generators/${i}`;
    const first = Object.keys(gen).find((k) => !KNOWN_GENERATOR_KEYS.has(k));
    if (first) names.add(first);
  });
  if (path === undefined) return undefined;
  const list = [...names].sort();
  return { path, message: `ApplicationSet ${name} contains unrecognized generators${list.length ? `: ${list.join(', ')}` : ''}` };
}

export interface Generated {
  /** Rendered and patched, before the namespace and normalization of the write. */
  applications: GeneratedApplication[];
  problems: ExpansionProblem[];
  /** The condition reason of the first error (GenerateApplications' applicationSetReason). */
  reason?: string;
}

/** template.GenerateApplications: every generator's parameter sets rendered into Applications. */
export function generateApplications(appSet: Obj, g: GenContext): Generated {
  const spec = obj(appSet.spec);
  const template = obj(spec.template);
  const info = g.appSet;
  const problems = g.notes;
  const syncPolicy = isGoMap(spec.syncPolicy) ? spec.syncPolicy : undefined;
  const templatePatch = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
  const generated: GeneratedApplication[] = [];
  let reason: string | undefined;

  const fail = (path: string, message: string, why: string) => {
    reason ??= why;
    problems.push({ path, message: `ApplicationSet ${info.name}: ${message}; ${FAILS_ALL}`, reason, severity: 'error' });
  };
  const notSimulated = (path: string, message: string) =>
    problems.push({ path, message: `ApplicationSet ${info.name}: not simulated: ${message}; the Applications it would produce are not listed`, severity: 'warning' });

  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const unrecognized = unrecognizedGenerators(generators, info.name);
  if (unrecognized)
    problems.push({
      path: unrecognized.path,
      message: `${unrecognized.message}; the controller logs this warning, drops the unknown fields and generates nothing from an entry left without a generator`,
      severity: 'warning',
    });
  generators.forEach((entry, i) => {
    const pointer = `/spec/generators/${i}`;
    const gen = obj(entry);
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
        // Rendered from a non-empty parameter set: a new object nothing else holds (with none,
        // renderTemplateParams hands back the template itself).
        if (hasKeys(params)) freshlyRendered.add(app);
        generated.push({ name: String(obj(app.metadata).name ?? ''), manifest: app, params });
      }
    }
  });

  return { applications: generated, problems, reason };
}

const freshlyRendered = new WeakSet<object>();

export function expandApplicationSet(appSet: Obj, ctx: ExpandContext): ExpansionResult {
  const info = appSetInfo(appSet, ctx);
  const g: GenContext = { appSet: info, ctx, repos: repoServiceFor(ctx), notes: [] };
  const { applications: generated, problems, reason } = generateApplications(appSet, g);
  if (reason) return { applications: [], problems };
  const spec = obj(appSet.spec);

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
      const manifest = finalizeApplication(a.manifest, { namespace: info.namespace, rollingSync, fresh: freshlyRendered.has(a.manifest) });
      return { name: a.name, manifest, params: a.params };
    });
  return { applications, problems };
}
