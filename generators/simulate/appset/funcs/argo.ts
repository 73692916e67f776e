// The functions Argo CD adds to sprig (applicationset/utils/utils.go init, template_functions.go):
// normalize (SanitizeName), slugify (SlugifyName over gosimple/slug), toYaml, fromYaml,
// fromYamlArray.
import { fn, type FuncMap } from '../go/text-template/func.ts';
import { marshalYAML, unmarshalYAML } from '../go/yaml.ts';
import { GoError, GoInt, goTypeOf, isGoMap, typed } from '../go/values.ts';

/**
 * utils.SanitizeName: lower case, every character outside [-a-z0-9.] becomes '-', at most 253
 * bytes, leading and trailing '-' and '.' trimmed.
 */
export function sanitizeName(name: string): string {
  let s = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-');
  if (s.length > 253) s = s.slice(0, 253);
  return s.replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * utils.SlugifyName(args...): [maxSize int [, smartTruncate bool]], name. SanitizeName, then
 * slug.Make: '.' and other unauthorized characters become '-', runs of '-' collapse, the ends are
 * trimmed of '-' and '_', and the result is cut to maxSize (at the last '-' when smart).
 */
export function slugifyName(...args: unknown[]): string {
  let maxSize = 50;
  let smart = true;
  let name = '';
  args.forEach((arg, idx) => {
    const conv = (want: string) => new GoError(`interface conversion: interface {} is ${goTypeOf(arg) ?? 'nil'}, not ${want}`);
    if (idx === args.length - 1) {
      if (typeof arg !== 'string') throw conv('string');
      name = arg;
    } else if (idx === 0) {
      if (!(arg instanceof GoInt) || arg.type !== 'int') throw conv('int');
      maxSize = Number(arg.value);
    } else if (idx === 1) {
      if (typeof arg !== 'boolean') throw conv('bool');
      smart = arg;
    }
  });
  let slug = sanitizeName(name).trim();
  if (!smart && slug.length >= maxSize) slug = slug.slice(0, maxSize);
  slug = slug.replace(/[^a-zA-Z0-9\-_]/g, '-').replace(/-+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  if (maxSize > 0 && smart && slug.length > maxSize) {
    let cut = slug.slice(0, maxSize);
    for (let i = maxSize; i >= 0; i--)
      if (slug[i] === '-') {
        cut = slug.slice(0, i);
        break;
      }
    slug = cut;
  }
  return slug;
}

export const argoFunctions: FuncMap = {
  normalize: fn(['string'], sanitizeName),
  slugify: fn(['...interface {}'], slugifyName),
  // toYAML: the marshalled YAML without its final newline; errors are returned.
  toYaml: fn(['interface {}'], (v: unknown) => marshalYAML(v).replace(/\n$/, '')),
  fromYaml: fn(['string'], (s: string) => {
    const v = unmarshalYAML(s);
    if (v === null) return {};
    if (!isGoMap(v)) throw new GoError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`);
    return v;
  }),
  fromYamlArray: fn(['string'], (s: string) => {
    const v = unmarshalYAML(s);
    if (v === null) return typed([], '[]interface {}');
    if (!Array.isArray(v)) throw new GoError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`);
    return v;
  }),
};

/** encoding/json's name for a JSON value's kind in "cannot unmarshal X into ..." errors. */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isGoMap(v)) return 'object';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}
