// How a template function is declared: its Go parameter types drive argument conversion and the
// errors Go reports ("wrong type for value; expected int; got float64", "wrong number of args").

/**
 * A Go function as text/template sees it. `params` are Go type names; a last entry starting with
 * `...` makes it variadic. `reflect.Value` parameters receive the raw value (an invalid value is
 * `undefined`), as the builtins and/or/eq/index do. The body throws GoError to return an error.
 */
export interface GoFunc {
  params: readonly string[];
  fn: (...args: any[]) => unknown;
}

export type FuncMap = Record<string, GoFunc>;

export const fn = (params: readonly string[], body: (...args: any[]) => unknown): GoFunc => ({ params, fn: body });

export const isVariadic = (f: GoFunc) => f.params.length > 0 && f.params[f.params.length - 1].startsWith('...');

/** The type of parameter i (the element type for variadic positions). */
export function paramType(f: GoFunc, i: number): string {
  const n = f.params.length;
  if (isVariadic(f) && i >= n - 1) return f.params[n - 1].slice(3);
  return f.params[i];
}
