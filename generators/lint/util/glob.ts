// Two glob dialects: file paths in the repo config (`**` crosses folders, `*` does not), and Argo
// CD's own globs for namespaces, servers and RBAC objects (gobwas/glob without separators: `*`
// matches anything, including `/`).

const reEscape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** File-path glob: `**` any number of folders, `*` within one path segment, `?` one character. */
export function pathGlob(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += reEscape(c);
  }
  return new RegExp(`^${re}$`);
}

/** Argo CD glob (destinations, source namespaces): `*` and `?` match any characters. */
export function argoGlob(glob: string): RegExp {
  const re = glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : reEscape(c))).join('');
  return new RegExp(`^${re}$`);
}

const compiled = new Map<string, RegExp>();
export function argoGlobMatches(glob: string, value: string): boolean {
  let re = compiled.get(glob);
  if (!re) compiled.set(glob, (re = argoGlob(glob)));
  return re.test(value);
}
