// Go's fmt and strconv formatting for the values of ./values.ts: what `{{ .x }}`, print, printf
// and sprig's toString write. The details users see in Application names come from here: a map
// prints as `map[k:v]` with sorted keys, a float64 decoded from JSON prints `1e+06` for 1000000,
// a nil interface `<nil>`, a bad verb `%!d(string=x)`.
import { GoInt, NotModelledError, goTypeOf, isGoMap, sortedKeys } from './values.ts';

// ---------------------------------------------------------------- floats (strconv.FormatFloat)

interface Digits {
  /** Significant decimal digits, no leading or trailing zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  return trimDigits({ d: digits, dp });
}

function trimDigits(x: Digits): Digits {
  let d = x.d.replace(/0+$/, '');
  let dp = x.dp;
  const lead = d.match(/^0*/)![0].length;
  d = d.slice(lead);
  dp -= lead;
  return d === '' ? { d: '', dp: 0 } : { d, dp };
}

/** The shortest digits that round-trip (JS and Go agree on them). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [m, ex] = x.toExponential().split('e');
  return trimDigits({ d: m.replace('.', ''), dp: Number(ex) + 1 });
}

/** Rounds to nd significant digits, half to even on the exact expansion (strconv's decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) return trimDigits({ d: x.d.slice(0, nd), dp: x.dp });
  let i = nd - 1;
  const chars = x.d.slice(0, nd).split('');
  while (i >= 0 && chars[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
  return trimDigits({ d: chars.slice(0, i + 1).join(''), dp: x.dp });
}

const digitAt = (x: Digits, i: number) => (i >= 0 && i < x.d.length ? x.d[i] : '0');

function fmtE(x: Digits, prec: number, e: 'e' | 'E'): string {
  let s = x.d === '' ? '0' : x.d[0];
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  const exp = x.d === '' ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${s}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(x: Digits, prec: number): string {
  let s = '';
  if (x.dp > 0) for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, x.dp + i - 1);
  }
  return s;
}

/** strconv.FormatFloat(x, fmt, prec, 64). */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = shortestDigits(abs);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(digs.d.length - 1, 0);
    else if (fmt === 'f' || fmt === 'F') prec = Math.max(digs.d.length - digs.dp, 0);
    else prec = digs.d.length;
  } else {
    const exact = exactDigits(abs);
    if (fmt === 'e' || fmt === 'E') digs = roundDigits(exact, prec + 1);
    else if (fmt === 'f' || fmt === 'F') digs = roundDigits(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      digs = roundDigits(exact, prec);
    }
  }
  let body: string;
  if (fmt === 'e' || fmt === 'E') body = fmtE(digs, prec, fmt);
  else if (fmt === 'f' || fmt === 'F') body = fmtF(digs, prec);
  else {
    let eprec = prec;
    if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
    if (shortest) eprec = 6;
    const exp = digs.dp - 1;
    if (digs.d !== '' && (exp < -4 || exp >= eprec)) {
      let p = prec;
      if (p > digs.d.length) p = digs.d.length;
      body = fmtE(digs, p - 1, fmt === 'G' ? 'E' : 'e');
    } else {
      let p = prec;
      if (p > digs.dp) p = digs.d.length;
      body = fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
  return (neg ? '-' : '') + body;
}

// ---------------------------------------------------------------- strconv.Quote

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function isPrintRune(ch: string): boolean {
  return PRINTABLE.test(ch);
}

function quoteWith(s: string, quote: '"' | "'", asciiOnly: boolean): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') {
      out += '\\' + ch;
      continue;
    }
    if (asciiOnly ? cp < 0x80 && isPrintRune(ch) : isPrintRune(ch)) {
      out += ch;
      continue;
    }
    switch (ch) {
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + quote;
}

/** strconv.Quote */
export const quote = (s: string) => quoteWith(s, '"', false);
export const quoteASCII = (s: string) => quoteWith(s, '"', true);
export const quoteRune = (r: string) => quoteWith(r, "'", false);

/** strconv.Unquote for Go string literals ("..." and `...`) and rune literals. */
export function unquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new Error('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new Error('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new Error('invalid syntax');
  let out = '';
  for (let i = 0; i < body.length; ) {
    const [ch, next] = unquoteChar(body, i, q);
    out += ch;
    i = next;
  }
  if (q === "'" && [...out].length !== 1) throw new Error('invalid syntax');
  return out;
}

/** strconv.UnquoteChar: one (possibly escaped) character at s[i]; returns it and the next index. */
export function unquoteChar(s: string, i: number, q: string): [string, number] {
  const c = s[i];
  if (c === q && (q === "'" || q === '"')) throw new Error('invalid syntax');
  if (c === '\n') throw new Error('invalid syntax');
  if (c !== '\\') {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    return [ch, i + ch.length];
  }
  const e = s[i + 1];
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  if (e in simple) return [simple[e], i + 2];
  if (e === "'" || e === '"') {
    if (e !== q) throw new Error('invalid syntax');
    return [e, i + 2];
  }
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLen) {
    const hex = s.slice(i + 2, i + 2 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new Error('invalid syntax');
    const v = parseInt(hex, 16);
    if (e === 'x') return [String.fromCharCode(v), i + 2 + hexLen];
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error('invalid syntax');
    return [String.fromCodePoint(v), i + 2 + hexLen];
  }
  if (e >= '0' && e <= '7') {
    const oct = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
    const v = parseInt(oct, 8);
    if (v > 255) throw new Error('invalid syntax');
    return [String.fromCharCode(v), i + 4];
  }
  throw new Error('invalid syntax');
}

// ---------------------------------------------------------------- values (%v and friends)

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false });

function pad(s: string, f: Flags, numeric = false): string {
  if (f.width === undefined) return s;
  const len = [...s].length;
  if (len >= f.width) return s;
  const n = f.width - len;
  if (f.minus) return s + ' '.repeat(n);
  if (f.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function signed(body: string, negative: boolean, f: Flags): string {
  if (negative) return '-' + body;
  if (f.plus) return '+' + body;
  if (f.space) return ' ' + body;
  return body;
}

function fmtInteger(v: GoInt, verb: string, f: Flags): string {
  const neg = v.value < 0n;
  const abs = neg ? -v.value : v.value;
  let body: string;
  switch (verb) {
    case 'v':
    case 'd':
      body = abs.toString();
      break;
    case 'b':
      body = abs.toString(2);
      break;
    case 'o':
    case 'O':
      body = abs.toString(8);
      if (verb === 'O') body = '0o' + body;
      else if (f.sharp) body = '0' + body;
      break;
    case 'x':
      body = abs.toString(16);
      if (f.sharp) body = '0x' + body;
      break;
    case 'X':
      body = abs.toString(16).toUpperCase();
      if (f.sharp) body = '0X' + body;
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(v.value)), f);
    case 'q':
      return pad(quoteRune(String.fromCodePoint(Number(v.value))), f);
    case 'U':
      return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), f);
    default:
      return badVerb(verb, v);
  }
  if (f.prec !== undefined && body.length < f.prec) body = body.padStart(f.prec, '0');
  return pad(signed(body, neg, f), f, f.prec === undefined);
}

function fmtFloatVerb(x: number, verb: string, f: Flags): string {
  let s: string;
  switch (verb) {
    case 'v':
      s = formatFloat(x, 'g', f.prec ?? -1);
      break;
    case 'g':
    case 'G':
      s = formatFloat(x, verb, f.prec ?? -1);
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
      s = formatFloat(x, verb, f.prec ?? 6);
      break;
    default:
      return badVerb(verb, x);
  }
  if (s === 'NaN' || s.endsWith('Inf')) {
    if (s === '+Inf' && !f.plus) s = f.space ? ' Inf' : verb === 'v' ? '+Inf' : '+Inf';
    return pad(s, { ...f, zero: false });
  }
  const neg = s.startsWith('-');
  return pad(signed(neg ? s.slice(1) : s, neg, f), f, true);
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
    case 's':
      if (f.prec !== undefined) s = [...s].slice(0, f.prec).join('');
      return pad(s, f);
    case 'q':
      if (f.sharp && !s.includes('`') && !/[\x00-\x08\x0a-\x1f\x7f]/.test(s)) return pad('`' + s + '`', f);
      return pad(f.plus ? quoteASCII(s) : quote(s), f);
    case 'x':
    case 'X': {
      const bytes = new TextEncoder().encode(s);
      const hex = [...bytes].map((b) => {
        const h = b.toString(16).padStart(2, '0');
        return verb === 'X' ? h.toUpperCase() : h;
      });
      const prefix = f.sharp ? (verb === 'X' ? '0X' : '0x') : '';
      return pad(f.space ? hex.map((h) => prefix + h).join(' ') : prefix + hex.join(''), f);
    }
    default:
      return badVerb(verb, s);
  }
}

/** Go syntax of a value (%#v), for the types the engine produces. */
function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  if (v instanceof GoInt) return v.value.toString();
  if (Array.isArray(v)) return `${goTypeOf(v)}{${v.map(goSyntax).join(', ')}}`;
  if (isGoMap(v)) return `${goTypeOf(v)}{${sortedKeys(v).map((k) => `${quote(k)}:${goSyntax(v[k])}`).join(', ')}}`;
  return String(v);
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeOf(v)}=${formatValue(v, 'v', noFlags())})`;
}

/** fmt's printArg: one operand with one verb. */
export function formatValue(v: unknown, verb: string, f: Flags = noFlags()): string {
  if (verb === 'T') return pad(v === null || v === undefined ? '<nil>' : goTypeOf(v)!, f);
  if (v === null || v === undefined) return verb === 'v' ? pad('<nil>', f) : badVerb(verb, v);
  if (f.sharp && verb === 'v') return goSyntax(v);
  if (typeof v === 'boolean') return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(verb, v);
  if (typeof v === 'number') return fmtFloatVerb(v, verb, f);
  if (v instanceof GoInt) return fmtInteger(v, verb, f);
  if (typeof v === 'string') return fmtString(v, verb, f);
  if (Array.isArray(v)) {
    if (goTypeOf(v) === '[]uint8' && 'sqxX'.includes(verb)) {
      const text = new TextDecoder().decode(Uint8Array.from(v.map((b) => Number((b as GoInt).value))));
      return fmtString(text, verb, f);
    }
    return '[' + v.map((x) => formatValue(x, verb, { ...f, width: undefined })).join(' ') + ']';
  }
  if (isGoMap(v)) {
    const parts = sortedKeys(v).map(
      (k) => `${formatValue(k, verb, { ...f, width: undefined })}:${formatValue(v[k], verb, { ...f, width: undefined })}`,
    );
    return 'map[' + parts.join(' ') + ']';
  }
  if (typeof v === 'function') return badVerb(verb, v);
  return String(v);
}

const isStringOperand = (v: unknown) => typeof v === 'string';

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringOperand(a) && !isStringOperand(args[i - 1])) out += ' ';
    out += formatValue(a, 'v');
  });
  return out;
}

/** fmt.Sprintln */
export const sprintln = (args: readonly unknown[]): string => args.map((a) => formatValue(a, 'v')).join(' ') + '\n';

/** fmt.Sprintf */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const chars = [...format];
  while (i < chars.length) {
    const c = chars[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const f = noFlags();
    for (; i < chars.length; i++) {
      const fc = chars[i];
      if (fc === '+') f.plus = true;
      else if (fc === '-') f.minus = true;
      else if (fc === '#') f.sharp = true;
      else if (fc === ' ') f.space = true;
      else if (fc === '0') f.zero = !f.minus;
      else break;
    }
    if (chars[i] === '[') throw new NotModelledError('printf explicit argument indexes (%[n]v) are not modelled');
    const number = (): number | undefined => {
      if (chars[i] === '*') {
        i++;
        const a = args[argi++];
        return a instanceof GoInt ? a.toNumber() : undefined;
      }
      let n = '';
      while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') n += chars[i++];
      return n === '' ? undefined : Number(n);
    };
    f.width = number();
    if (chars[i] === '.') {
      i++;
      f.prec = number() ?? 0;
    }
    if (i >= chars.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = chars[i++];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatValue(args[argi++], verb, f);
  }
  if (argi < args.length) {
    const extra = args.slice(argi).map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeOf(a)}=${formatValue(a, 'v')}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
