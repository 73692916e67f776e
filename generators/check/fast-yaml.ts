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
// Lexical helpers. The reader works on the whole text by offsets: a table of line starts, no
// string per line, and a string made only for a key or value it returns (keys and one-line
// plain values mostly come from the slot caches below without one).
// ---------------------------------------------------------------------------------------------

/** Tabs, CR, BOM, C0/C1 controls and YAML 1.1 line breaks: left to the full parser. */
const UNSUPPORTED_CHARS = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

/** `-` entry start at `s[i]` (its line ends at `e`): `-` ending the line or `- `. */
const isDash = (s: string, i: number, e: number) => i < e && s.charCodeAt(i) === 45 && (i + 1 === e || s.charCodeAt(i + 1) === 32);
/** What may follow a quoted scalar or flow collection on its line ([p, e)): nothing, or a comment (`/^(?: +#.*| *)$/`). */
function tailOk(s: string, p: number, e: number): boolean {
  const q = p;
  while (p < e && s.charCodeAt(p) === 32) p++;
  return p === e || (p > q && s.charCodeAt(p) === 35);
}
/** Characters a plain scalar may not start with (YAML c-indicators), except `-` handled apart. */
const INDICATOR = new Set('?:,[]{}#&*!|>\'"%@`');
const isIndicator = (c: number) => c < 128 && INDICATOR_CODES[c] === 1;
const INDICATOR_CODES = new Uint8Array(128);
for (const ch of INDICATOR) INDICATOR_CODES[ch.charCodeAt(0)] = 1;

/** End (just past the closing quote) of the quoted scalar readDouble / readSingle last read. */
let quotedEnd = 0;

/** Double-quoted scalar starting at s[from] (the quote), ending before `e`; only the simple escapes. */
function readDouble(s: string, from: number, e: number): string {
  let out = '';
  let run = from + 1;
  for (let i = from + 1; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      quotedEnd = i + 1;
      return run === from + 1 ? s.slice(run, i) : out + s.slice(run, i);
    }
    if (c === 92) {
      out += s.slice(run, i);
      const x = i + 1 < e ? s.charCodeAt(i + 1) : -1;
      if (x === 34 || x === 92) out += x === 34 ? '"' : '\\';
      else if (x === 110) out += '\n';
      else if (x === 116) out += '\t';
      else bail();
      i++;
      run = i + 1;
    }
  }
  return bail(); // multi-line or unterminated
}

/** Single-quoted scalar starting at s[from], ending before `e`. */
function readSingle(s: string, from: number, e: number): string {
  let out = '';
  let run = from + 1;
  for (let i = from + 1; i < e; i++) {
    if (s.charCodeAt(i) === 39) {
      if (i + 1 < e && s.charCodeAt(i + 1) === 39) {
        out += s.slice(run, i + 1);
        i++;
        run = i + 1;
        continue;
      }
      quotedEnd = i + 1;
      return run === from + 1 ? s.slice(run, i) : out + s.slice(run, i);
    }
  }
  return bail();
}

// Slot caches of keys and one-line plain values: the text's characters hashed to a slot that
// holds the last such text read there (and its typed value). A hit is the very same characters
// (length and text compared), so it gives what reading them again would: the value without
// making a string, and the same string for the same text in every resource. Bounded; entries
// are only ever written after the text passed every check (a text that bails is not kept).
const SLOTS = 1 << 12;
const keySlots: (string | undefined)[] = new Array(SLOTS).fill(undefined);
const valueTexts: (string | undefined)[] = new Array(SLOTS).fill(undefined);
const valueValues: unknown[] = new Array(SLOTS).fill(undefined);
/** Slot of a text of `length` characters whose hash (h = h * 31 + c, 32-bit) is `h`. */
const slotOf = (h: number, length: number) => ((h ^ (h >>> 13) ^ Math.imul(length, 0x9e3779b1)) >>> 0) & (SLOTS - 1);
/** The text at s[from, from + t.length) is `t`. */
const textAt = (s: string, from: number, t: string) => s.startsWith(t, from);

/** For tests: the slot a text lands in (to build texts that share one). */
export function slotForTest(t: string): number {
  let h = 0;
  for (let i = 0; i < t.length; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0;
  return slotOf(h, t.length);
}
/** For tests: the slot caches emptied. */
export function clearSlotsForTest(): void {
  keySlots.fill(undefined);
  valueTexts.fill(undefined);
  valueValues.fill(undefined);
}

// ---------------------------------------------------------------------------------------------
// The block parser
// ---------------------------------------------------------------------------------------------

/**
 * Where each key and item of a document starts, recorded only when a line is asked for
 * (fastLineLookup): container -> key or index -> 0-based line index in the reader's lines.
 */
type LineRecords = Map<object, Map<string, number> | number[]>;

/**
 * Line starts of s[from, to): entry i is where line i starts, one more entry past the last line
 * (to + 1), so line i is s[ls[i], ls[i + 1] - 1) as `s.slice(from, to).split('\n')` would cut it.
 * Written into `into` when it is large enough (the parse's reused table); `lineCount` is set.
 */
let lineCount = 0;
function lineStarts(s: string, from: number, to: number, into?: Int32Array): Int32Array {
  let ls = into ?? new Int32Array(64);
  let n = 0;
  let p = from;
  for (;;) {
    if (n + 2 > ls.length) {
      const bigger = new Int32Array(ls.length * 2);
      bigger.set(ls);
      ls = bigger;
    }
    ls[n++] = p;
    const nl = s.indexOf('\n', p);
    if (nl < 0 || nl >= to) break;
    p = nl + 1;
  }
  ls[n] = to + 1;
  lineCount = n;
  return ls;
}
/** The parse's line table, reused from file to file (fastParseDocuments does not nest). */
let parseLines: Int32Array = new Int32Array(1 << 12);

class Reader {
  i: number;
  /** Indentation of the current line, set by skip(). */
  n = 0;
  /** Offset just after the `:` of the key `key()` last read. */
  after = 0;

  constructor(
    private readonly s: string,
    /** Line starts (lineStarts). */
    private readonly ls: Int32Array,
    from: number,
    private readonly end: number,
    private readonly track?: LineRecords,
  ) {
    this.i = from;
  }

  /** Moves to the next content line; false at the end of the document. */
  skip(): boolean {
    const s = this.s;
    const ls = this.ls;
    for (; this.i < this.end; this.i++) {
      const a = ls[this.i];
      const e = ls[this.i + 1] - 1;
      let k = a;
      while (k < e && s.charCodeAt(k) === 32) k++;
      if (k < e && s.charCodeAt(k) !== 35 /* # */) {
        this.n = k - a;
        return true;
      }
    }
    return false;
  }

  // The structural methods read the current line [a, e) from an offset: no copy of the text per line.

  /** A node whose first line is [a, e), its text starting at column `ind`. */
  node(ind: number, a: number, e: number): unknown {
    const p = a + ind;
    if (isDash(this.s, p, e)) return this.seq(ind, a, e, p);
    const key = this.key(p, e);
    if (key !== undefined) return this.map(ind, e, key);
    return bail(); // a bare scalar document, a multi-line scalar, ...
  }

  /** A block sequence at indentation `ind` whose first `-` is at s[from] on the line [a, e). */
  seq(ind: number, a: number, e: number, from: number): unknown[] {
    const s = this.s;
    const out: unknown[] = [];
    const at = this.track ? ([] as number[]) : undefined;
    if (at) this.track!.set(out, at);
    for (;;) {
      let k = from + 1;
      while (k < e && s.charCodeAt(k) === 32) k++;
      if (k >= e || s.charCodeAt(k) === 35) {
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
        const col = k - a;
        if (isDash(s, k, e)) out.push(this.seq(col, a, e, k));
        else {
          const key = this.key(k, e);
          if (key !== undefined) out.push(this.map(col, e, key));
          else out.push(this.inline(k, e, ind));
        }
      }
      if (!this.skip()) return out;
      a = this.ls[this.i];
      e = this.ls[this.i + 1] - 1;
      const n = this.n;
      if (n < ind) return out;
      if (n > ind) bail();
      if (!isDash(s, a + n, e)) return out; // the parent mapping's next key
      from = a + n;
    }
  }

  /** A block mapping at indentation `ind`; its first key, `name`, was just read from the line ending at `e`. */
  map(ind: number, e: number, name: string): Record<string, unknown> {
    const s = this.s;
    const out: Record<string, unknown> = {};
    const at = this.track ? new Map<string, number>() : undefined;
    if (at) this.track!.set(out, at);
    for (;;) {
      if (name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) bail();
      at?.set(name, this.i);
      let k = this.after;
      while (k < e && s.charCodeAt(k) === 32) k++;
      if (k >= e || s.charCodeAt(k) === 35) {
        this.i++;
        out[name] = this.nested(ind, true);
      } else out[name] = this.inline(k, e, ind);
      if (!this.skip()) return out;
      const a = this.ls[this.i];
      e = this.ls[this.i + 1] - 1;
      const n = this.n;
      if (n < ind) return out;
      if (n > ind) bail();
      const next = this.key(a + n, e);
      if (next === undefined) bail();
      name = next!;
    }
  }

  /** The value under a `key:` or `-` with nothing after it: a nested block, or null. */
  nested(ind: number, inMap: boolean): unknown {
    if (!this.skip()) return null;
    const a = this.ls[this.i];
    const e = this.ls[this.i + 1] - 1;
    const n = this.n;
    if (n > ind) return this.node(n, a, e);
    if (n === ind && inMap && isDash(this.s, a + n, e)) return this.seq(n, a, e, a + n);
    return null;
  }

  /**
   * A mapping key at s[from] on a line ending at `e` (and `this.after`: the offset just after
   * its `:`), or undefined when the line is not a `key:` entry there.
   */
  key(from: number, e: number): string | undefined {
    const s = this.s;
    const c = s.charCodeAt(from);
    if (c === 34 || c === 39) {
      const value = c === 34 ? readDouble(s, from, e) : readSingle(s, from, e);
      const end = quotedEnd;
      if (end >= e || s.charCodeAt(end) !== 58) return undefined; // a quoted scalar, not a key
      if (end + 1 < e && s.charCodeAt(end + 1) !== 32) bail();
      this.after = end + 1;
      return value;
    }
    // The key ends at the first `:` followed by a space or the line's end.
    let h = 0;
    let k = from;
    for (; k < e; k++) {
      const ch = s.charCodeAt(k);
      if (ch === 58 && (k + 1 === e || s.charCodeAt(k + 1) === 32)) break;
      h = (Math.imul(h, 31) + ch) | 0;
    }
    if (k >= e) return undefined;
    this.after = k + 1;
    const slot = slotOf(h, k - from);
    const known = keySlots[slot];
    if (known !== undefined && known.length === k - from && textAt(s, from, known)) return known;
    const raw = s.slice(from, k);
    if (raw === '' || raw.includes(' #') || raw.endsWith(' ') || INDICATOR.has(raw[0])) bail();
    if (raw[0] === '-' && (raw.length === 1 || raw[1] === ' ')) bail();
    const v = resolvePlain(raw, true);
    if (typeof v !== 'string') bail();
    keySlots[slot] = v as string;
    return v as string;
  }

  /** A value at s[k] on the line of its key or dash (ending at `e`); block scalars read the following lines. */
  inline(k: number, e: number, ind: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(k);
    if (c === 34 || c === 39) {
      const value = c === 34 ? readDouble(s, k, e) : readSingle(s, k, e);
      if (!tailOk(s, quotedEnd, e)) bail();
      this.i++;
      return value;
    }
    if (c === 124 /* | */) return this.literal(k, e, ind);
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const value = flow(s, k, e);
      this.i++;
      return value;
    }
    const value = this.plain(k, e, ind);
    this.i++;
    return value;
  }

  /**
   * A plain scalar from its first line s[k, e) and the more-indented lines that continue it,
   * folded with single spaces (how kubectl and other Go YAML writers wrap long strings). Anything
   * that could end or break such a scalar - a comment, a blank line, `: ` - ends it here or
   * bails; the caller then sees any leftover indented line and bails.
   */
  plain(k: number, e: number, ind: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(k);
    if (isIndicator(c)) bail();
    if (c === 45 && (k + 1 === e || s.charCodeAt(k + 1) === 32)) bail();
    // One pass: the text up to a ` #` comment, its trailing spaces cut, its hash; a `: ` in it
    // (or a `:` at its end) would make it a mapping.
    let h = 0;
    let last = k - 1; // last character that is not a space
    let hLast = 0;
    let comment = false;
    let prev = -1;
    for (let j = k; j < e; j++) {
      const ch = s.charCodeAt(j);
      if (ch === 32) {
        if (prev === 58) bail(); // `: `
      } else {
        if (ch === 35 && prev === 32) {
          comment = true;
          break;
        }
        last = j;
      }
      h = (Math.imul(h, 31) + ch) | 0;
      if (ch !== 32) hLast = h;
      prev = ch;
    }
    const stop = last + 1;
    if (s.charCodeAt(last) === 58) bail(); // ends with `:`
    // More-indented lines that are not comments continue it.
    const next = this.i + 1;
    if (next < this.end) {
      const a = this.ls[next];
      const le = this.ls[next + 1] - 1;
      let n = a;
      while (n < le && s.charCodeAt(n) === 32) n++;
      if (!(n === le || n - a <= ind || s.charCodeAt(n) === 35)) {
        if (comment) bail(); // a comment cannot be followed by more of the scalar
        return resolvePlain(this.continued(s.slice(k, stop), ind), false);
      }
    }
    const slot = slotOf(hLast, stop - k);
    const known = valueTexts[slot];
    if (known !== undefined && known.length === stop - k && textAt(s, k, known)) return valueValues[slot];
    const text = s.slice(k, stop);
    const v = resolvePlain(text, false);
    valueTexts[slot] = text;
    valueValues[slot] = v;
    return v;
  }

  /** The lines after the current one that continue the plain scalar `first`, folded; moves past them. */
  continued(first: string, ind: number): string {
    const s = this.s;
    const parts = [first];
    let j = this.i + 1;
    for (; j < this.end; j++) {
      const a = this.ls[j];
      const e = this.ls[j + 1] - 1;
      let n = a;
      while (n < e && s.charCodeAt(n) === 32) n++;
      if (n === e || n - a <= ind || s.charCodeAt(n) === 35) break;
      let stop = e;
      while (s.charCodeAt(stop - 1) === 32) stop--;
      const text = s.slice(n, stop);
      // Indicators do not start anything here (`> 0` continues a query), but `: ` and ` #` would.
      if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) bail();
      parts.push(text);
    }
    this.i = j - 1;
    return parts.join(' ');
  }

  /** `|` or `|-` block scalar, header at s[k, e), owned by a node at indentation `ind`. */
  literal(k: number, e: number, ind: number): string {
    const s = this.s;
    let p = k + 1;
    const strip = p < e && s.charCodeAt(p) === 45;
    if (strip) p++;
    if (!tailOk(s, p, e)) bail();
    const first = this.i + 1;
    if (first >= this.end) bail();
    const ls = this.ls;
    const fa = ls[first];
    const fe = ls[first + 1] - 1;
    let blockIndent = 0;
    while (fa + blockIndent < fe && s.charCodeAt(fa + blockIndent) === 32) blockIndent++;
    if (fa + blockIndent === fe || blockIndent <= ind) bail(); // leading blank line, empty scalar
    const parts: string[] = [];
    let j = first;
    let lastContent = first;
    for (; j < this.end; j++) {
      const a = ls[j];
      const le = ls[j + 1] - 1;
      let n = a;
      while (n < le && s.charCodeAt(n) === 32) n++;
      if (n === le) {
        if (n - a > blockIndent) bail();
        parts.push('');
        continue;
      }
      if (n - a < blockIndent) break;
      parts.push(s.slice(a + blockIndent, le));
      lastContent = j;
    }
    parts.length = lastContent - first + 1; // trailing blank lines: clipped or stripped
    this.i = lastContent + 1;
    const body = parts.length === 1 ? parts[0] : parts.join('\n');
    return strip ? body : body + '\n';
  }
}

/** `{}`, `[]` or a one-line flow sequence of scalars at t[k, e), followed by nothing or a comment. */
function flow(t: string, k: number, e: number): unknown {
  if (t.charCodeAt(k) === 123) {
    if (k + 1 >= e || t.charCodeAt(k + 1) !== 125 || !tailOk(t, k + 2, e)) bail();
    return {};
  }
  const out: unknown[] = [];
  let i = k + 1;
  const spaces = () => {
    while (i < e && t.charCodeAt(i) === 32) i++;
  };
  spaces();
  if (i < e && t.charCodeAt(i) === 93) {
    if (!tailOk(t, i + 1, e)) bail();
    return out;
  }
  for (;;) {
    spaces();
    const c = i < e ? t.charCodeAt(i) : -1;
    if (c === 34 || c === 39) {
      out.push(c === 34 ? readDouble(t, i, e) : readSingle(t, i, e));
      i = quotedEnd;
    } else {
      let j = i;
      while (j < e && !FLOW_STOP.has(t[j])) j++;
      let stop = j;
      while (stop > i && t.charCodeAt(stop - 1) === 32) stop--;
      const s = t.slice(i, stop);
      if (s === '' || INDICATOR.has(s[0]) || s[0] === '-' && (s.length === 1 || s[1] === ' ')) bail();
      out.push(resolvePlain(s, false));
      i = j;
    }
    spaces();
    const d = i < e ? t.charCodeAt(i) : -1;
    if (d === 44 /* , */) {
      i++;
      spaces();
      if (i < e && t.charCodeAt(i) === 93) bail(); // trailing comma: leave it to the full parser
      continue;
    }
    if (d === 93 /* ] */) {
      if (!tailOk(t, i + 1, e)) bail();
      return out;
    }
    return bail();
  }
}
/** What ends a plain scalar in a flow sequence (or makes it one the reader leaves to the full parser). */
const FLOW_STOP = new Set(',[]{}#:');

/** A line s[a, e) that separates documents: `---`, optionally followed by a comment (the caller saw `---`). */
const isMarker = (s: string, a: number, e: number) => e === a + 3 || (s.charCodeAt(a + 3) === 32 && tailOk(s, a + 3, e));

/** GITOPS_SCAFFOLD_FAST_YAML=0 turns the fast path off everywhere (to compare, or to rule it out). */
const FAST_YAML = process.env.GITOPS_SCAFFOLD_FAST_YAML !== '0';

/** Leading spaces and line ends of `content`. */
function leadOf(content: string): number {
  let i = 0;
  for (; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c !== 32 && c !== 10) break;
  }
  return i;
}

/**
 * The documents of `content` as the `yaml` library's parseAllDocuments + toJS would give them,
 * or undefined when the text is outside the subset (the caller then uses the full parser).
 */
export function fastParseDocuments(content: string): FastDocument[] | undefined {
  if (!FAST_YAML || UNSUPPORTED_CHARS.test(content)) return undefined;
  const lead = leadOf(content);
  const c0 = lead < content.length ? content.charCodeAt(lead) : -1;
  if (c0 === 123 /* { */ || c0 === 91 /* [ */) return fastJson(content, lead);
  const ls = (parseLines = lineStarts(content, 0, content.length, parseLines));
  const lines = lineCount;
  // Segments: [from, to) line ranges; the prelude counts only if it has content.
  const docs: FastDocument[] = [];
  let from = 0;
  let explicit = false;
  try {
    for (let i = 0; i <= lines; i++) {
      if (i < lines) {
        const a = ls[i];
        const e = ls[i + 1] - 1;
        const c = a < e ? content.charCodeAt(a) : -1;
        if (c === 37 /* % */) return undefined;
        if (c === 46 /* . */ && content.startsWith('...', a)) return undefined;
        if (c !== 45 /* - */ || !content.startsWith('---', a)) continue;
        if (!isMarker(content, a, e)) return undefined;
      }
      // The segment [from, i): its text from the line after the marker before it to this marker's line.
      const start = Math.min(ls[from], content.length);
      const end = i < lines ? ls[i] : content.length;
      const segFrom = from;
      const segExplicit = explicit;
      from = i + 1;
      explicit = true;
      const reader = new Reader(content, ls, segFrom, i);
      const has = reader.skip();
      if (!has && !segExplicit) continue;
      if (!has) {
        docs.push({ value: null, line: 0, start, end, startLine: segFrom + 1 });
        continue;
      }
      const first = reader.i;
      const value = reader.node(reader.n, ls[first], ls[first + 1] - 1);
      if (reader.skip()) return undefined; // something left (less-indented text after an indented root)
      docs.push({ value, line: first + 1, start, end, startLine: segFrom + 1 });
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
    const v = readDouble(content, at, content.length);
    const end = quotedEnd;
    const nl = content.indexOf('\n', at);
    if (nl >= 0 && nl < end) bail();
    return [v, end];
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
    const lead = leadOf(content);
    if (doc.start === 0 && doc.end === content.length && (content[lead] === '{' || content[lead] === '[')) {
      const docs = fastJson(content, lead, track);
      if (!docs) return undefined;
      value = docs[0].value;
      base = 1;
    } else {
      // The document's own lines (line 0 at its start), read as the parse read them.
      const ls = lineStarts(content, doc.start, doc.end);
      const reader = new Reader(content, ls, 0, lineCount, track);
      if (!reader.skip()) return undefined;
      const first = reader.i;
      value = reader.node(reader.n, ls[first], ls[first + 1] - 1);
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
