// applicationset/utils/utils.go Render: Replace (goTemplate or fasttemplate per string),
// deeplyReplace over a template or generator (every string value and every map key), and the
// two entry points RenderTemplateParams / RenderGeneratorParams.
import { ARGO_FUNC_MAP } from './funcs/index.ts';
import { GoTemplate, TemplateExecError, TemplateOptionError, TemplateParseError } from './go/text-template/template.ts';
import { isGoMap, typed } from './go/values.ts';

/** A failure the controller reports as an ApplicationSet condition message. */
export class ControllerError extends Error {}

export const wrap = (context: string, e: unknown): never => {
  if (e instanceof ControllerError) throw new ControllerError(`${context}: ${e.message}`);
  throw e;
};

const IS_TEMPLATED = /\{\{.*\}\}/;

/** fasttemplate.ExecuteFuncString with Argo's tag function: unknown tags are written back. */
function fastReplace(tmpl: string, params: Record<string, unknown>): string {
  let out = '';
  let s = tmpl;
  for (;;) {
    const n = s.indexOf('{{');
    if (n < 0) {
      out += s;
      break;
    }
    out += s.slice(0, n);
    s = s.slice(n + 2);
    const e = s.indexOf('}}');
    if (e < 0) throw new ControllerError(`invalid template: Cannot find end tag="}}" in the template=${JSON.stringify(tmpl)} starting from ${JSON.stringify(s)}`);
    const tag = s.slice(0, e);
    const trimmed = tag.trim();
    const replacement = params[trimmed];
    out += trimmed !== '' && typeof replacement === 'string' ? replacement : `{{${tag}}}`;
    s = s.slice(e + 2);
  }
  return out;
}

/**
 * Parsed templates by options and text. Parsing is pure and the tree is not changed by
 * execution, so one parse serves every parameter set (the controller parses anew each time; the
 * outcome is the same). A parse or option error is kept too. Bounded: cleared when it grows.
 */
const parsed = new Map<string, Map<string, GoTemplate | ControllerError>>();
let parsedCount = 0;
const PARSED_LIMIT = 20000;
/** The options' cache key per options array (the same array serves a whole ApplicationSet). */
const optionKeys = new WeakMap<readonly string[], string>();

function parsedTemplate(tmpl: string, options: readonly string[]): GoTemplate {
  let optionsKey = optionKeys.get(options);
  if (optionsKey === undefined) optionKeys.set(options, (optionsKey = options.join('\u0000')));
  let byText = parsed.get(optionsKey);
  if (!byText) parsed.set(optionsKey, (byText = new Map()));
  let t = byText.get(tmpl);
  if (t === undefined) {
    t = parseGoTemplate(tmpl, options);
    if (parsedCount >= PARSED_LIMIT) {
      parsed.clear();
      parsedCount = 0;
      parsed.set(optionsKey, (byText = new Map()));
    }
    byText.set(tmpl, t);
    parsedCount++;
  }
  if (t instanceof ControllerError) throw new ControllerError(t.message);
  return t;
}

function parseGoTemplate(tmpl: string, options: readonly string[]): GoTemplate | ControllerError {
  const t = new GoTemplate('base', ARGO_FUNC_MAP);
  try {
    for (const o of options) t.option(o);
  } catch (e) {
    // template.Option panics; the controller's Reconcile recovers and fails the ApplicationSet.
    if (e instanceof TemplateOptionError) return new ControllerError(e.message);
    throw e;
  }
  try {
    t.parse(tmpl);
  } catch (e) {
    if (e instanceof TemplateParseError) return new ControllerError(`failed to parse template ${tmpl}: ${e.message}`);
    throw e;
  }
  return t;
}

/** Render.Replace: one string. */
export function replace(tmpl: string, params: Record<string, unknown>, useGoTemplate: boolean, options: readonly string[]): string {
  if (useGoTemplate) {
    const t = parsedTemplate(tmpl, options);
    try {
      return t.execute(params);
    } catch (e) {
      if (e instanceof TemplateExecError) throw new ControllerError(`failed to execute go template ${tmpl}: ${e.message}`);
      throw e;
    }
  }
  if (!IS_TEMPLATED.test(tmpl)) return tmpl;
  return fastReplace(tmpl, params);
}

/** A rendering failure, with the path (inside the object rendered) of the string that failed. */
export class RenderError extends ControllerError {
  constructor(
    message: string,
    readonly path: readonly string[],
  ) {
    super(message);
  }
}

function replaceAt(s: string, params: Record<string, unknown>, useGoTemplate: boolean, options: readonly string[], path: readonly string[]): string {
  try {
    return replace(s, params, useGoTemplate, options);
  } catch (e) {
    if (e instanceof ControllerError && !(e instanceof RenderError)) throw new RenderError(e.message, [...path]);
    throw e;
  }
}

type Filter = (path: readonly string[], value: unknown) => { handled: true; value: unknown } | undefined;

/**
 * deeplyReplace: strings are rendered, map keys too (after their value); nil values inside maps
 * are dropped (the Go walk skips them); numbers and booleans are copied.
 */
export function deepReplace(
  value: unknown,
  params: Record<string, unknown>,
  useGoTemplate: boolean,
  options: readonly string[],
  filter?: Filter,
  path: string[] = [],
): unknown {
  // One path stack for the whole walk (copied only into an error): a copy per node was most of
  // the cost of rendering an Application template.
  const stack = [...path];
  const walk = (v: unknown): unknown => {
    if (filter) {
      const f = filter(stack, v);
      if (f) return f.value;
    }
    if (typeof v === 'string') return replaceAt(v, params, useGoTemplate, options, stack);
    if (Array.isArray(v)) {
      const out = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        stack.push(String(i));
        out[i] = walk(v[i]);
        stack.pop();
      }
      return out;
    }
    if (isGoMap(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (x === null || x === undefined) continue;
        stack.push(k);
        const rendered = walk(x);
        out[replaceAt(k, params, useGoTemplate, options, stack)] = rendered;
        stack.pop();
      }
      return out;
    }
    return v;
  };
  return walk(value);
}

/** What Replace gives for a string whatever the parameters, when it does not depend on them. */
function constantReplacement(s: string, useGoTemplate: boolean, options: readonly string[]): string | undefined {
  if (!useGoTemplate) return IS_TEMPLATED.test(s) ? undefined : s;
  let t: GoTemplate;
  try {
    t = parsedTemplate(s, options);
  } catch {
    return undefined; // rendering the string meets the same failure, at its path and turn
  }
  return t.constantText() ?? undefined;
}

type Rendering = (params: Record<string, unknown>) => unknown;

/**
 * deepReplace compiled for one template object: the walk, the strings that do not depend on the
 * parameters, the nil values it skips and each string's path (for its error: the walk's path is
 * the template's own keys and indexes, known here) are worked out once, so rendering an
 * ApplicationSet's template for each of thousands of parameter sets only executes what is
 * templated. Same output, same errors at the same paths, in the same order as deepReplace.
 */
function compileRendering(value: unknown, useGoTemplate: boolean, options: readonly string[], path: readonly string[] = []): Rendering {
  if (typeof value === 'string') {
    const constant = constantReplacement(value, useGoTemplate, options);
    if (constant !== undefined) return () => constant;
    return (params) => replaceAt(value, params, useGoTemplate, options, path);
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileRendering(v, useGoTemplate, options, [...path, String(i)]));
    return (params) => {
      const out = new Array(items.length);
      for (let i = 0; i < items.length; i++) out[i] = items[i](params);
      return out;
    };
  }
  if (isGoMap(value)) {
    const entries = Object.keys(value)
      .filter((k) => value[k] !== null && value[k] !== undefined)
      .map((k) => {
        const at = [...path, k];
        const rendering = compileRendering(value[k], useGoTemplate, options, at);
        return { value: rendering, key: compileRendering(k, useGoTemplate, options, at), constantKey: constantReplacement(k, useGoTemplate, options) };
      });
    return (params) => {
      const out: Record<string, unknown> = {};
      for (const e of entries) {
        const rendered = e.value(params);
        out[e.constantKey ?? (e.key(params) as string)] = rendered;
      }
      return out;
    };
  }
  return () => value;
}

/** Whether an object has an own enumerable key (Object.keys(o).length > 0, without the array). */
export function hasKeys(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

/** Compiled renderings per template object, goTemplate mode and options. */
const renderings = new WeakMap<object, Map<string, Rendering>>();

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * Render.RenderTemplateParams: the template Application with the parameters applied, and the
 * resources finalizer added when the template has none and preserveResourcesOnDeletion is not
 * set. With no parameters at all the template is returned untouched (no finalizer either).
 */
export function renderTemplateParams(
  app: Record<string, unknown>,
  syncPolicy: Record<string, unknown> | undefined,
  params: Record<string, unknown>,
  useGoTemplate: boolean,
  options: readonly string[],
): Record<string, unknown> {
  if (!hasKeys(params)) {
    // The caller gets the template object itself and may change it: compile it again next time.
    renderings.delete(app);
    return app;
  }
  let byMode = renderings.get(app);
  if (!byMode) renderings.set(app, (byMode = new Map()));
  let optionsKey = optionKeys.get(options);
  if (optionsKey === undefined) optionKeys.set(options, (optionsKey = options.join('\u0000')));
  const modeKey = `${useGoTemplate ? 'go' : 'fast'}\u0001${optionsKey}`;
  let rendering = byMode.get(modeKey);
  if (!rendering) byMode.set(modeKey, (rendering = compileRendering(app, useGoTemplate, options)));
  const out = rendering(params) as Record<string, unknown>;
  const meta = (out.metadata ?? {}) as Record<string, unknown>;
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  if (syncPolicy?.preserveResourcesOnDeletion !== true && finalizers.length === 0) {
    out.metadata = { ...meta, finalizers: [RESOURCES_FINALIZER] };
  }
  return out;
}

/** Generator types whose Go struct has `Values map[string]string` (getFilteredGeneratorTypes). */
const GENERATORS_WITH_VALUES = new Set(['clusters', 'git', 'clusterDecisionResource', 'scmProvider', 'pullRequest', 'plugin']);

const isMissingKeyError = (e: unknown) =>
  e instanceof ControllerError && (e.message.includes('map has no entry for key') || e.message.includes("can't evaluate field"));

/**
 * Render.RenderGeneratorParams: the second child of a matrix rendered with a parameter set of
 * the first. A generator's `values` are pre-resolved with missingkey=error; a value referring
 * to a key the first generator lacks is kept as written, for the generator's own parameters.
 */
export function renderGeneratorParams(
  gen: Record<string, unknown>,
  params: Record<string, unknown>,
  useGoTemplate: boolean,
  options: readonly string[],
): Record<string, unknown> {
  if (Object.keys(params).length === 0) return gen;
  const resolveOptions = useGoTemplate ? [...options.filter((o) => !o.startsWith('missingkey=')), 'missingkey=error'] : options;
  const filter: Filter = (path, value) => {
    if (path.length < 2 || path[path.length - 1] !== 'values' || !GENERATORS_WITH_VALUES.has(path[path.length - 2])) return undefined;
    if (!isGoMap(value)) return { handled: true, value };
    const resolved: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') continue;
      try {
        resolved[k] = replace(v, params, useGoTemplate, resolveOptions);
      } catch (e) {
        if (isMissingKeyError(e)) resolved[k] = v;
        else if (e instanceof ControllerError) throw new ControllerError(`failed to pre-resolve Values key ${JSON.stringify(k)}: ${e.message}`);
        else throw e;
      }
    }
    return { handled: true, value: typed(resolved, 'map[string]string') };
  };
  try {
    return deepReplace(gen, params, useGoTemplate, options, filter) as Record<string, unknown>;
  } catch (e) {
    return wrap('failed to replace parameters in generator', e);
  }
}

