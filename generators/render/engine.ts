// A private Handlebars instance for YAML and Markdown templates. Compiled with noEscape (no HTML
// entities in YAML) and strict (a missing field is an error, not an empty string). Values reach
// YAML only through helpers that quote or serialize them; a test forbids bare {{value}} in
// YAML templates. Argo's own Go templates are written `\{{ .x }}` in templates and come out as
// `{{ .x }}`.

import Handlebars from 'handlebars';
import { quote, toYamlBlock } from './yaml.ts';

export type TemplateSource = Record<string, string>;

export interface Engine {
  render(template: string, data: object): string;
  has(template: string): boolean;
}

function registerHelpers(hb: typeof Handlebars) {
  // q: any user-supplied string as a double-quoted scalar.
  hb.registerHelper('q', (value: unknown) => new hb.SafeString(quote(value)));
  // num: a number that must be finite (never text that could carry YAML).
  hb.registerHelper('num', (value: unknown) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`num: ${JSON.stringify(value)} is not a number`);
    return String(value);
  });
  hb.registerHelper('bool', (value: unknown) => (value ? 'true' : 'false'));
  // yaml: a structure built in code, as a block indented by `indent` spaces.
  hb.registerHelper('yaml', (value: unknown, indent: unknown) => new hb.SafeString(toYamlBlock(value, typeof indent === 'number' ? indent : 0)));
  // md: text for Markdown; strips what could break out of a table cell or a code span.
  // line: text for a comment or a Markdown line; newlines can never start a new YAML line.
  hb.registerHelper('line', (value: unknown) => String(value ?? '').replace(/[\r\n\u2028\u2029]+/g, ' '));
  hb.registerHelper('md', (value: unknown) => String(value ?? '').replace(/[\r\n|`<>]/g, ' '));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('join', (xs: unknown, sep: unknown) => (Array.isArray(xs) ? xs.join(typeof sep === 'string' ? sep : ', ') : ''));
}

// ---------------------------------------------------------------------------------------------
// Rendered text is memoized per template by the JSON of its data: templates and helpers are pure,
// so the same data gives the same text, and a fleet re-rendered in one process (add / remove a
// service with its merge base, plop, tests) renders only what changed. JSON is a faithful key
// only for plain data, so a value JSON would lose or conflate (undefined: strict mode tells a
// missing field from an undefined one; NaN, Infinity, -0; holes; class instances, Dates,
// functions, toJSON) is rendered without the cache.

/** Whether JSON.stringify(value) names exactly what a template can see of it. */
function jsonFaithful(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonFaithful(value[i], depth + 1)) return false;
        return Object.keys(value).length === value.length;
      }
      const proto = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length) return false;
      for (const key of Object.keys(value)) {
        if (key === 'toJSON' || !jsonFaithful((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false; // undefined, function, symbol, bigint
  }
}

const dataKey = (data: object): string | undefined => {
  if (!jsonFaithful(data, 0)) return undefined;
  try {
    return JSON.stringify(data);
  } catch {
    return undefined;
  }
};

/** Bound on the memo (characters of keys and texts); past it the memo starts over. */
const MEMO_LIMIT = 96 * 1024 * 1024;

export function createEngine(sources: TemplateSource): Engine {
  const hb = Handlebars.create();
  registerHelpers(hb);
  for (const [name, text] of Object.entries(sources)) if (name.startsWith('_partials/')) hb.registerPartial(name.slice('_partials/'.length).replace(/\.hbs$/, ''), text);
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  const memo = new Map<string, Map<string, string>>();
  let memoChars = 0;
  const renderUncached = (template: string, data: object): string => {
    let fn = compiled.get(template);
    if (!fn) {
      const source = sources[template];
      if (source === undefined) throw new Error(`unknown template ${template}`);
      fn = hb.compile(source, { noEscape: true, strict: true });
      compiled.set(template, fn);
    }
    try {
      return fn(data);
    } catch (err) {
      throw new Error(`template ${template}: ${(err as Error).message}`);
    }
  };
  return {
    has: (template) => template in sources,
    render(template, data) {
      const key = dataKey(data);
      if (key === undefined) return renderUncached(template, data);
      let byData = memo.get(template);
      const hit = byData?.get(key);
      if (hit !== undefined) return hit;
      const text = renderUncached(template, data);
      if (memoChars + key.length + text.length > MEMO_LIMIT) {
        memo.clear();
        memoChars = 0;
        byData = undefined;
      }
      if (!byData) memo.set(template, (byData = new Map()));
      byData.set(key, text);
      memoChars += key.length + text.length;
      return text;
    },
  };
}
