// applicationset/generators/list.go: `elements` (each a JSON object; in fasttemplate mode every
// value must be a string, `values` a map of strings) followed by `elementsYaml`.
import { unmarshalYAML } from '../go/yaml.ts';
import { isGoMap, type GoMap } from '../go/values.ts';
import { ControllerError } from '../render.ts';
import { jsonKind } from '../funcs/argo.ts';
import type { AppSetInfo } from './context.ts';

export function listParams(list: Record<string, unknown>, appSet: AppSetInfo): (GoMap | null)[] {
  const elements = Array.isArray(list.elements) ? list.elements : [];
  const res: (GoMap | null)[] = elements.map((element) => {
    if (element === null) return null;
    if (!isGoMap(element))
      throw new ControllerError(`error unmarshling list element json: cannot unmarshal ${jsonKind(element)} into Go value of type map[string]interface {}`);
    if (appSet.goTemplate) return structuredCloneJSON(element);
    // Go only assigns the flattened map inside its loop over keys: an empty element stays nil.
    if (Object.keys(element).length === 0) return null;
    const params: GoMap = {};
    for (const [key, value] of Object.entries(element)) {
      if (key === 'values') {
        if (!isGoMap(value)) throw new ControllerError('error parsing values map');
        for (const [k, v] of Object.entries(value)) {
          if (typeof v !== 'string') throw new ControllerError('error parsing value as string %!w(<nil>)');
          params['values.' + k] = v;
        }
      } else {
        if (typeof value !== 'string') throw new ControllerError('error parsing value as string %!w(<nil>)');
        params[key] = value;
      }
    }
    return params;
  });
  const yamlText = typeof list.elementsYaml === 'string' ? list.elementsYaml : '';
  if (yamlText !== '') {
    let parsed: unknown;
    try {
      parsed = unmarshalYAML(yamlText);
    } catch (e) {
      throw new ControllerError(`error unmarshling decoded ElementsYaml ${(e as Error).message}`);
    }
    if (parsed !== null) {
      if (!Array.isArray(parsed))
        throw new ControllerError(
          `error unmarshling decoded ElementsYaml error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(parsed)} into Go value of type []map[string]interface {}`,
        );
      for (const el of parsed) {
        if (el !== null && !isGoMap(el))
          throw new ControllerError(
            `error unmarshling decoded ElementsYaml error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(el)} into Go value of type map[string]interface {}`,
          );
        res.push(el as GoMap | null);
      }
    }
  }
  return res;
}

/** A fresh copy of JSON-like data (list elements are decoded anew on every reconcile). */
export function structuredCloneJSON<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
