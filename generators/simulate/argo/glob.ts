// Glob matching as Argo CD does it: util/glob.Match (v3.5.1) over github.com/gobwas/glob.
// `*` is any run of characters other than the separators, `**` any run at all, `?` one
// non-separator character, `[abc]` / `[a-z]` / `[!abc]` a character class, `{a,b}` alternatives
// (each itself a pattern), `\` escapes the next character. A pattern that does not compile
// (`e[[a*`: unexpected end of input) matches nothing, as util/glob.Match logs and returns false.

/** Compiled patterns by separators, then pattern (no key built per call: asked per Application). */
const cache = new Map<string, Map<string, RegExp | null>>();

export class GlobSyntaxError extends Error {}

/** gobwas glob.Compile: the pattern as a RegExp, or GlobSyntaxError. */
export function compileGlob(pattern: string, separators = ''): RegExp {
  let bySeparators = cache.get(separators);
  if (!bySeparators) cache.set(separators, (bySeparators = new Map()));
  const hit = bySeparators.get(pattern);
  if (hit) return hit;
  if (hit === null) throw new GlobSyntaxError(`unexpected end of input in ${JSON.stringify(pattern)}`);
  try {
    const re = new RegExp(`^${new Compiler(pattern, separators).sequence(false)}$`, 's');
    bySeparators.set(pattern, re);
    return re;
  } catch (e) {
    if (!(e instanceof GlobSyntaxError)) throw e;
    bySeparators.set(pattern, null);
    throw e;
  }
}

/** Characters that make a pattern more than its literal text (Compiler.sequence outside braces). */
const GLOB_SPECIAL = /[\\*?[{]/;

/** util/glob.Match */
export function globMatch(pattern: string, text: string, separators = ''): boolean {
  // A pattern without any of them compiles to itself, escaped: the match is equality (no RegExp
  // made and run the first time for each of a fleet's hundreds of literal servers and namespaces).
  if (!GLOB_SPECIAL.test(pattern)) return pattern === text;
  try {
    return compileGlob(pattern, separators).test(text);
  } catch (e) {
    if (e instanceof GlobSyntaxError) return false;
    throw e;
  }
}

/** util/glob.MatchStringInList: exact, glob, or regexp (entries wrapped in `/`). */
export function matchStringInList(list: readonly string[], item: string, mode: 'exact' | 'glob' | 'regexp'): boolean {
  for (const entry of list) {
    if (mode === 'regexp' && entry.length > 1 && entry.startsWith('/') && entry.endsWith('/') && regexMatch(entry.slice(1, -1), item)) return true;
    if ((mode === 'regexp' || mode === 'glob') && globMatch(entry, item)) return true;
    if (mode === 'exact' && entry === item) return true;
  }
  return false;
}

/** util/regex.Match: dlclark/regexp2 (lookarounds allowed); an invalid expression matches nothing. */
function regexMatch(expr: string, text: string): boolean {
  try {
    return new RegExp(expr).test(text);
  } catch {
    return false;
  }
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

class Compiler {
  private i = 0;
  private readonly notSep: string;
  constructor(private readonly p: string, separators: string) {
    this.notSep = separators ? `[^${[...separators].map(escapeRe).join('')}]` : '.';
  }

  /** A run of tokens up to the end, or (inside braces) up to `,` or `}`. */
  sequence(inBraces: boolean): string {
    let out = '';
    while (this.i < this.p.length) {
      const c = this.p[this.i];
      if (inBraces && (c === ',' || c === '}')) return out;
      this.i++;
      if (c === '\\') {
        if (this.i >= this.p.length) throw new GlobSyntaxError('unexpected end of input');
        out += escapeRe(this.p[this.i++]);
      } else if (c === '*') {
        if (this.p[this.i] === '*') {
          this.i++;
          out += '.*';
        } else out += `${this.notSep}*`;
      } else if (c === '?') out += this.notSep;
      else if (c === '[') out += this.characterClass();
      else if (c === '{') out += this.alternatives();
      else out += escapeRe(c);
    }
    if (inBraces) throw new GlobSyntaxError('unexpected end of input');
    return out;
  }

  private characterClass(): string {
    let negate = false;
    if (this.p[this.i] === '!') {
      negate = true;
      this.i++;
    }
    let body = '';
    let closed = false;
    while (this.i < this.p.length) {
      const c = this.p[this.i++];
      if (c === ']') {
        closed = true;
        break;
      }
      if (c === '\\' && this.i < this.p.length) body += escapeRe(this.p[this.i++]);
      else if (c === '-' && body && this.p[this.i] !== ']') body += '-';
      else body += escapeRe(c);
    }
    if (!closed || !body) throw new GlobSyntaxError('unexpected end of input');
    return `[${negate ? '^' : ''}${body}]`;
  }

  private alternatives(): string {
    const options: string[] = [];
    for (;;) {
      options.push(this.sequence(true));
      const c = this.p[this.i++];
      if (c === '}') return `(?:${options.join('|')})`;
      if (c !== ',') throw new GlobSyntaxError('unexpected end of input');
    }
  }
}
