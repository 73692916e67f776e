// A fast reader for the block-style YAML subset our generator (and most hand-written manifests)
// use: block mappings and sequences, plain scalars (also wrapped over several lines, as kubectl
// writes long strings), single-line quoted scalars, literal block scalars,
// `{}` / `[]` and one-line flow sequences of scalars, `---` separators and comments.
//
// It is only a fast path in front of the `yaml` library (parse.ts): it returns `undefined` -
// "not sure, ask the full parser" - for anything outside that subset or anything that could be
// an error: anchors, aliases, tags, merge keys, directives, multi-line quoted scalars,
// folded / keep-chomped / indented block scalars, nested flow, tabs, CR, duplicate keys,
// over-indented lines... Plain scalars are typed by the `yaml` library's own YAML 1.1 schema
// tags (the ones parse.ts uses), so values are the ones `doc.toJS()` gives.
import { Document, isScalar } from 'yaml';

export interface FastDocument {
  /** The document's `toJS()` value; `null` for an empty (comment-only) document. */
  value: unknown;
  /** 1-based line of the document's first content line (0 when empty). */
  line: number;
  /** Text range of the document (line-aligned), for the lazy line lookup. */
  start: number;
  end: number;
  /** 1-based line at `start`. */
  startLine: number;
}

class Bail extends Error {}
const BAIL = new Bail('fast-yaml: outside the supported subset');
const bail = (): never => {
  throw BAIL;
};

// ---------------------------------------------------------------------------------------------
// Scalar typing: exactly the tags and resolvers the full parser uses (YAML 1.1 schema).
// ---------------------------------------------------------------------------------------------

const schemaDoc = new Document(null, { version: '1.1' });
const schema = schemaDoc.schema;
const resolveOptions = schemaDoc.options;
type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (s: string, onError: (m: string) => void, o: unknown) => unknown };
const valueTags = (schema.tags as ScalarTag[]).filter((t) => t.default === true && t.test);
const keyTags = (schema.tags as ScalarTag[]).filter((t) => (t.default === true || t.default === 'key') && t.test);
if (schema.compat) throw new Error('fast-yaml: unexpected compat schema');

/**
 * First characters with which no YAML 1.1 non-string tag's test can match: a plain scalar that
 * starts with one of these letters is a string. (null: ~ N n; bool: Y y N n T t F f O o;
 * floatExp may start with e / E; numbers, timestamps, .inf, << start with a non-letter.)
 */
const SPECIAL_FIRST = new Set('YyNnTtFfOoEe');
const isPlainLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// Scalars already typed, one cache for keys and one for values (keys have their own tags).
const resolvedKeys = new Map<string, unknown>();
const resolvedValues = new Map<string, unknown>();
const onResolveError = () => bail();

function resolvePlain(s: string, atKey: boolean): unknown {
  const c = s.charCodeAt(0);
  if (isPlainLetter(c)) {
    if (!SPECIAL_FIRST.has(s[0])) return s;
    // The bool and null words are at most 5 letters; floatExp may start with e / E only when a
    // sign or digit follows (the tag tests are held by test/validate/fast-yaml.test.ts).
    if (s.length > 5 && !((c === 101 || c === 69) && !isPlainLetter(s.charCodeAt(1)))) return s;
  }
  const resolved = atKey ? resolvedKeys : resolvedValues;
  const known = resolved.get(s);
  if (known !== undefined || resolved.has(s)) return known;
  const tag = (atKey ? keyTags : valueTags).find((t) => t.test!.test(s));
  let v: unknown = s;
  if (tag) {
    const res = tag.resolve(s, onResolveError, resolveOptions);
    v = isScalar(res) ? res.value : res;
  }
  if (v !== null && typeof v === 'object') bail(); // timestamps (Date), merge keys, ...
  if (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function') bail();
  if (resolved.size > 100_000) resolved.clear(); // a long-lived process: keep it bounded
  resolved.set(s, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Lexical helpers
// ---------------------------------------------------------------------------------------------

/** Tabs, CR, BOM, C0/C1 controls and YAML 1.1 line breaks: left to the full parser. */
const UNSUPPORTED_CHARS = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

const indentOf = (s: string) => {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 32) i++;
  return i;
};
/** `-` entry start: `-` alone or `- `. */
/** `-` entry start at `t[i]`: `-` ending the line or `- `. */
const isDashAt = (t: string, i: number) => i < t.length && t.charCodeAt(i) === 45 && (t.length === i + 1 || t.charCodeAt(i + 1) === 32);
/** What may follow a quoted scalar or flow collection on its line: nothing, or a comment. */
const TAIL_OK = /^(?: +#.*| *)$/;
/** Characters a plain scalar may not start with (YAML c-indicators), except `-` handled apart. */
const INDICATOR = new Set('?:,[]{}#&*!|>\'"%@`');

/** Double-quoted scalar starting at t[from] (the quote); only the simple escapes. */
function readDouble(t: string, from: number): [string, number] {
  let out = '';
  let run = from + 1;
  for (let i = from + 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 34) return [out + t.slice(run, i), i + 1];
    if (c === 92) {
      out += t.slice(run, i);
      const e = t[i + 1];
      if (e === '"' || e === '\\') out += e;
      else if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else bail();
      i++;
      run = i + 1;
    }
  }
  return bail(); // multi-line or unterminated
}

/** Single-quoted scalar starting at t[from]. */
function readSingle(t: string, from: number): [string, number] {
  let out = '';
  let run = from + 1;
  for (let i = from + 1; i < t.length; i++) {
    if (t.charCodeAt(i) === 39) {
      if (i + 1 < t.length && t.charCodeAt(i + 1) === 39) {
        out += t.slice(run, i + 1);
        i++;
        run = i + 1;
        continue;
      }
      return [out + t.slice(run, i), i + 1];
    }
  }
  return bail();
}

/** A one-line plain scalar in block context (comment cut off); bails on anything else. */
function plainText(t: string): string {
  const first = t[0];
  if (INDICATOR.has(first)) bail();
  if (first === '-' && (t.length === 1 || t[1] === ' ')) bail();
  const hash = t.indexOf(' #');
  let s = hash >= 0 ? t.slice(0, hash) : t;
  s = s.trimEnd();
  if (s.includes(': ') || s.endsWith(':')) bail();
  return s;
}

// ---------------------------------------------------------------------------------------------
// The block parser
// ---------------------------------------------------------------------------------------------

/**
 * Where each key and item of a document starts, recorded only when a line is asked for
 * (fastLineLookup): container -> key or index -> 0-based line index in the reader's lines.
 */
type LineRecords = Map<object, Map<string, number> | number[]>;

class Reader {
  i: number;
  constructor(
    private readonly lines: string[],
    from: number,
    private readonly end: number,
    private readonly track?: LineRecords,
  ) {
    this.i = from;
  }

  /** Moves to the next content line; false at the end of the document. */
  /** Indentation of the current line, set by skip(). */
  n = 0;

  skip(): boolean {
    const lines = this.lines;
    for (; this.i < this.end; this.i++) {
      const s = lines[this.i];
      let k = 0;
      while (k < s.length && s.charCodeAt(k) === 32) k++;
      if (k < s.length && s.charCodeAt(k) !== 35 /* # */) {
        this.n = k;
        return true;
      }
    }
    return false;
  }

  // The structural methods read a line from a column (`line`, `from`): no copy of the text per line.

  /** A node whose first line is `line`, its text starting at column `ind`. */
  node(ind: number, line: string): unknown {
    if (isDashAt(line, ind)) return this.seq(ind, line, ind);
    const key = this.key(line, ind);
    if (key !== undefined) return this.map(ind, line, key);
    return bail(); // a bare scalar document, a multi-line scalar, ...
  }

  /** A block sequence at indentation `ind` whose first `-` is at `line[from]`. */
  seq(ind: number, line: string, from: number): unknown[] {
    const out: unknown[] = [];
    const at = this.track ? ([] as number[]) : undefined;
    if (at) this.track!.set(out, at);
    for (;;) {
      let k = from + 1;
      while (k < line.length && line.charCodeAt(k) === 32) k++;
      if (k >= line.length || line.charCodeAt(k) === 35) {
        this.i++;
        if (at) {
          // The item starts where its nested block does; an empty item (null) has no such line:
          // the caller asks the full parser then.
          const more = this.skip();
          at.push(more ? this.i : -1);
        }
        const item = this.nested(ind, false);
        if (at && item === null) at[at.length - 1] = -1;
        out.push(item);
      } else {
        if (at) at.push(this.i);
        const col = ind + (k - from);
        if (isDashAt(line, k)) out.push(this.seq(col, line, k));
        else {
          const key = this.key(line, k);
          if (key !== undefined) out.push(this.map(col, line, key));
          else out.push(this.inline(line.slice(k), ind));
        }
      }
      if (!this.skip()) return out;
      line = this.lines[this.i];
      const n = this.n;
      if (n < ind) return out;
      if (n > ind) bail();
      if (!isDashAt(line, n)) return out; // the parent mapping's next key
      from = n;
    }
  }

  /** Index in its line just after the `:` of the key `key()` last read. */
  after = 0;

  /** A block mapping at indentation `ind`; its first key, `name`, was just read from `line`. */
  map(ind: number, line: string, name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const at = this.track ? new Map<string, number>() : undefined;
    if (at) this.track!.set(out, at);
    for (;;) {
      if (name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) bail();
      at?.set(name, this.i);
      let k = this.after;
      while (k < line.length && line.charCodeAt(k) === 32) k++;
      if (k >= line.length || line.charCodeAt(k) === 35) {
        this.i++;
        out[name] = this.nested(ind, true);
      } else out[name] = this.inline(line.slice(k), ind);
      if (!this.skip()) return out;
      line = this.lines[this.i];
      const n = this.n;
      if (n < ind) return out;
      if (n > ind) bail();
      const next = this.key(line, n);
      if (next === undefined) bail();
      name = next!;
    }
  }

  /** The value under a `key:` or `-` with nothing after it: a nested block, or null. */
  nested(ind: number, inMap: boolean): unknown {
    if (!this.skip()) return null;
    const line = this.lines[this.i];
    const n = this.n;
    if (n > ind) return this.node(n, line);
    if (n === ind && inMap && isDashAt(line, n)) return this.seq(n, line, n);
    return null;
  }

  /**
   * A mapping key at `line[from]` (and `this.after`: the index just after its `:`), or
   * undefined when the line is not a `key:` entry there.
   */
  key(line: string, from: number): string | undefined {
    const c = line.charCodeAt(from);
    if (c === 34 || c === 39) {
      const [value, end] = c === 34 ? readDouble(line, from) : readSingle(line, from);
      if (end >= line.length || line.charCodeAt(end) !== 58) return undefined; // a quoted scalar, not a key
      if (end + 1 < line.length && line.charCodeAt(end + 1) !== 32) bail();
      this.after = end + 1;
      return value;
    }
    let idx = line.indexOf(':', from);
    while (idx >= 0 && idx + 1 < line.length && line.charCodeAt(idx + 1) !== 32) idx = line.indexOf(':', idx + 1);
    if (idx < 0) return undefined;
    const raw = line.slice(from, idx);
    if (raw === '' || raw.includes(' #') || raw.endsWith(' ') || INDICATOR.has(raw[0])) bail();
    if (raw[0] === '-' && (raw.length === 1 || raw[1] === ' ')) bail();
    const v = resolvePlain(raw, true);
    if (typeof v !== 'string') bail();
    this.after = idx + 1;
    return v as string;
  }

  /** A value on the line of its key or dash; block scalars read the following lines. */
  inline(t: string, ind: number): unknown {
    const c = t.charCodeAt(0);
    if (c === 34 || c === 39) {
      const [value, end] = c === 34 ? readDouble(t, 0) : readSingle(t, 0);
      if (!TAIL_OK.test(t.slice(end))) bail();
      this.i++;
      return value;
    }
    if (c === 124 /* | */) return this.literal(t, ind);
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const value = flow(t);
      this.i++;
      return value;
    }
    const value = resolvePlain(this.plainLines(t, ind), false);
    this.i++;
    return value;
  }

  /**
   * A plain scalar from its first line `t` and the more-indented lines that continue it, folded
   * with single spaces (how kubectl and other Go YAML writers wrap long strings). Anything that
   * could end or break such a scalar - a comment, a blank line, `: ` - ends it here or bails; the
   * caller then sees any leftover indented line and bails.
   */
  plainLines(t: string, ind: number): string {
    const first = plainText(t);
    const next = this.i + 1;
    if (next >= this.end) return first;
    let line = this.lines[next];
    let n = indentOf(line);
    if (n === line.length || n <= ind || line.charCodeAt(n) === 35) return first;
    if (t.includes(' #')) bail(); // a comment cannot be followed by more of the scalar
    const parts = [first];
    let j = next;
    for (; j < this.end; j++) {
      line = this.lines[j];
      n = indentOf(line);
      if (n === line.length || n <= ind || line.charCodeAt(n) === 35) break;
      const text = line.slice(n).trimEnd();
      // Indicators do not start anything here (`> 0` continues a query), but `: ` and ` #` would.
      if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) bail();
      parts.push(text);
    }
    this.i = j - 1;
    return parts.join(' ');
  }

  /** `|` or `|-` block scalar, header `t`, owned by a node at indentation `ind`. */
  literal(t: string, ind: number): string {
    const hash = t.indexOf(' #');
    const header = (hash >= 0 ? t.slice(0, hash) : t).trimEnd();
    if (header !== '|' && header !== '|-') bail();
    const first = this.i + 1;
    if (first >= this.end) bail();
    const firstLine = this.lines[first];
    const blockIndent = indentOf(firstLine);
    if (blockIndent === firstLine.length || blockIndent <= ind) bail(); // leading blank line, empty scalar
    const parts: string[] = [];
    let j = first;
    let lastContent = first;
    for (; j < this.end; j++) {
      const line = this.lines[j];
      const n = indentOf(line);
      if (n === line.length) {
        if (n > blockIndent) bail();
        parts.push('');
        continue;
      }
      if (n < blockIndent) break;
      parts.push(line.slice(blockIndent));
      lastContent = j;
    }
    parts.length = lastContent - first + 1; // trailing blank lines: clipped or stripped
    this.i = lastContent + 1;
    const body = parts.join('\n');
    return header === '|' ? body + '\n' : body;
  }
}

/** `{}`, `[]` or a one-line flow sequence of scalars, followed by nothing or a comment. */
function flow(t: string): unknown {
  if (t.startsWith('{}')) {
    if (!TAIL_OK.test(t.slice(2))) bail();
    return {};
  }
  if (t[0] !== '[') return bail();
  const out: unknown[] = [];
  let i = 1;
  const spaces = () => {
    while (i < t.length && t.charCodeAt(i) === 32) i++;
  };
  spaces();
  if (t[i] === ']') {
    if (!TAIL_OK.test(t.slice(i + 1))) bail();
    return out;
  }
  for (;;) {
    spaces();
    const c = i < t.length ? t.charCodeAt(i) : -1;
    if (c === 34 || c === 39) {
      const [value, end] = c === 34 ? readDouble(t, i) : readSingle(t, i);
      out.push(value);
      i = end;
    } else {
      let j = i;
      while (j < t.length && !',[]{}#:'.includes(t[j])) j++;
      const s = t.slice(i, j).trimEnd();
      if (s === '' || INDICATOR.has(s[0]) || s[0] === '-' && (s.length === 1 || s[1] === ' ')) bail();
      out.push(resolvePlain(s, false));
      i = j;
    }
    spaces();
    if (t[i] === ',') {
      i++;
      spaces();
      if (t[i] === ']') bail(); // trailing comma: leave it to the full parser
      continue;
    }
    if (t[i] === ']') {
      if (!TAIL_OK.test(t.slice(i + 1))) bail();
      return out;
    }
    return bail();
  }
}

/** A line that separates documents: `---`, optionally followed by a comment. */
const isMarker = (line: string) => line.startsWith('---') && (line.length === 3 || TAIL_OK.test(line.slice(3)) && line[3] === ' ');

/** GITOPS_SCAFFOLD_FAST_YAML=0 turns the fast path off everywhere (to compare, or to rule it out). */
const FAST_YAML = process.env.GITOPS_SCAFFOLD_FAST_YAML !== '0';

/**
 * The documents of `content` as the `yaml` library's parseAllDocuments + toJS would give them,
 * or undefined when the text is outside the subset (the caller then uses the full parser).
 */
export function fastParseDocuments(content: string): FastDocument[] | undefined {
  if (!FAST_YAML || UNSUPPORTED_CHARS.test(content)) return undefined;
  const lead = /^[ \n]*/.exec(content)![0].length;
  if (content[lead] === '{' || content[lead] === '[') return fastJson(content, lead);
  const lines = content.split('\n');
  // Segments: [from, to) line ranges and their text offsets; the prelude counts only if it has content.
  const segments: { from: number; to: number; start: number; end: number; explicit: boolean }[] = [];
  let from = 0;
  let fromOffset = 0;
  let explicit = false;
  let off = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const c = line.length ? line.charCodeAt(0) : -1;
    if (c === 37 /* % */) return undefined;
    if (c === 46 /* . */ && line.startsWith('...')) return undefined;
    if (c === 45 /* - */ && line.startsWith('---')) {
      if (!isMarker(line)) return undefined;
      segments.push({ from, to: i, start: fromOffset, end: off, explicit });
      from = i + 1;
      fromOffset = Math.min(off + line.length + 1, content.length);
      explicit = true;
    }
    off += line.length + 1;
  }
  segments.push({ from, to: lines.length, start: fromOffset, end: content.length, explicit });
  const docs: FastDocument[] = [];
  try {
    for (const seg of segments) {
      const reader = new Reader(lines, seg.from, seg.to);
      const has = reader.skip();
      if (!has && !seg.explicit) continue;
      const { start, end } = seg;
      if (!has) {
        docs.push({ value: null, line: 0, start, end, startLine: seg.from + 1 });
        continue;
      }
      const first = reader.i;
      const line = lines[first];
      const n = indentOf(line);
      const value = reader.node(n, line);
      if (reader.skip()) return undefined; // something left (less-indented text after an indented root)
      docs.push({ value, line: first + 1, start, end, startLine: seg.from + 1 });
    }
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// JSON files (a flow collection as the whole document): strings, simple scalars, nesting.
// ---------------------------------------------------------------------------------------------

/** A JSON-style document; the same typing and the same bail-outs as the block reader. */
function fastJson(content: string, lead: number, track?: LineRecords): FastDocument[] | undefined {
  let i = lead;
  /** 0-based line at `i`, counted only when tracking (only white space crosses lines). */
  let line = 0;
  const ws = () => {
    for (;;) {
      const c = i < content.length ? content.charCodeAt(i) : -1;
      if (c === 32) i++;
      else if (c === 10) {
        i++;
        line++;
      } else return;
    }
  };
  const scalarEnd = /[ \n,\]}]/g;
  /** A one-line double-quoted string. */
  const readJsonString = (at: number): [string, number] => {
    const r = readDouble(content, at);
    const nl = content.indexOf('\n', at);
    if (nl >= 0 && nl < r[1]) bail();
    return r;
  };
  /** After an item of an object or array: true at `,` (another item follows), false at `close`. */
  const moreItems = (close: '}' | ']'): boolean => {
    ws();
    const c = content[i++];
    if (c === ',') return true;
    if (c === close) return false;
    return bail();
  };
  const value = (): unknown => {
    ws();
    const c = content[i];
    if (c === '"') {
      const [v, end] = readJsonString(i);
      i = end;
      return v;
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      const at = track ? new Map<string, number>() : undefined;
      if (at) track!.set(out, at);
      ws();
      if (content[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (content[i] !== '"') bail();
        const [k, end] = readJsonString(i);
        if (at && !at.has(k)) at.set(k, line);
        if (end - i > 1000) bail(); // YAML's 1024-character limit on implicit keys
        i = end;
        if (content[i] !== ':') bail();
        i++;
        if (k === '__proto__' || Object.prototype.hasOwnProperty.call(out, k)) bail();
        out[k] = value();
        if (!moreItems('}')) return out;
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      const at = track ? ([] as number[]) : undefined;
      if (at) track!.set(out, at);
      ws();
      if (content[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        if (at) {
          ws();
          at.push(line);
        }
        out.push(value());
        if (!moreItems(']')) return out;
      }
    }
    // true, false, null, integers: typed like plain scalars; anything else is left to yaml.
    scalarEnd.lastIndex = i;
    const m = scalarEnd.exec(content);
    const end = m ? m.index : content.length;
    const s = content.slice(i, end);
    if (!/^(?:true|false|null|-?(?:0|[1-9][0-9]{0,14}))$/.test(s)) bail();
    i = end;
    return resolvePlain(s, false);
  };
  try {
    const v = value();
    ws();
    if (i !== content.length) return undefined;
    const line = content.slice(0, lead).split('\n').length;
    return [{ value: v, line, start: 0, end: content.length, startLine: 1 }];
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Line numbers: the same reading again, recording where each key and item starts
// ---------------------------------------------------------------------------------------------

/** What a line lookup answers when only the full parser knows (an empty sequence item). */
export const UNSURE_LINE = -1;

/**
 * The line of the field a JSON pointer names in the document fastParseDocuments read at
 * [start, end) of `content` (1-based line `startLine` at `start`, first content line `line`),
 * the nearest existing ancestor's when it is missing: what parse.ts's lookup over the `yaml`
 * library's AST answers (test/validate/line-index.test.ts holds them equal), for a fraction of
 * its cost. UNSURE_LINE where it cannot say; undefined when the text is not this reader's.
 */
export function fastLineLookup(content: string, doc: Pick<FastDocument, 'start' | 'end' | 'startLine' | 'line'>): ((pointer: string) => number) | undefined {
  const track: LineRecords = new Map();
  let value: unknown;
  let base: number;
  try {
    const lead = /^[ \n]*/.exec(content)![0].length;
    if (doc.start === 0 && doc.end === content.length && (content[lead] === '{' || content[lead] === '[')) {
      const docs = fastJson(content, lead, track);
      if (!docs) return undefined;
      value = docs[0].value;
      base = 1;
    } else {
      const lines = content.slice(doc.start, doc.end).split('\n');
      const reader = new Reader(lines, 0, lines.length, track);
      if (!reader.skip()) return undefined;
      const first = lines[reader.i];
      const n = indentOf(first);
      value = reader.node(n, first);
      base = doc.startLine;
    }
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
  return (pointer) => {
    let node = value;
    let line = doc.line;
    if (!pointer) return line;
    for (const raw of pointer.split('/').slice(1)) {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      const at = node !== null && typeof node === 'object' ? track.get(node) : undefined;
      // A flow collection (`{}`, `[a, b]`) sits on one line: its items are on the line it is on.
      if (!at) return line;
      if (Array.isArray(at)) {
        const idx = Number(seg);
        const l = at[idx];
        if (l === undefined) return line;
        if (l < 0) return UNSURE_LINE;
        line = base + l;
        node = (node as unknown[])[idx];
      } else {
        const l = at.get(seg);
        if (l === undefined) return line;
        line = base + l;
        node = (node as Record<string, unknown>)[seg];
      }
    }
    return line;
  };
}
