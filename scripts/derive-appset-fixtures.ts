// Derives test/simulate/appset/fixtures/upstream/*.json from the test tables of Argo CD v3.5.1
// (applicationset/generators/*_test.go, applicationset/utils/*_test.go,
// applicationset/controllers/template/*_test.go), and sprig-runt.json from the template tests
// (runt / runtv calls) of Masterminds/sprig v3.3.0, the version argo-cd's go.mod pins.
//
// NEEDS the bare mirrors /work/.mirror/argoproj+argo-cd/repo and
// /work/.mirror/Masterminds+sprig/repo (or ARGO_CD_MIRROR / SPRIG_MIRROR) and is NOT part of the
// product: the fixtures it writes are committed, this script only re-derives them.
// It keeps facts (inputs, expected outputs, error texts), never code: each Go composite literal
// of a table becomes JSON, with the Go type of maps and slices kept as {"$go": type, "$v": value}
// when it is not map[string]interface {} / []interface {}, struct literals as
// {"$struct": type, ...fields}, calls as {"$call": name, "args": [...]}, and references to
// variables declared before the table resolved to their literal.
//
//   node --import tsx scripts/derive-appset-fixtures.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MIRROR = process.env.ARGO_CD_MIRROR ?? '/work/.mirror/argoproj+argo-cd/repo';
const SPRIG_MIRROR = process.env.SPRIG_MIRROR ?? '/work/.mirror/Masterminds+sprig/repo';
const SPRIG_TAG = 'v3.3.0';
const TAG = 'v3.5.1';
const OUT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'test', 'simulate', 'appset', 'fixtures', 'upstream');

/**
 * Upstream test functions whose tables are ported, per file. Tests that are not tables (a single
 * scenario written as code) are ported by hand in fixtures/upstream/scenarios.json.
 */
const TABLES: Record<string, string[]> = {
  'applicationset/generators/git_test.go': [
    'Test_generateParamsFromGitFile', 'TestGitGenerateParamsFromDirectories', 'TestGitGenerateParamsFromDirectoriesGoTemplate',
    'TestGitGenerateParamsFromFiles', 'TestGitGeneratorParamsFromFilesWithExcludeOptionWithNewGlobbing',
    'TestGitGeneratorParamsFromFilesWithExcludeOptionWithOldGlobbing', 'TestGitGeneratorParamsFromFilesWithExcludeOptionGoTemplate',
    'TestGitGenerateParamsFromFilesGoTemplate', 'TestGitGenerator_GenerateParams',
  ],
  'applicationset/generators/list_test.go': ['TestGenerateListParams', 'TestGenerateListParamsGoTemplate'],
  'applicationset/generators/cluster_test.go': ['TestGenerateParams', 'TestGenerateParamsGoTemplate'],
  'applicationset/generators/matrix_test.go': [
    'TestMatrixGenerate', 'TestMatrixGenerateGoTemplate', 'TestInterpolatedMatrixGenerate', 'TestInterpolatedMatrixGenerateGoTemplate',
    'TestMatrixGenerateListElementsYaml',
  ],
  'applicationset/generators/merge_test.go': ['TestMergeGenerate', 'TestParamSetsAreUniqueByMergeKeys'],
  'applicationset/generators/generator_spec_processor_test.go': [
    'TestMatchValues', 'TestMatchValuesGoTemplate', 'TestTransForm', 'TestTransFormGoTemplate',
    'TestInterpolateGeneratorError', 'TestInterpolateGeneratorValuesHandling',
  ],
  'applicationset/generators/value_interpolation_test.go': ['TestValueInterpolation', 'TestValueInterpolationWithGoTemplating'],
  'applicationset/utils/utils_test.go': [
    'TestRenderTemplateParams', 'TestRenderTemplateParamsGoTemplate',
    'TestRenderTemplateParamsFinalizers', 'TestSlugify', 'TestRenderGeneratorParams_ValuesInterpolation',
    'TestCheckInvalidGenerators', 'TestInvalidGenerators',
  ],
  'applicationset/utils/map_test.go': ['TestCombineStringMaps'],
  'applicationset/controllers/template/template_test.go': ['TestGenerateApplications', 'TestMergeTemplateApplications'],
  'applicationset/controllers/template/patch_test.go': ['Test_ApplyTemplatePatch'],
};

// ------------------------------------------------------------------ a Go literal reader

type Tok = { t: 'str' | 'num' | 'id' | 'op' | 'eof'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      i = src.indexOf('*/', i) + 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1).replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      out.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      out.push({ t: 'num', v: String(src.slice(i + 1, j).codePointAt(0)) });
      i = j + 1;
      continue;
    }
    const num = /^[0-9][0-9_.xXa-fA-FeE]*/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = [':=', '...', '&&', '||', '==', '!='].find((o) => src.startsWith(o, i)) ?? c;
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'eof', v: '' });
  return out;
}

type Json = unknown;

class Reader {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly vars: Map<string, Json>,
  ) {}

  private peek(k = 0) {
    return this.toks[this.p + k];
  }
  private next() {
    return this.toks[this.p++];
  }
  private eat(v: string) {
    const t = this.next();
    if (t.v !== v) throw new Error(`expected ${v}, got ${t.v} at token ${this.p}`);
  }
  atEnd() {
    return this.peek().t === 'eof';
  }

  /** A type expression as text: []T, map[K]V, *T, pkg.T, struct{...}, func(...)... */
  type(): string {
    const t = this.peek();
    if (t.v === '[') {
      this.next();
      let len = '';
      while (this.peek().v !== ']') len += this.next().v;
      this.eat(']');
      return `[${len}]${this.type()}`;
    }
    if (t.v === '*') {
      this.next();
      return '*' + this.type();
    }
    if (t.v === 'map') {
      this.next();
      this.eat('[');
      const k = this.type();
      this.eat(']');
      return `map[${k}]${this.type()}`;
    }
    if (t.v === 'struct' || t.v === 'interface') {
      this.next();
      this.skipBraces();
      return t.v === 'interface' ? 'any' : 'struct';
    }
    if (t.v === 'func') {
      this.next();
      this.skipParens();
      if (this.peek().v === '(') this.skipParens();
      else if (this.peek().t === 'id') this.type();
      return 'func';
    }
    let name = this.next().v;
    while (this.peek().v === '.' && this.peek(1).t === 'id') {
      this.next();
      name += '.' + this.next().v;
    }
    if (this.peek().v === '[' && this.peek(1).t === 'id' && this.peek(2).v === ']' && /^[A-Z]/.test(name.split('.').pop()!)) {
      // generic instantiation T[U]
      this.next();
      name += `[${this.type()}]`;
      this.eat(']');
    }
    return name;
  }

  skipBraces() {
    this.eat('{');
    let d = 1;
    while (d > 0) {
      const t = this.next();
      if (t.v === '{') d++;
      if (t.v === '}') d--;
    }
  }

  skipParens() {
    this.eat('(');
    let d = 1;
    while (d > 0) {
      const t = this.next();
      if (t.v === '(') d++;
      if (t.v === ')') d--;
    }
  }

  /** Field names of a struct{...} type. */
  structFields(): string[] {
    this.eat('struct');
    this.eat('{');
    const fields: string[] = [];
    while (this.peek().v !== '}') {
      const names = [this.next().v];
      while (this.peek().v === ',') {
        this.next();
        names.push(this.next().v);
      }
      if (this.peek().v === '}' || this.peek().v === ';') {
        fields.push(...names); // embedded
        continue;
      }
      this.type();
      if (this.peek().t === 'str') this.next(); // tag
      fields.push(...names);
    }
    this.eat('}');
    return fields;
  }

  value(elemType?: string): Json {
    let v = this.unary(elemType);
    while (this.peek().v === '+' && (typeof v === 'string')) {
      this.next();
      const rhs = this.unary();
      v = (v as string) + String(rhs);
    }
    return v;
  }

  private unary(elemType?: string): Json {
    const t = this.peek();
    if (t.v === '&') {
      this.next();
      return this.unary(elemType?.replace(/^\*/, ''));
    }
    if (t.v === '*' && this.peek(1).t === 'id' && this.peek(2).v === '(') {
      this.next(); // dereference of a call's result
      return this.unary(elemType);
    }
    if (t.v === '-') {
      this.next();
      const n = this.next();
      return { $num: '-' + n.v };
    }
    if (t.t === 'str') return this.next().v;
    if (t.t === 'num') return { $num: this.next().v };
    if (t.v === '{') return this.literal(elemType ?? 'struct');
    if (t.v === '[' || t.v === 'map' || t.v === '*' || t.v === 'struct') {
      const type = this.type();
      if (this.peek().v === '(') return this.conversion(type);
      return this.literal(type);
    }
    if (t.v === 'func') {
      this.type();
      this.skipBraces();
      return { $func: true };
    }
    if (t.v === '(') {
      this.next();
      const v = this.value();
      this.eat(')');
      return v;
    }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') {
        this.next();
        return t.v === 'true';
      }
      if (t.v === 'nil') {
        this.next();
        return null;
      }
      const start = this.p;
      const name = this.type();
      if (this.peek().v === '{') return this.literal(name);
      if (this.peek().v === '(') return this.call(name);
      this.p = start;
      let ref = this.next().v;
      while (this.peek().v === '.' && this.peek(1).t === 'id') {
        this.next();
        ref += '.' + this.next().v;
      }
      if (this.vars.has(ref)) return this.vars.get(ref);
      return { $ref: ref };
    }
    throw new Error(`unexpected token ${t.v} at ${this.p}`);
  }

  private conversion(type: string): Json {
    this.eat('(');
    const v = this.value();
    this.eat(')');
    return type === '[]byte' ? v : { $conv: type, v };
  }

  private call(name: string): Json {
    this.eat('(');
    if (name === 'make') {
      const type = this.type();
      while (this.peek().v !== ')') this.next();
      this.eat(')');
      return wrap(type, type.startsWith('map[') ? {} : []);
    }
    const args: Json[] = [];
    while (this.peek().v !== ')') {
      args.push(this.value());
      if (this.peek().v === ',') this.next();
    }
    this.eat(')');
    if (name === 'string' || name === 'float64' || name === 'int' || name === 'int64' || name === 'bool') return { $conv: name, v: args[0] };
    if (name === 'new' || name === 'ptr.To' || name === 'pointer.String' || name === 'pointer.Bool') return args[0];
    return { $call: name, args };
  }

  private literal(type: string): Json {
    this.eat('{');
    const elem = type.startsWith('[') ? type.slice(type.indexOf(']') + 1) : type.startsWith('map[') ? mapValueType(type) : undefined;
    const keyed: [Json, Json][] = [];
    const items: Json[] = [];
    while (this.peek().v !== '}') {
      const save = this.p;
      let key: Json | undefined;
      if (this.peek().t === 'id' && this.peek(1).v === ':') {
        key = this.next().v;
        this.next();
      } else {
        const k = this.value(type.startsWith('map[') ? mapKeyType(type) : elem);
        if (this.peek().v === ':') {
          this.next();
          key = k;
        } else {
          this.p = save;
        }
      }
      const v = this.value(elem);
      if (key !== undefined) keyed.push([key, v]);
      else items.push(v);
      if (this.peek().v === ',') this.next();
    }
    this.eat('}');
    if (type.startsWith('[')) return wrap(type, items);
    if (type.startsWith('map[')) return wrap(type, Object.fromEntries(keyed.map(([k, v]) => [typeof k === 'string' ? k : JSON.stringify(k), v])));
    const obj: Record<string, Json> = { $struct: type };
    for (const [k, v] of keyed) obj[String(k)] = v;
    if (items.length) obj.$items = items;
    return obj;
  }
}

function mapKeyType(t: string): string {
  let d = 0;
  for (let i = 3; i < t.length; i++) {
    if (t[i] === '[') d++;
    else if (t[i] === ']' && --d === 0) return t.slice(4, i);
  }
  return 'string';
}

function mapValueType(t: string): string {
  let d = 0;
  for (let i = 3; i < t.length; i++) {
    if (t[i] === '[') d++;
    else if (t[i] === ']' && --d === 0) return t.slice(i + 1);
  }
  return 'any';
}

const DEFAULT_TYPES = new Set(['map[string]any', 'map[string]interface{}', '[]any', '[]interface{}', '[]map[string]any', '[]map[string]interface{}']);

/** Plain JSON for the default dynamic types, {"$go", "$v"} for the others. */
function wrap(type: string, v: Json): Json {
  if (DEFAULT_TYPES.has(type) || type.startsWith('[]map[string]any') || type.startsWith('[]v1alpha1') || type.startsWith('[]argo') || type.includes('struct'))
    return v;
  return { $go: type.replace(/interface\{\}/g, 'any'), $v: v };
}

// ------------------------------------------------------------------ test function tables

function functionBody(src: string, name: string): string {
  const start = src.indexOf(`func ${name}(`);
  if (start < 0) throw new Error(`no ${name}`);
  let i = src.indexOf('{', src.indexOf(')', start));
  let d = 0;
  const from = i;
  for (; i < src.length; i++) {
    if (src[i] === '{') d++;
    else if (src[i] === '}' && --d === 0) break;
    else if (src[i] === '`') i = src.indexOf('`', i + 1);
    else if (src[i] === '"') {
      i++;
      while (src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    }
  }
  return src.slice(from + 1, i);
}

/** `name := <literal>` statements of the body, in order, and the first table. */
function deriveTable(body: string): { fields: string[]; cases: Json[]; vars: Record<string, Json> } | undefined {
  const toks = tokenize(body);
  const vars = new Map<string, Json>();
  const named = new Map<string, string[]>();
  let table: { fields: string[]; cases: Json[] } | undefined;
  for (let i = 0; i < toks.length; i++) {
    // type testInput struct {...} ... tests := []testInput{...}
    if (toks[i].v === 'type' && toks[i + 1]?.t === 'id' && toks[i + 2]?.v === 'struct') {
      named.set(toks[i + 1].v, new Reader(toks.slice(i + 2), vars).structFields());
      continue;
    }
    if (!table && toks[i].v === '[' && toks[i + 1]?.v === ']' && named.has(toks[i + 2]?.v) && toks[i + 3]?.v === '{') {
      const r = new Reader(toks.slice(i + 3), vars);
      const cases = r.value('struct') as { $items?: Json[] };
      table = { fields: named.get(toks[i + 2].v)!, cases: cases.$items ?? [] };
      continue;
    }
    const isTable = toks[i].v === 'range' && toks[i + 1]?.v === '[' && toks[i + 2]?.v === ']' && toks[i + 3]?.v === 'struct';
    if (!table && isTable) {
      const r = new Reader(toks.slice(i + 3), vars);
      const fields = r.structFields();
      const cases = r.value('struct') as { $items?: Json[] };
      table = { fields, cases: cases.$items ?? [] };
      continue;
    }
    if (!table && toks[i].t === 'id' && toks[i + 1]?.v === ':=' && toks[i + 2]?.v === '[' && toks[i + 3]?.v === ']' && toks[i + 4]?.v === 'struct') {
      const r = new Reader(toks.slice(i + 4), vars);
      const fields = r.structFields();
      const cases = r.value('struct') as { $struct: string; $items?: Json[] };
      table = { fields, cases: cases.$items ?? [] };
      continue;
    }
    // A declaration before the table: ident := literal
    if (toks[i].t === 'id' && toks[i + 1]?.v === ':=' && (i === 0 || toks[i - 1].v === '{' || toks[i - 1].v === '}' || toks[i - 1].v === ')' || toks[i - 1].t === 'str' || toks[i - 1].t === 'id')) {
      try {
        const r = new Reader(toks.slice(i + 2), vars);
        vars.set(toks[i].v, r.value());
      } catch {
        /* not a literal */
      }
    }
  }
  if (table) return { ...table, vars: Object.fromEntries(vars) };
  return vars.size ? { fields: [], cases: [], vars: Object.fromEntries(vars) } : undefined;
}

/** What a mocked generator's GenerateParams returns in the test body (`....Return(<params>, nil)`). */
function mockedParams(body: string): Json | undefined {
  const toks = tokenize(body);
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].v !== 'GenerateParams' || toks[i - 1]?.v !== '.' || toks[i - 2]?.v !== ')') continue;
    let d = 0;
    let j = i + 1;
    for (; j < toks.length; j++) {
      if (toks[j].v === '(') d++;
      if (toks[j].v === ')' && --d === 0) break;
    }
    if (toks[j + 1]?.v === '.' && toks[j + 2]?.v === 'Return' && toks[j + 3]?.v === '(') return new Reader(toks.slice(j + 4), new Map()).value();
  }
  return undefined;
}

function positional(fields: string[], c: Json): Record<string, Json> {
  const o = c as Record<string, Json>;
  const out: Record<string, Json> = {};
  if (Array.isArray(o.$items)) (o.$items as Json[]).forEach((v, i) => (out[fields[i]] = v));
  for (const [k, v] of Object.entries(o)) if (k !== '$struct' && k !== '$items') out[k] = v;
  return out;
}

/** Helper functions of the test files whose literals the tables use (mock cluster Secrets). */
const HELPERS: Record<string, string[]> = {
  'applicationset/generators/generator_spec_processor_test.go': ['getMockClusterGenerator'],
};

mkdirSync(OUT, { recursive: true });
for (const [file, fns] of Object.entries(HELPERS)) {
  const src = execFileSync('git', ['--git-dir', MIRROR, 'show', `${TAG}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const fn of fns) {
    const vars = deriveTable(functionBody(src, fn))?.vars ?? {};
    const out = path.join(OUT, `${path.basename(file, '.go')}.${fn}.helper.json`);
    writeFileSync(out, JSON.stringify({ source: `argoproj/argo-cd ${TAG} ${file} ${fn}`, vars }, null, 1) + '\n');
    console.log(`${path.relative(process.cwd(), out)}: helper literals ${Object.keys(vars).join(', ')}`);
  }
}
for (const [file, fns] of Object.entries(TABLES)) {
  const src = execFileSync('git', ['--git-dir', MIRROR, 'show', `${TAG}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const fn of fns) {
    const body = functionBody(src, fn);
    const table = deriveTable(body);
    const mocked = mockedParams(body);
    const doc = {
      source: `argoproj/argo-cd ${TAG} ${file} ${fn}`,
      fields: table?.fields ?? [],
      vars: table?.vars ?? {},
      ...(mocked !== undefined ? { mockedGeneratorParams: mocked } : {}),
      cases: (table?.cases ?? []).map((c) => positional(table!.fields, c)),
    };
    const out = path.join(OUT, `${path.basename(file, '.go')}.${fn}.json`);
    writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
    console.log(`${path.relative(process.cwd(), out)}: ${doc.cases.length} cases`);
  }
}

// ------------------------------------------------------------------ sprig's template tests

/**
 * runt(tpl, expect) / runtv(tpl, expect, vars) calls of sprig's tests, with `tpl` and `expect`
 * resolved through the string variables assigned before them, and the
 * `for tpl, expect := range tests { runt(tpl, expect) }` form over a map literal.
 */
function sprigCases(file: string, src: string): Json[] {
  const out: Json[] = [];
  const fnRe = /func (Test\w+)\(t \*testing\.T\) \{/g;
  for (let m; (m = fnRe.exec(src)); ) {
    const body = functionBody(src, m[1]);
    const toks = tokenize(body);
    const vars = new Map<string, Json>();
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].t === 'id' && (toks[i + 1]?.v === ':=' || (toks[i + 1]?.v === '=' && toks[i + 2]?.v !== '='))) {
        try {
          vars.set(toks[i].v, new Reader(toks.slice(i + 2), vars).value());
        } catch {
          vars.delete(toks[i].v);
        }
      }
      if (toks[i].v === 'range' && toks[i + 1]?.t === 'id' && toks[i - 1]?.v === ':=' && toks[i - 4]?.v === 'tpl') {
        const table = vars.get(toks[i + 1].v) as { $go?: string; $v?: Record<string, Json> } | undefined;
        if (table?.$go === 'map[string]string')
          for (const [tpl, expect] of Object.entries(table.$v ?? {})) out.push({ test: `${file} ${m[1]}`, tpl, expect });
      }
      if ((toks[i].v === 'runt' || toks[i].v === 'runtv') && toks[i + 1]?.v === '(' && toks[i - 1]?.v !== 'func') {
        const r = new Reader(toks.slice(i + 2), vars);
        try {
          const tpl = r.value();
          const expect = (r as any).next() && r.value();
          const values = toks[i].v === 'runtv' && (r as any).next() ? r.value() : undefined;
          if (typeof tpl === 'string' && typeof expect === 'string' && !(tpl === '' && expect === ''))
            out.push({ test: `${file} ${m[1]}`, tpl, expect, ...(values !== undefined ? { vars: values } : {}) });
        } catch {
          /* arguments that are not literals: not ported */
        }
      }
    }
  }
  return out;
}

{
  const files = execFileSync('git', ['--git-dir', SPRIG_MIRROR, 'ls-tree', '--name-only', SPRIG_TAG], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('_test.go') && !f.includes('windows'));
  const cases = files.flatMap((f) => sprigCases(f, execFileSync('git', ['--git-dir', SPRIG_MIRROR, 'show', `${SPRIG_TAG}:${f}`], { encoding: 'utf8' })));
  const seen = new Set<string>();
  const unique = cases.filter((c) => {
    const k = JSON.stringify(c);
    return !seen.has(k) && (seen.add(k), true);
  });
  const out = path.join(OUT, 'sprig-runt.json');
  writeFileSync(out, JSON.stringify({ source: `Masterminds/sprig ${SPRIG_TAG} *_test.go runt/runtv`, cases: unique }, null, 1) + '\n');
  console.log(`${path.relative(process.cwd(), out)}: ${unique.length} cases`);
}
