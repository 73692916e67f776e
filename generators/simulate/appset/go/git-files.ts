// Which files a git files generator pattern selects, as the repo-server lists them
// (util/git/client.go LsFiles):
// - default: `git ls-files --full-name -z -- <pattern>`, git pathspec semantics: a literal
//   pathspec selects that file or everything under that directory; with wildcards the part after
//   the literal prefix is matched by wildmatch WITHOUT WM_PATHNAME, so `*` and `?` cross `/`
//   (`apps/*/config.json` also selects `apps/a/b/config.json`);
// - `--enable-new-git-file-globbing`: doublestar.FilepathGlob, where `*` stays inside a path
//   segment, `**` spans directories, `{a,b}` alternates, and directories match too (reading
//   one then fails the generator, as os.ReadFile does).
import { NotModelledError } from './values.ts';

const WILDCARDS = /[*?[\\]/;

/** git's wildmatch(pattern, text, flags = 0): no special meaning for `/`. */
export function wildmatch(p: string, t: string): boolean {
  const P = [...p];
  const T = [...t];
  const rec = (pi: number, ti: number): boolean => {
    for (; pi < P.length; pi++, ti++) {
      const pc = P[pi];
      if (pc === '*') {
        while (P[pi + 1] === '*') pi++;
        if (pi + 1 === P.length) return true;
        for (let k = ti; k <= T.length; k++) if (rec(pi + 1, k)) return true;
        return false;
      }
      if (ti >= T.length) return false;
      if (pc === '?') continue;
      if (pc === '\\') {
        pi++;
        if (P[pi] !== T[ti]) return false;
        continue;
      }
      if (pc === '[') {
        let j = pi + 1;
        let negated = false;
        if (P[j] === '!' || P[j] === '^') {
          negated = true;
          j++;
        }
        let matched = false;
        let first = true;
        let prev = '';
        for (; j < P.length && (first || P[j] !== ']'); j++, first = false) {
          let c = P[j];
          if (c === '\\') c = P[++j] ?? '';
          else if (c === '[' && P[j + 1] === ':') {
            const end = P.indexOf(']', j + 2);
            const name = P.slice(j + 2, end - 1).join('');
            if (end < 0 || P[end - 1] !== ':') return false;
            if (classMatches(name, T[ti])) matched = true;
            j = end;
            prev = '';
            continue;
          } else if (c === '-' && prev && P[j + 1] !== undefined && P[j + 1] !== ']') {
            let hi = P[++j];
            if (hi === '\\') hi = P[++j];
            if (prev <= T[ti] && T[ti] <= hi) matched = true;
            prev = '';
            continue;
          }
          if (c === T[ti]) matched = true;
          prev = c;
        }
        if (j >= P.length) return false; // unterminated class: wildmatch aborts
        pi = j;
        if (matched === negated) return false;
        continue;
      }
      if (pc !== T[ti]) return false;
    }
    return ti === T.length;
  };
  return rec(0, 0);
}

/**
 * wildmatch for one pattern, many texts: a pattern of literals, `*` and `?` only (no classes, no
 * escapes: what generator files patterns are) as an anchored RegExp over code points, the same
 * language (`*` any run including `/`, `?` one code point); wildmatch itself otherwise.
 */
export function wildmatcher(p: string): (t: string) => boolean {
  if (p.includes('[') || p.includes('\\')) return (t) => wildmatch(p, t);
  let re = '';
  for (const c of p) re += c === '*' ? (re.endsWith('.*') ? '' : '.*') : c === '?' ? '.' : /[.+^${}()|\]\/]/.test(c) ? `\\${c}` : c;
  const compiled = new RegExp(`^${re}$`, 'su');
  return (t) => compiled.test(t);
}

function classMatches(name: string, c: string): boolean {
  const classes: Record<string, RegExp> = {
    alnum: /[A-Za-z0-9]/, alpha: /[A-Za-z]/, blank: /[ \t]/, cntrl: /[\x00-\x1f\x7f]/, digit: /[0-9]/,
    graph: /[!-~]/, lower: /[a-z]/, print: /[ -~]/, punct: /[!-/:-@[-`{-~]/, space: /[ \t\n\r\f\v]/,
    upper: /[A-Z]/, xdigit: /[0-9A-Fa-f]/,
  };
  return classes[name]?.test(c) ?? false;
}

/** Normalizes a pathspec as git does for a path relative to the repository root. */
function normalizePathspec(pattern: string): string {
  if (pattern.startsWith(':')) throw new NotModelledError(`git pathspec magic (${pattern}) is not modelled`);
  let p = pattern;
  while (p.startsWith('./')) p = p.slice(2);
  if (p === '.' || p === '') return '';
  return p;
}

/** git ls-files -- <pattern>: match_pathspec_item for one tracked path. */
export function pathspecMatches(pattern: string, path: string): boolean {
  return pathspecMatcher(pattern)(path);
}

/** pathspecMatches for one pattern, its literal prefix worked out once (a listing tries every path). */
function pathspecMatcher(pattern: string): (path: string) => boolean {
  const p = normalizePathspec(pattern);
  if (p === '') return () => true;
  const wc = p.search(WILDCARDS);
  const literal = wc < 0 ? p : p.slice(0, wc);
  const rest = wc < 0 ? undefined : wildmatcher(p.slice(literal.length));
  const dirLike = p.endsWith('/');
  return (path) => {
    if (wc < 0 || p.length <= path.length) {
      if (path.startsWith(p)) {
        if (path.length === p.length) return true;
        if (dirLike || path[p.length] === '/') return true;
      }
    }
    if (wc < 0) return false;
    if (!path.startsWith(literal)) return false;
    return rest!(path.slice(literal.length));
  };
}

/**
 * A result per (file list, key): a matrix renders its second git generator once per parameter set
 * of the first, so the same pattern is listed over the same tree many times.
 */
function memoized<T>(cache: WeakMap<readonly string[], Map<string, T>>, files: readonly string[], key: string, compute: () => T): T {
  let byKey = cache.get(files);
  if (!byKey) cache.set(files, (byKey = new Map()));
  let v = byKey.get(key);
  if (v === undefined) byKey.set(key, (v = compute()));
  return v;
}

const lsFilesCache = new WeakMap<readonly string[], Map<string, string[]>>();
const doublestarCache = new WeakMap<readonly string[], Map<string, string[]>>();
const directoriesCache = new WeakMap<readonly string[], Map<string, string[]>>();

/** The tracked files `git ls-files -- <pattern>` prints, in index (byte) order. */
export function lsFiles(files: readonly string[], pattern: string): string[] {
  return [...memoized(lsFilesCache, files, pattern, () => withPrefix(files, literalPrefix(pattern)).filter(pathspecMatcher(pattern)))];
}

/** What every path a pattern matches starts with (pathspecMatcher: the part before a wildcard). */
function literalPrefix(pattern: string): string {
  const p = normalizePathspec(pattern);
  const wc = p.search(WILDCARDS);
  return wc < 0 ? p : p.slice(0, wc);
}

const sortedCopies = new WeakMap<readonly string[], string[]>();
/**
 * The paths that start with `prefix`, sorted: a range of the list sorted once (a fleet lists
 * ~30 patterns over 8,000 paths). Sorting the matches afterwards gives the same list.
 */
function withPrefix(files: readonly string[], prefix: string): string[] {
  let sorted = sortedCopies.get(files);
  if (!sorted) sortedCopies.set(files, (sorted = [...files].sort()));
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end].startsWith(prefix)) end++;
  return sorted.slice(lo, end);
}

// ------------------------------------------------------------------ doublestar (new globbing)

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

function segmentToRe(seg: string): string {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '\\') re += escapeRe(seg[++i] ?? '');
    else if (c === '*') {
      while (seg[i + 1] === '*') i++;
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) throw new Error('syntax error in pattern');
      let body = seg.slice(i + 1, end);
      let neg = false;
      if (body[0] === '!' || body[0] === '^') {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? '^/' : ''}${body.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
      i = end;
    } else if (c === '{') {
      let depth = 0;
      let j = i;
      for (; j < seg.length; j++) {
        if (seg[j] === '{') depth++;
        else if (seg[j] === '}' && --depth === 0) break;
      }
      if (j >= seg.length) throw new Error('syntax error in pattern');
      const alts: string[] = [];
      let cur = '';
      let d = 0;
      for (const ch of seg.slice(i + 1, j)) {
        if (ch === ',' && d === 0) {
          alts.push(cur);
          cur = '';
          continue;
        }
        if (ch === '{') d++;
        if (ch === '}') d--;
        cur += ch;
      }
      alts.push(cur);
      re += '(?:' + alts.map(globToRe).join('|') + ')';
      i = j;
    } else re += escapeRe(c);
  }
  return re;
}

function globToRe(pattern: string): string {
  const segs = pattern.split('/');
  let re = '';
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') {
      // `/**/` matches zero or more directories; a final `**` matches everything below.
      re += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    re += segmentToRe(seg) + (last ? '' : '/');
  });
  return re;
}

/** doublestar.FilepathGlob relative to the repository: matching files and directories. */
export function doublestarGlob(files: readonly string[], pattern: string): string[] {
  return [...memoized(doublestarCache, files, pattern, () => doublestarGlobUncached(files, pattern))];
}

function doublestarGlobUncached(files: readonly string[], pattern: string): string[] {
  let p = pattern;
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/+$/, '').replace(/\/+/g, '/');
  const re = new RegExp('^' + globToRe(p) + '$', 'u');
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...files, ...dirs].filter((x) => re.test(x)).sort();
}

/** Every directory of the tree, as the repo-server's GetGitDirectories walk yields them. */
export function gitDirectories(files: readonly string[]): string[] {
  return [...memoized(directoriesCache, files, '', () => gitDirectoriesUncached(files))];
}

function gitDirectoriesUncached(files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) {
      // Hidden directories are skipped with everything under them (filepath.SkipDir).
      if (parts[i - 1].startsWith('.')) break;
      dirs.add(parts.slice(0, i).join('/'));
    }
  }
  // filepath.WalkDir visits entries in lexical order, depth first.
  const segs = (d: string) => d.split('/');
  return [...dirs].sort((a, b) => {
    const A = segs(a);
    const B = segs(b);
    for (let i = 0; i < Math.min(A.length, B.length); i++) if (A[i] !== B[i]) return A[i] < B[i] ? -1 : 1;
    return A.length - B.length;
  });
}
