// JSON pointers (RFC 6901) for finding paths, and their human rendering in messages
// (`/spec/template/spec/containers/0/image` -> `spec.template.spec.containers[0].image`).

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Joins segments into a pointer; a segment may itself be a pointer (starting with `/`). */
export function ptr(...segments: (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'string' && s.startsWith('/')) out += s === '/' ? '' : s;
    else out += '/' + escape(String(s));
  }
  return out;
}

/** `spec.containers[0].image`; keys that are not plain identifiers are bracketed and quoted. */
export function fieldPath(pointer: string): string {
  if (!pointer) return '';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = unescape(raw);
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
