// applicationset/generators/git.go: directories (every non-hidden directory of the checkout,
// filtered with path.Match include/exclude) and files (each matching JSON/YAML file is one
// object or a list of objects; goTemplate keeps its structure, fasttemplate flattens it).
// Path parameters: path, path.basename, path.filename (files), *Normalized, path.segments /
// path[N], under `pathParamPrefix` when set: in goTemplate mode params[prefix] = {path: ...}
// REPLACES a key of that name from the file (the defect of issue 9).
import * as gopath from '../go/path.ts';
import { unmarshalYAML } from '../go/yaml.ts';
import { compareGoStrings, isGoMap, typed, type GoMap } from '../go/values.ts';
import { ControllerError } from '../render.ts';
import { jsonKind, sanitizeName } from '../funcs/argo.ts';
import { flattenParameters } from '../selector.ts';
import { ErrEmptyAppSetGenerator, type GenContext } from './context.ts';
import { appendTemplatedValues } from './values.ts';

function goPathParams(p: string, file: string | undefined): GoMap {
  const dirPath = file === undefined ? p : gopath.dir(file);
  const params: GoMap = { path: dirPath, basename: gopath.base(dirPath) };
  if (file !== undefined) params.filename = gopath.base(file);
  params.basenameNormalized = sanitizeName(gopath.base(dirPath));
  if (file !== undefined) params.filenameNormalized = sanitizeName(gopath.base(file));
  params.segments = typed(dirPath.split('/'), '[]string');
  return params;
}

function flatPathParams(params: GoMap, prefix: string, p: string, file: string | undefined): void {
  const name = prefix !== '' ? `${prefix}.path` : 'path';
  const dirPath = file === undefined ? p : gopath.dir(file);
  params[name] = dirPath;
  params[name + '.basename'] = gopath.base(dirPath);
  if (file !== undefined) params[name + '.filename'] = gopath.base(file);
  params[name + '.basenameNormalized'] = sanitizeName(gopath.base(dirPath));
  if (file !== undefined) params[name + '.filenameNormalized'] = sanitizeName(gopath.base(file));
  dirPath.split('/').forEach((seg, i) => {
    if (seg !== '') params[`${name}[${i}]`] = seg;
  });
}

/**
 * What a git generator file holds, parsed once per content for the whole run: a fleet's matrix
 * reads the same cluster files once per parameter set of its first generator, in every
 * ApplicationSet. Each caller gets its own copy (parameter sets are built on top of it). A parse
 * error is kept as its message, which is all the caller reports.
 */
const parsedFiles = new Map<string, { value: unknown } | { error: string }>();
const PARSED_FILES_LIMIT = 50000;

export function parseGitFile(content: string): unknown {
  let hit = parsedFiles.get(content);
  if (hit === undefined) {
    try {
      const plain = plainJSON(content);
      hit = { value: plain !== undefined ? plain.value : unmarshalYAML(content) };
    } catch (e) {
      hit = { error: (e as Error).message };
    }
    if (parsedFiles.size >= PARSED_FILES_LIMIT) parsedFiles.clear();
    parsedFiles.set(content, hit);
  }
  if ('error' in hit) throw new Error(hit.error);
  return copyJSON(hit.value);
}

/**
 * JSON.parse for the common generator file (`{"cluster": "...", ...}`), where it reads exactly
 * what sigs.k8s.io/yaml's YAML 1.1 decode reads: printable ASCII without tabs or escapes, only
 * strings, booleans and nulls (numbers are typed differently at the edges: -0, 1e5, ...), no
 * key or string of 1024 characters or more (YAML's implicit-key limit), no `__proto__` key.
 * Anything else, or text
 * that is not JSON: undefined, and the YAML path decides (errors included).
 */
function plainJSON(text: string): { value: unknown } | undefined {
  if (!/^[\x20-\x7e\n\r]*$/.test(text) || text.includes('\\')) return undefined;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const plain = (v: unknown): boolean => {
    if (v === null || typeof v === 'boolean') return true;
    if (typeof v === 'string') return v.length < 1024;
    if (Array.isArray(v)) return v.every(plain);
    if (typeof v === 'object') return Object.entries(v as object).every(([k, x]) => k.length < 1024 && k !== '__proto__' && plain(x));
    return false;
  };
  return plain(value) ? { value } : undefined;
}

const copyJSON = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(copyJSON);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = copyJSON((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
};

/** generateParamsFromGitFile: one parameter set per object the file holds. */
export function paramsFromGitFile(
  filePath: string,
  content: string,
  values: Record<string, unknown> | undefined,
  goTemplate: boolean,
  options: readonly string[],
  prefix: string,
): GoMap[] {
  let parsed: unknown;
  try {
    parsed = parseGitFile(content);
  } catch (e) {
    throw new ControllerError(`unable to parse file: ${(e as Error).message}`);
  }
  let objects: (GoMap | null)[];
  if (parsed === null) objects = [{}];
  else if (isGoMap(parsed)) objects = [parsed];
  else if (Array.isArray(parsed)) {
    for (const el of parsed)
      if (el !== null && !isGoMap(el))
        throw new ControllerError(
          `unable to parse file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(el)} into Go value of type map[string]interface {}`,
        );
    objects = parsed as (GoMap | null)[];
  } else {
    throw new ControllerError(
      `unable to parse file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(parsed)} into Go value of type []map[string]interface {}`,
    );
  }
  return objects.map((obj) => {
    const params: GoMap = {};
    if (goTemplate) {
      Object.assign(params, obj ?? {});
      const pathParams = goPathParams('', filePath);
      if (prefix !== '') params[prefix] = { path: pathParams };
      else params.path = pathParams;
    } else {
      for (const [k, v] of Object.entries(flattenParameters(obj ?? {}))) params[k] = v;
      flatPathParams(params, prefix, '', filePath);
    }
    try {
      appendTemplatedValues(values, params, goTemplate, options);
    } catch (e) {
      throw new ControllerError(`failed to append templated values: ${(e as Error).message}`);
    }
    return params;
  });
}

/** The AppProject lookup git.go does before generating anything (skipped when templated). */
function checkProject(g: GenContext): void {
  const project = g.appSet.templateProject;
  if (project.includes('{{') || g.ctx.projects === undefined) return;
  if (g.ctx.projects.includes(project)) return;
  if (project === '') throw new ControllerError('error getting project : resource name may not be empty');
  if (!g.ctx.projects.includes(project))
    throw new ControllerError(`error getting project ${project}: appprojects.argoproj.io ${JSON.stringify(project)} not found`);
}

export function gitParams(spec: Record<string, unknown>, g: GenContext): GoMap[] {
  const { goTemplate, goTemplateOptions } = g.appSet;
  checkProject(g);
  const directories = Array.isArray(spec.directories) ? (spec.directories as Record<string, unknown>[]) : [];
  const files = Array.isArray(spec.files) ? (spec.files as Record<string, unknown>[]) : [];
  const prefix = typeof spec.pathParamPrefix === 'string' ? spec.pathParamPrefix : '';
  const values = spec.values as Record<string, unknown> | undefined;
  if (directories.length === 0 && files.length === 0) throw new ControllerError(ErrEmptyAppSetGenerator);
  const repoURL = String(spec.repoURL ?? '');
  const revision = String(spec.revision ?? '');
  try {
    if (directories.length > 0) {
      let all: string[];
      try {
        all = g.repos.getDirectories(repoURL, revision);
      } catch (e) {
        if (e instanceof ControllerError) throw new ControllerError(`error getting directories from repo: ${e.message}`);
        throw e;
      }
      const requested = all.filter((dir) => {
        let include = false;
        let exclude = false;
        for (const d of directories) {
          let m: boolean;
          try {
            m = gopath.match(String(d.path ?? ''), dir);
          } catch {
            continue; // filterApps logs the bad pattern and goes on
          }
          if (m && d.exclude !== true) include = true;
          if (m && d.exclude === true) exclude = true;
        }
        return include && !exclude;
      });
      return requested.map((dir) => {
        let params: GoMap = {};
        if (goTemplate) {
          const pathParams = goPathParams(dir, undefined);
          if (prefix !== '') params[prefix] = { path: pathParams };
          else params.path = pathParams;
        } else {
          params = {};
          flatPathParams(params, prefix, dir, undefined);
        }
        try {
          appendTemplatedValues(values, params, goTemplate, goTemplateOptions);
        } catch (e) {
          throw new ControllerError(`error generating params from apps: failed to append templated values: ${(e as Error).message}`);
        }
        return params;
      });
    }
    const selected = new Map<string, string>();
    for (const f of files) if (f.exclude !== true) for (const [p, c] of g.repos.getFiles(repoURL, revision, String(f.path ?? ''))) selected.set(p, c);
    for (const f of files) if (f.exclude === true) for (const p of g.repos.getFiles(repoURL, revision, String(f.path ?? '')).keys()) selected.delete(p);
    const out: GoMap[] = [];
    for (const path of [...selected.keys()].sort(compareGoStrings)) {
      try {
        out.push(...paramsFromGitFile(path, selected.get(path)!, values, goTemplate, goTemplateOptions, prefix));
      } catch (e) {
        if (e instanceof ControllerError)
          throw new ControllerError(`unable to process file '${path}' from repository '${repoURL}': ${e.message}`);
        throw e;
      }
    }
    return out;
  } catch (e) {
    if (e instanceof ControllerError) throw new ControllerError(`error generating params from git: ${e.message}`);
    throw e;
  }
}
