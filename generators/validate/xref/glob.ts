// Glob matching the way Argo CD does it (github.com/gobwas/glob, with '/' as separator for
// repository URLs and paths): `*` and `?` stay inside one path segment, `**` crosses segments,
// `[abc]`, `[!a-z]` and `{a,b}` work, `\` escapes.

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, separator: string | undefined = '/'): RegExp {
  const key = `${separator ?? ''}\0${pattern}`;
  let re = cache.get(key);
  if (re) return re;
  const notSep = separator ? `[^${escapeClass(separator)}]` : '.';
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) out += escapeRe(pattern[++i]);
    else if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += `${notSep}*`;
    } else if (c === '?') out += notSep;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      inBraces++;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces--;
      out += ')';
    } else if (c === ',' && inBraces) out += '|';
    else out += escapeRe(c);
  }
  re = new RegExp(`^${out}$`);
  cache.set(key, re);
  return re;
}

export const globMatch = (pattern: string, value: string, separator?: string) => globToRegExp(pattern, separator).test(value);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const escapeClass = (s: string) => s.replace(/[\]\\^-]/g, '\\$&');

/** git.NormalizeGitURL, approximately: case, `.git` suffix, trailing slash, scp-style ssh. */
export function normalizeGitUrl(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^([\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/.exec(u);
  if (scp && !u.includes('://')) u = `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}`;
  return u.replace(/\/+$/, '').replace(/\.git$/, '');
}

/** `{{ .path.basename }}` and `{{path}}` become `*`, so a templated path can be checked as a glob. */
export const templateToGlob = (s: string) => s.replace(/\{\{[^}]*\}\}/g, '*');
export const isTemplated = (s: unknown) => typeof s === 'string' && s.includes('{{');
