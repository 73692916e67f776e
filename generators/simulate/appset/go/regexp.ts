// Go's regexp (RE2 syntax) on top of JavaScript's engine, for sprig's regex functions. The
// pattern is translated construct by construct; what RE2 rejects (backreferences, lookaround)
// is rejected with Go's message, what JavaScript cannot express is reported as not modelled.
// Matching loops (FindAll, ReplaceAll, Split) follow regexp.go, including its rules for empty
// matches, and `$1` / `${name}` expansion follows Regexp.Expand.
import { NotModelledError } from './values.ts';

export class RegexpSyntaxError extends Error {}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

function unicodeClass(name: string, negated: boolean): string {
  const prop = GENERAL_CATEGORIES.has(name) ? name : name === 'Any' ? 'Any' : `Script=${name}`;
  return `\\${negated ? 'P' : 'p'}{${prop}}`;
}

function perlSyntax(fragment: string): never {
  throw new RegexpSyntaxError(`error parsing regexp: invalid or unsupported Perl syntax: \`${fragment}\``);
}

/** Translates an RE2 pattern into a JavaScript source and flags. */
export function translate(pattern: string): { source: string; flags: string; names: string[] } {
  let flags = 'u';
  let i = 0;
  const names: string[] = [];
  // Leading flag groups (?i) (?s) (?m) set flags for the whole pattern.
  for (let m; (m = /^\(\?([imsU]+)\)/.exec(pattern.slice(i))); i += m[0].length) {
    for (const f of m[1]) {
      if (f === 'U') throw new NotModelledError('the regexp U (ungreedy) flag is not modelled');
      if (!flags.includes(f)) flags += f;
    }
  }
  let out = '';
  let depth = 0;
  const src = pattern;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) throw new RegexpSyntaxError('error parsing regexp: trailing backslash at end of expression: ``');
      if (e >= '1' && e <= '9') throw new RegexpSyntaxError(`error parsing regexp: invalid escape sequence: \`\\${e}\``);
      if (e === 'A') out += '(?<![\\s\\S])';
      else if (e === 'z') out += '(?![\\s\\S])';
      else if (e === 'Z') throw new RegexpSyntaxError('error parsing regexp: invalid escape sequence: `\\Z`');
      else if (e === 'x' && src[i + 2] === '{') {
        // Go's \x{10FFFF} is JavaScript's \u{10FFFF} (with the u flag).
        const end = src.indexOf('}', i + 3);
        if (end < 0) throw new RegexpSyntaxError(`error parsing regexp: invalid escape sequence: \`${src.slice(i)}\``);
        out += `\\u{${src.slice(i + 3, end)}}`;
        i = end + 1;
        continue;
      }
      else if (e === 's') out += '[\\t\\n\\f\\r ]';
      else if (e === 'S') out += '[^\\t\\n\\f\\r ]';
      else if (e === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 2;
        continue;
      } else if (e === 'p' || e === 'P') {
        let name: string;
        let len: number;
        if (src[i + 2] === '{') {
          const end = src.indexOf('}', i + 3);
          if (end < 0) throw new RegexpSyntaxError(`error parsing regexp: invalid character class range: \`${src.slice(i)}\``);
          name = src.slice(i + 3, end);
          len = end + 1 - i;
        } else {
          name = src[i + 2];
          len = 3;
        }
        let negated = e === 'P';
        if (name.startsWith('^')) {
          negated = !negated;
          name = name.slice(1);
        }
        out += unicodeClass(name, negated);
        i += len;
        continue;
      } else out += c + e;
      i += 2;
      continue;
    }
    if (c === '[') {
      // Character class: copy, translating POSIX classes and \s.
      let j = i + 1;
      let body = '';
      if (src[j] === '^') {
        body += '^';
        j++;
      }
      if (src[j] === ']') {
        body += '\\]';
        j++;
      }
      for (; j < src.length && src[j] !== ']'; j++) {
        if (src[j] === '[' && src[j + 1] === ':') {
          const end = src.indexOf(':]', j + 2);
          if (end < 0) throw new RegexpSyntaxError(`error parsing regexp: missing closing ]: \`${src.slice(i)}\``);
          let name = src.slice(j + 2, end);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const range = POSIX[name];
          if (!range) throw new RegexpSyntaxError(`error parsing regexp: invalid character class range: \`${src.slice(j, end + 2)}\``);
          if (neg) throw new NotModelledError('negated POSIX classes inside a bracket ([[:^alpha:]]) are not modelled');
          body += range;
          j = end + 1;
        } else if (src[j] === '\\') {
          const e = src[j + 1];
          if (e === 's') body += '\\t\\n\\f\\r ';
          else if (e === 'p' || e === 'P') throw new NotModelledError('\\p classes inside brackets are not modelled');
          else body += '\\' + e;
          j++;
        } else if (src[j] === '[') body += '\\[';
        else body += src[j];
      }
      if (j >= src.length) throw new RegexpSyntaxError(`error parsing regexp: missing closing ]: \`${src.slice(i)}\``);
      out += `[${body}]`;
      i = j + 1;
      continue;
    }
    if (c === '(') {
      if (src[i + 1] === '?') {
        const rest = src.slice(i);
        const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
        if (named) {
          names.push(named[1]);
          out += `(?<${named[1]}>`;
          i += named[0].length;
          depth++;
          continue;
        }
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
          depth++;
          continue;
        }
        if (/^\(\?[=!]|^\(\?<[=!]/.test(rest)) perlSyntax(rest.slice(0, rest.startsWith('(?<') ? 4 : 3));
        if (/^\(\?[imsU-]+[:)]/.test(rest)) throw new NotModelledError('inline regexp flags after the start of the pattern are not modelled');
        perlSyntax(rest.slice(0, 3));
      }
      names.push('');
      depth++;
    }
    if (c === ')') {
      if (depth === 0) throw new RegexpSyntaxError(`error parsing regexp: unexpected ): \`${pattern}\``);
      depth--;
    }
    if (c === '{') {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (rep && (Number(rep[1]) > 1000 || (rep[3] && Number(rep[3]) > 1000)))
        throw new RegexpSyntaxError(`error parsing regexp: invalid repeat count: \`${rep[0]}\``);
      if (!rep) {
        out += '\\{';
        i++;
        continue;
      }
    }
    if (c === '}' && !/\{\d+(,\d*)?$/.test(out)) {
      out += '\\}';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  if (depth > 0) throw new RegexpSyntaxError(`error parsing regexp: missing closing ): \`${pattern}\``);
  return { source: out, flags, names };
}

export class GoRegexp {
  private readonly re: RegExp;
  private readonly names: string[];

  constructor(readonly expr: string) {
    const t = translate(expr);
    this.names = t.names;
    try {
      this.re = new RegExp(t.source, t.flags + 'g');
    } catch (e) {
      throw new RegexpSyntaxError(`error parsing regexp: ${(e as Error).message}`);
    }
  }

  /** Match at or after pos: [start, end, ...groups] with undefined for unmatched groups. */
  private exec(s: string, pos: number): RegExpExecArray | null {
    this.re.lastIndex = pos;
    return this.re.exec(s);
  }

  matchString(s: string): boolean {
    return this.exec(s, 0) !== null;
  }

  findString(s: string): string {
    return this.exec(s, 0)?.[0] ?? '';
  }

  /** regexp.allMatches: empty matches right after a match are skipped. */
  private all(s: string, n: number): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    if (n < 0) n = s.length + 1;
    let pos = 0;
    let prevMatchEnd = -1;
    while (out.length < n && pos <= s.length) {
      const m = this.exec(s, pos);
      if (!m) break;
      const start = m.index;
      const end = start + m[0].length;
      let accept = true;
      if (end === pos) {
        if (start === prevMatchEnd) accept = false;
        const cp = s.codePointAt(pos);
        pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
      } else pos = end;
      prevMatchEnd = end;
      if (accept) out.push(m);
    }
    return out;
  }

  findAllString(s: string, n: number): string[] {
    if (n === 0) return [];
    return this.all(s, n).map((m) => m[0]);
  }

  /** Regexp.Expand of a `$1` / `${1}` / `$name` / `${name}` template. */
  private expand(template: string, m: RegExpExecArray): string {
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const c = template[i];
      if (c !== '$') {
        out += c;
        continue;
      }
      const next = template[i + 1];
      if (next === '$') {
        out += '$';
        i++;
        continue;
      }
      let name: string;
      if (next === '{') {
        const end = template.indexOf('}', i + 2);
        const inner = end < 0 ? '' : template.slice(i + 2, end);
        if (end < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
          out += c; // malformed: the $ is copied literally
          continue;
        }
        name = inner;
        i = end;
      } else {
        const run = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
        if (!run) {
          out += c;
          continue;
        }
        name = run[0];
        i += name.length;
      }
      if (/^\d+$/.test(name)) {
        const k = Number(name);
        out += m[k] ?? '';
      } else {
        const k = this.names.indexOf(name);
        out += k >= 0 ? (m[k + 1] ?? '') : '';
      }
    }
    return out;
  }

  private replace(src: string, repl: (m: RegExpExecArray) => string): string {
    let out = '';
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= src.length) {
      const m = this.exec(src, searchPos);
      if (!m) break;
      const start = m.index;
      const end = start + m[0].length;
      out += src.slice(lastMatchEnd, start);
      if (end > lastMatchEnd || start === 0) out += repl(m);
      lastMatchEnd = end;
      const cp = src.codePointAt(searchPos);
      const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
      if (searchPos + width > end) searchPos += width;
      else if (searchPos + 1 > end) searchPos++;
      else searchPos = end;
    }
    return out + src.slice(lastMatchEnd);
  }

  replaceAllString(src: string, template: string): string {
    return this.replace(src, (m) => this.expand(template, m));
  }

  replaceAllLiteralString(src: string, literal: string): string {
    return this.replace(src, () => literal);
  }

  /** Regexp.Split */
  split(s: string, n: number): string[] {
    if (n === 0) return [];
    if (this.expr.length > 0 && s.length === 0) return [''];
    const matches = this.all(s, n);
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of matches) {
      if (n > 0 && out.length === n - 1) break;
      end = m.index;
      if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
      beg = m.index + m[0].length;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
}

/** regexp.QuoteMeta */
export const quoteMeta = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
