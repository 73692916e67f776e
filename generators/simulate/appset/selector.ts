// Post-generator selectors (applicationset/utils/selector.go: a copy of Kubernetes'
// LabelSelectorAsSelector without value validation, so values such as cluster URLs work) and
// the flattening they match against (generator_spec_processor.go flattenParameters:
// jeremywohl/flatten in dot style, map[string]string made walkable, leaves printed with %v).
import { formatValue } from './go/fmt.ts';
import { goTypeOf, isGoMap, type GoMap } from './go/values.ts';
import { ControllerError } from './render.ts';

/**
 * flatten.Flatten(normalizeMapForFlatten(in), "", DotStyle), values as fmt %v. flatten walks only
 * map[string]interface {} and []interface {}; normalizeMapForFlatten also makes map[string]string
 * walkable, but only along map chains from the top (it does not look inside slices). A []string
 * is a leaf ("[a b]"); an empty map or slice yields no key at all.
 */
export function flattenParameters(params: GoMap): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, key: string, normalized: boolean) => {
    const type = goTypeOf(v);
    const child = (k: string) => (key === '' ? k : `${key}.${k}`);
    if (isGoMap(v) && (type === 'map[string]interface {}' || (normalized && type === 'map[string]string'))) {
      for (const [k, x] of Object.entries(v)) walk(x, child(k), normalized);
      return;
    }
    if (Array.isArray(v) && type === '[]interface {}') {
      v.forEach((x, i) => walk(x, child(String(i)), false));
      return;
    }
    out[key] = formatValue(v === undefined ? null : v, 'v');
  };
  for (const [k, v] of Object.entries(params)) walk(v, k, true);
  return out;
}

type Op = 'in' | 'notin' | 'exists' | '!' | '=';

interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export type LabelSelector = {
  matchLabels?: Record<string, unknown>;
  matchExpressions?: { key?: unknown; operator?: unknown; values?: unknown[] }[];
};

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName, with Kubernetes' messages. */
function qualifiedNameErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
    else if (!DNS1123_SUBDOMAIN.test(prefix))
      errs.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name))
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return errs;
}

export class Selector {
  private constructor(private readonly reqs: Requirement[] | 'nothing') {}

  /** LabelSelectorAsSelector; throws ControllerError like newRequirement's aggregated errors. */
  static from(ps: LabelSelector | null | undefined, validateValues = false): Selector {
    if (ps === null || ps === undefined) return new Selector('nothing');
    const labels = Object.entries(ps.matchLabels ?? {});
    const exprs = ps.matchExpressions ?? [];
    const reqs: Requirement[] = [];
    const newRequirement = (key: string, op: Op, values: string[]) => {
      const errs = qualifiedNameErrors(key).map((m) => `key: Invalid value: ${JSON.stringify(key)}: ${m}`);
      // Kubernetes' own LabelSelectorAsSelector (the cluster generator's Secret selector) also
      // validates values; Argo's copy for post-generator selectors does not.
      if (validateValues)
        values.forEach((v, i) => {
          if (v.length > 63 || !LABEL_VALUE.test(v))
            errs.push(
              `values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${v.length > 63 ? 'must be no more than 63 characters' : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"}`,
            );
        });
      if ((op === 'in' || op === 'notin') && values.length === 0)
        errs.push(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
      if ((op === 'exists' || op === '!') && values.length !== 0)
        errs.push(`values: Invalid value: ${goStringSlice(values)}: values set must be empty for exists and does not exist`);
      if (errs.length === 1) throw new ControllerError(errs[0]);
      if (errs.length > 1) throw new ControllerError(`[${errs.join(', ')}]`);
      reqs.push({ key, op, values });
    };
    for (const [k, v] of labels) newRequirement(k, '=', [String(v)]);
    for (const e of exprs) {
      const opName = String(e.operator ?? '');
      const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[opName as 'In'];
      if (!op) throw new ControllerError(`${JSON.stringify(opName)} is not a valid pod selector operator`);
      newRequirement(String(e.key ?? ''), op, (e.values ?? []).map(String));
    }
    reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return new Selector(reqs);
  }

  matches(labels: Record<string, string>): boolean {
    if (this.reqs === 'nothing') return false;
    return this.reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      switch (r.op) {
        case '=':
        case 'in':
          return has && r.values.includes(labels[r.key]);
        case 'notin':
          return !has || !r.values.includes(labels[r.key]);
        case 'exists':
          return has;
        case '!':
          return !has;
      }
    });
  }
}

const goStringSlice = (v: string[]) => `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
