// Small readers for untrusted parsed YAML: rules never assume a field has the type the schema
// says, because the linter runs on repos that may not pass schema validation.

export type Obj = Record<string, any>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export const asObj = (v: unknown): Obj => (isObj(v) ? v : {});

/** A scalar as a string (YAML may give numbers or booleans where Kubernetes wants strings). */
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Booleans that Kubernetes ConfigMaps and Secrets write as strings. */
export const isTrue = (v: unknown): boolean => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');

/** A value holding an Argo CD / Argo Workflows / shell template whose result is unknown here. */
export const isTemplated = (v: unknown): boolean =>
  typeof v === 'string' && /\{\{|\$\{|\$\(|^\$[A-Za-z_]/.test(v);

/** An integer, also when written as a numeric string (int-or-string fields). */
export function intOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export const labelsOf = (obj: Obj): Obj => asObj(asObj(obj?.metadata).labels);
export const annotationsOf = (obj: Obj): Obj => asObj(asObj(obj?.metadata).annotations);
export const nameOf = (obj: Obj): string => str(asObj(obj?.metadata).name) ?? str(asObj(obj?.metadata).generateName) ?? '';
