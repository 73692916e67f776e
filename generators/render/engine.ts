// A private Handlebars instance for YAML and Markdown templates. Compiled with noEscape (no HTML
// entities in YAML) and strict (a missing field is an error, not an empty string). Values reach
// YAML only through helpers that quote or serialize them; a test forbids bare {{value}} in
// YAML templates. Argo's own Go templates are written `\{{ .x }}` in templates and come out as
// `{{ .x }}`.

import Handlebars from 'handlebars';
import { quote, toYamlBlock } from './yaml.ts';
import type { PrecompiledTemplates } from './precompiled.ts';

export type TemplateSource = Record<string, string>;

export interface Engine {
  render(template: string, data: object): string;
  has(template: string): boolean;
}

/** A CommonMark code span holding `text` verbatim (on one line). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick (or a space) needs one space of padding, which CommonMark strips.
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
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
  // code: a whole Markdown code span for prose (not a table cell), its text verbatim (a regex keeps
  // its `|`): the fence is one backtick longer than the longest run inside, newlines become spaces.
  hb.registerHelper('code', (value: unknown) => codeSpan(String(value ?? '')));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('join', (xs: unknown, sep: unknown) => (Array.isArray(xs) ? xs.join(typeof sep === 'string' ? sep : ', ') : ''));
}

/** How every template is compiled, at run time or ahead of time (scripts/build-dist.mjs). */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Template texts (compiled on first use), or templates precompiled with COMPILE_OPTIONS. */
export function createEngine(sources: TemplateSource | PrecompiledTemplates): Engine {
  const hb = Handlebars.create();
  registerHelpers(hb);
  const load = (source: string | TemplateSpecification) => (typeof source === 'string' ? hb.compile(source, COMPILE_OPTIONS) : hb.template(source));
  for (const [name, source] of Object.entries(sources)) if (name.startsWith('_partials/')) hb.registerPartial(name.slice('_partials/'.length).replace(/\.hbs$/, ''), typeof source === 'string' ? source : hb.template(source));
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  const render = (template: string, data: object): string => {
    let fn = compiled.get(template);
    if (!fn) {
      const source = sources[template];
      if (source === undefined) throw new Error(`unknown template ${template}`);
      fn = load(source);
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
    render,
  };
}
