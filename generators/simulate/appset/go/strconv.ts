// strconv.ParseInt / ParseUint / ParseFloat with Go's syntax rules (base prefixes, underscores
// only where Go allows them, range errors), for template number literals and sprig conversions.

export class NumError extends Error {
  constructor(fn: string, num: string, readonly reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${JSON.stringify(num)}: ${reason}`);
  }
}

/** underscoreOK from strconv/atoi.go: underscores only between digits or after a base prefix. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

function digitValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 87;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return 99;
}

/** strconv.ParseUint(s, base, bitSize) */
export function parseUint(s0: string, base: number, bitSize = 64): bigint {
  const fn = 'ParseUint';
  if (s0 === '') throw new NumError(fn, s0, 'invalid syntax');
  const base0 = base === 0;
  let s = s0;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      if (s.length >= 3 && (s[1] === 'b' || s[1] === 'B')) [base, s] = [2, s.slice(2)];
      else if (s.length >= 3 && (s[1] === 'o' || s[1] === 'O')) [base, s] = [8, s.slice(2)];
      else if (s.length >= 3 && (s[1] === 'x' || s[1] === 'X')) [base, s] = [16, s.slice(2)];
      else [base, s] = [8, s.slice(1)];
    }
  }
  let n = 0n;
  let underscores = false;
  const max = (1n << BigInt(bitSize)) - 1n;
  for (const c of s) {
    if (c === '_' && base0) {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= base) throw new NumError(fn, s0, 'invalid syntax');
    n = n * BigInt(base) + BigInt(d);
  }
  if (underscores && !underscoreOK(s0)) throw new NumError(fn, s0, 'invalid syntax');
  if (n > max) throw new NumError(fn, s0, 'value out of range');
  return n;
}

/** strconv.ParseInt(s, base, bitSize) */
export function parseInt(s0: string, base: number, bitSize = 64): bigint {
  const fn = 'ParseInt';
  if (s0 === '') throw new NumError(fn, s0, 'invalid syntax');
  let s = s0;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  let un: bigint;
  try {
    un = parseUint(s, base, bitSize);
  } catch (e) {
    if (e instanceof NumError) throw new NumError(fn, s0, e.reason);
    throw e;
  }
  const cutoff = 1n << BigInt(bitSize - 1);
  if (!neg && un >= cutoff) throw new NumError(fn, s0, 'value out of range');
  if (neg && un > cutoff) throw new NumError(fn, s0, 'value out of range');
  return neg ? -un : un;
}

/** strconv.ParseFloat(s, 64): Go float syntax (decimal and hex, inf/nan, underscores). */
export function parseFloat(s0: string): number {
  const fn = 'ParseFloat';
  let s = s0;
  const lower = s.toLowerCase();
  const special: Record<string, number> = {
    inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity,
    '-infinity': -Infinity, nan: NaN,
  };
  if (lower in special) return special[lower];
  if (s.includes('_')) {
    if (!underscoreOK(s)) throw new NumError(fn, s0, 'invalid syntax');
    s = s.replace(/_/g, '');
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const [, sign, intPart, frac = '', exp] = hex;
    if (intPart === '' && frac === '') throw new NumError(fn, s0, 'invalid syntax');
    let mant = 0;
    for (const c of intPart + frac) mant = mant * 16 + digitValue(c);
    const v = mant * 2 ** (Number(exp) - 4 * frac.length);
    return sign === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new NumError(fn, s0, 'invalid syntax');
  const v = Number(s);
  if (!Number.isFinite(v)) throw new NumError(fn, s0, 'value out of range');
  return v;
}
