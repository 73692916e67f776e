// applicationset/controllers/template/patch.go applyTemplatePatch: the rendered templatePatch
// (YAML or JSON) applied to the Application as a strategic merge patch for the Application type.
// In that type only metadata.finalizers carries patchStrategy=merge (a union of strings); maps
// merge key by key, `null` deletes a key, every other list is replaced. `spec.project` cannot be
// changed by a patch (it is restored afterwards).
import { unmarshalYAML } from './go/yaml.ts';
import { NotModelledError, deepCopy, isGoMap } from './go/values.ts';
import { ControllerError } from './render.ts';

type Obj = Record<string, unknown>;

const MERGE_LISTS = new Set(['metadata.finalizers']);

function patchValue(original: unknown, patch: unknown, path: string): unknown {
  if (isGoMap(patch)) {
    if (patch.$patch === 'replace') {
      const { $patch: _, ...rest } = patch;
      return deepCopy(rest);
    }
    if (patch.$patch === 'delete') return undefined;
    for (const k of Object.keys(patch))
      if (k.startsWith('$') && k !== '$patch') throw new NotModelledError(`strategic merge patch directive ${k} in templatePatch is not modelled`);
    const out: Obj = isGoMap(original) ? deepCopy(original) : {};
    for (const [k, v] of Object.entries(patch)) {
      const p = path ? `${path}.${k}` : k;
      if (v === null) {
        delete out[k];
        continue;
      }
      const merged = patchValue(out[k], v, p);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  if (Array.isArray(patch) && MERGE_LISTS.has(path) && Array.isArray(original)) {
    const out = [...original];
    for (const x of patch) if (!out.includes(x)) out.push(x);
    return out;
  }
  return deepCopy(patch);
}

/** Fields whose Go types would reject a value of another JSON kind (json.Unmarshal errors). */
function checkTypes(patch: Obj): void {
  const expectString = (v: unknown, field: string) => {
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new ControllerError(`json: cannot unmarshal ${typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object'} into Go struct field ${field} of type string`);
  };
  const meta = (patch.metadata ?? {}) as Obj;
  const spec = (patch.spec ?? {}) as Obj;
  expectString(meta.name, 'Application.metadata.name');
  expectString(meta.namespace, 'Application.metadata.namespace');
  expectString(spec.project, 'Application.spec.project');
  for (const field of ['labels', 'annotations'] as const) {
    const m = meta[field];
    if (m !== undefined && m !== null && !isGoMap(m))
      throw new ControllerError(`json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field Application.metadata.${field} of type map[string]string`);
    if (isGoMap(m)) for (const v of Object.values(m)) expectString(v, `Application.metadata.${field}`);
  }
}

export function applyTemplatePatch(app: Obj, templatePatch: string): Obj {
  let patch: unknown;
  const trimmed = templatePatch.trim();
  try {
    patch = trimmed !== '' && trimmed[0] === '{' ? JSON.parse(templatePatch) : unmarshalYAML(templatePatch);
  } catch (e) {
    throw new ControllerError(`error while converting template to json ${JSON.stringify(templatePatch)}: ${(e as Error).message}`);
  }
  if (patch === null || patch === undefined) patch = {};
  if (!isGoMap(patch)) throw new ControllerError(`invalid templatePatch ${JSON.stringify(JSON.stringify(patch))}: json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type v1alpha1.Application`);
  try {
    checkTypes(patch);
  } catch (e) {
    if (e instanceof ControllerError) throw new ControllerError(`invalid templatePatch ${JSON.stringify(JSON.stringify(patch))}: ${e.message}`);
    throw e;
  }
  const patched = patchValue(app, patch, '') as Obj;
  const spec = (patched.spec ?? {}) as Obj;
  const originalProject = ((app.spec ?? {}) as Obj).project;
  if (originalProject === undefined) delete spec.project;
  else spec.project = originalProject;
  patched.spec = spec;
  return patched;
}
