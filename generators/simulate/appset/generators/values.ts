// applicationset/generators/value_interpolation.go appendTemplatedValues: a generator's `values`
// rendered with the parameters it produced (not with one another), then added as `values`
// (goTemplate, a map[string]string that replaces any `values` key) or `values.<key>`.
import { typed, type GoMap } from '../go/values.ts';
import { ControllerError, replace } from '../render.ts';

export function appendTemplatedValues(
  values: Record<string, unknown> | undefined,
  params: GoMap,
  useGoTemplate: boolean,
  options: readonly string[],
): void {
  const tmp: GoMap = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    let result: string;
    try {
      result = replace(String(value), params, useGoTemplate, options);
    } catch (e) {
      if (e instanceof ControllerError)
        throw new ControllerError(`failed to replace templated string: failed to replace templated string with rendered values: ${e.message}`);
      throw e;
    }
    if (useGoTemplate) {
      if (tmp.values === undefined) tmp.values = typed({}, 'map[string]string');
      (tmp.values as Record<string, string>)[key] = result;
    } else {
      tmp['values.' + key] = result;
    }
  }
  Object.assign(params, tmp);
}
