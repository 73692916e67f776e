// sprig v3.3.0 string, encoding, path and regex functions (strings.go, functions.go, regex.go),
// with the Go parameter types that decide which arguments text/template accepts.
import { createHash } from 'node:crypto';
import { quote as goQuote, sprintf } from '../go/fmt.ts';
import * as gopath from '../go/path.ts';
import { GoRegexp, RegexpSyntaxError, quoteMeta } from '../go/regexp.ts';
import { fn, type FuncMap } from '../go/text-template/func.ts';
import { GoError, GoInt, byteLength, int, typed } from '../go/values.ts';
import { strslice, strval } from './convert.ts';

const S = 'string';
const I = 'int';
const ANY = 'interface {}';

const utf8 = (s: string) => new TextEncoder().encode(s);
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);

/** Byte slicing s[a:b] with Go's bounds panic. */
function sliceBytes(s: string, a: number, b?: number): string {
  const bytes = utf8(s);
  const end = b ?? bytes.length;
  if (a < 0 || end > bytes.length || a > end) throw new GoError(`runtime error: slice bounds out of range [${a}:${end}]`);
  return fromUtf8(bytes.slice(a, end));
}

const goSpace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

export const trimSpace = (s: string) => s.replace(new RegExp(`^${goSpace.source}+|${goSpace.source}+$`, 'gu'), '');

/** strings.Trim(s, cutset) */
function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a])) a++;
  while (b > a && set.has(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}

/** strings.Title: upper-cases the first letter of each word (words split at non-letters). */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const isSep = !/[\p{L}\p{Nd}_]/u.test(prev) && (prev.charCodeAt(0) < 0x80 || /\s/u.test(prev));
    out += isSep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function hexHash(alg: string, s: string): string {
  return createHash(alg).update(utf8(s)).digest('hex');
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of utf8(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function b64dec(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    const bad = [...s].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
    return `illegal base64 data at input byte ${bad >= 0 ? bad : Math.floor(s.length / 4) * 4}`;
  }
  return fromUtf8(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
}

function b64enc(s: string): string {
  let bin = '';
  for (const byte of utf8(s)) bin += String.fromCharCode(byte);
  return btoa(bin);
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function b32enc(s: string): string {
  const bytes = utf8(s);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

function b32dec(s: string): string {
  const clean = s.replace(/=+$/, '');
  if (s.length % 8 !== 0 || [...clean].some((c) => !B32.includes(c))) {
    const bad = [...s].findIndex((c) => !B32.includes(c) && c !== '=');
    return `illegal base32 data at input byte ${bad >= 0 ? bad : s.length}`;
  }
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    value = (value << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return fromUtf8(Uint8Array.from(out));
}

function compile(expr: string): GoRegexp {
  try {
    return new GoRegexp(expr);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw new GoError(e.message);
    throw e;
  }
}

/** regexp.MustCompile panics; text/template reports the panic value. */
function mustCompile(expr: string): GoRegexp {
  try {
    return new GoRegexp(expr);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw new GoError(`regexp: Compile(${goQuoteBacktick(expr)}): ${e.message}`);
    throw e;
  }
}

const goQuoteBacktick = (s: string) => (s.includes('`') ? goQuote(s) : '`' + s + '`');

const n = (v: GoInt) => Number(v.value);

export const sprigStrings: FuncMap = {
  hello: fn([], () => 'Hello!'),
  trim: fn([S], trimSpace),
  upper: fn([S], (s: string) => s.toUpperCase()),
  lower: fn([S], (s: string) => s.toLowerCase()),
  title: fn([S], title),
  substr: fn([I, I, S], (start: GoInt, end: GoInt, s: string) => {
    const a = n(start);
    const b = n(end);
    if (a < 0) return sliceBytes(s, 0, b);
    if (b < 0 || b > byteLength(s)) return sliceBytes(s, a);
    return sliceBytes(s, a, b);
  }),
  trunc: fn([I, S], (c: GoInt, s: string) => {
    const k = n(c);
    const len = byteLength(s);
    if (k < 0 && len + k > 0) return sliceBytes(s, len + k);
    if (k >= 0 && len > k) return sliceBytes(s, 0, k);
    return s;
  }),
  repeat: fn([I, S], (count: GoInt, s: string) => {
    if (n(count) < 0) throw new GoError('strings: negative Repeat count');
    return s.repeat(n(count));
  }),
  trimall: fn([S, S], (a: string, b: string) => trimCutset(b, a)),
  trimAll: fn([S, S], (a: string, b: string) => trimCutset(b, a)),
  trimSuffix: fn([S, S], (a: string, b: string) => (b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: fn([S, S], (a: string, b: string) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: fn([S], (s: string) => [...s].filter((c) => !goSpace.test(c)).join('')),
  contains: fn([S, S], (sub: string, s: string) => s.includes(sub)),
  hasPrefix: fn([S, S], (sub: string, s: string) => s.startsWith(sub)),
  hasSuffix: fn([S, S], (sub: string, s: string) => s.endsWith(sub)),
  quote: fn(['...' + ANY], (...xs: unknown[]) =>
    xs.filter((x) => x !== null && x !== undefined).map((x) => sprintf('%q', [strval(x)])).join(' '),
  ),
  squote: fn(['...' + ANY], (...xs: unknown[]) =>
    xs.filter((x) => x !== null && x !== undefined).map((x) => sprintf("'%v'", [x])).join(' '),
  ),
  cat: fn(['...' + ANY], (...xs: unknown[]) => {
    const v = xs.filter((x) => x !== null && x !== undefined);
    return sprintf('%v '.repeat(v.length).trim(), v);
  }),
  indent: fn([I, S], (spaces: GoInt, v: string) => {
    const pad = ' '.repeat(Math.max(n(spaces), 0));
    return pad + v.split('\n').join('\n' + pad);
  }),
  nindent: fn([I, S], (spaces: GoInt, v: string) => {
    const pad = ' '.repeat(Math.max(n(spaces), 0));
    return '\n' + pad + v.split('\n').join('\n' + pad);
  }),
  replace: fn([S, S, S], (old: string, nw: string, src: string) => goReplaceAll(src, old, nw)),
  plural: fn([S, S, I], (one: string, many: string, count: GoInt) => (count.value === 1n ? one : many)),
  sha1sum: fn([S], (s: string) => hexHash('sha1', s)),
  sha256sum: fn([S], (s: string) => hexHash('sha256', s)),
  sha512sum: fn([S], (s: string) => hexHash('sha512', s)),
  adler32sum: fn([S], (s: string) => String(adler32(s))),
  toString: fn([ANY], strval),
  toStrings: fn([ANY], strslice),
  join: fn([S, ANY], (sep: string, v: unknown) => strslice(v).join(sep)),
  split: fn([S, S], (sep: string, orig: string) => {
    const res: Record<string, string> = {};
    goSplit(orig, sep, -1).forEach((p, i) => (res['_' + i] = p));
    return typed(res, 'map[string]string');
  }),
  splitn: fn([S, I, S], (sep: string, count: GoInt, orig: string) => {
    const res: Record<string, string> = {};
    goSplit(orig, sep, n(count)).forEach((p, i) => (res['_' + i] = p));
    return typed(res, 'map[string]string');
  }),
  splitList: fn([S, S], (sep: string, orig: string) => typed(goSplit(orig, sep, -1), '[]string')),
  b64enc: fn([S], b64enc),
  b64dec: fn([S], b64dec),
  b32enc: fn([S], b32enc),
  b32dec: fn([S], b32dec),
  base: fn([S], gopath.base),
  dir: fn([S], gopath.dir),
  clean: fn([S], gopath.clean),
  ext: fn([S], gopath.ext),
  isAbs: fn([S], gopath.isAbs),
  osBase: fn([S], gopath.base),
  osClean: fn([S], gopath.clean),
  osDir: fn([S], gopath.dir),
  osExt: fn([S], gopath.ext),
  osIsAbs: fn([S], gopath.isAbs),
  regexMatch: fn([S, S], (re: string, s: string) => {
    try {
      return new GoRegexp(re).matchString(s);
    } catch (e) {
      if (e instanceof RegexpSyntaxError) return false;
      throw e;
    }
  }),
  mustRegexMatch: fn([S, S], (re: string, s: string) => compile(re).matchString(s)),
  regexFindAll: fn([S, S, I], (re: string, s: string, k: GoInt) => typed(mustCompile(re).findAllString(s, n(k)), '[]string')),
  mustRegexFindAll: fn([S, S, I], (re: string, s: string, k: GoInt) => typed(compile(re).findAllString(s, n(k)), '[]string')),
  regexFind: fn([S, S], (re: string, s: string) => mustCompile(re).findString(s)),
  mustRegexFind: fn([S, S], (re: string, s: string) => compile(re).findString(s)),
  regexReplaceAll: fn([S, S, S], (re: string, s: string, repl: string) => mustCompile(re).replaceAllString(s, repl)),
  mustRegexReplaceAll: fn([S, S, S], (re: string, s: string, repl: string) => compile(re).replaceAllString(s, repl)),
  regexReplaceAllLiteral: fn([S, S, S], (re: string, s: string, repl: string) => mustCompile(re).replaceAllLiteralString(s, repl)),
  mustRegexReplaceAllLiteral: fn([S, S, S], (re: string, s: string, repl: string) => compile(re).replaceAllLiteralString(s, repl)),
  regexSplit: fn([S, S, I], (re: string, s: string, k: GoInt) => typed(mustCompile(re).split(s, n(k)), '[]string')),
  mustRegexSplit: fn([S, S, I], (re: string, s: string, k: GoInt) => typed(compile(re).split(s, n(k)), '[]string')),
  regexQuoteMeta: fn([S], quoteMeta),
  atoi: fn([S], (s: string) => {
    // strconv.Atoi, errors ignored: 0.
    if (!/^[+-]?\d+$/.test(s)) return int(0);
    const v = BigInt(s);
    return v >= -(2n ** 63n) && v < 2n ** 63n ? int(v) : int(0);
  }),
};

/** strings.Split(s, sep) with n < 0, and SplitN semantics otherwise (Go splits "" on "" as []). */
export function goSplit(s: string, sep: string, count: number): string[] {
  if (count === 0) return [];
  if (sep === '') {
    const chars = [...s];
    if (count < 0 || count >= chars.length) return chars;
    return [...chars.slice(0, count - 1), chars.slice(count - 1).join('')];
  }
  const parts = s.split(sep);
  if (count < 0 || parts.length <= count) return parts;
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(sep)];
}

/** strings.Replace(s, old, new, -1): an empty `old` inserts between every rune. */
export function goReplaceAll(s: string, old: string, nw: string): string {
  if (old === '') {
    const chars = [...s];
    return nw + chars.map((c) => c + nw).join('');
  }
  return s.split(old).join(nw);
}
