// PlannedFile[] -> RenderedFile[]: templates rendered, managed YAML given its header line,
// JSON serialized with a fixed layout. Pure: the engine gets its template sources from the caller.

import type { Engine } from '../render/engine.ts';
import { sha256 } from '../io/manifest.ts';
import { MANAGED_HEADER, type PlannedFile, type RenderedFile } from './types.ts';

const headerFor = (path: string) =>
  /\.ya?ml$/.test(path) ? `${MANAGED_HEADER}\n` : path.endsWith('.md') ? `<!-- ${MANAGED_HEADER.slice(2)} -->\n` : '';

/** `text` with its trailing newlines replaced by one (a scan from the end: `/\n*$/` costs a
 *  match attempt at every position of every file). */
function endWithOneNewline(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? `${text}\n` : end === text.length - 1 ? text : `${text.slice(0, end)}\n`;
}

export function renderFile(file: PlannedFile, engine: Engine): RenderedFile {
  if (file.rendered) return { path: file.path, owner: file.owner, content: file.rendered.content, sha256: file.rendered.sha256 };
  let body: string;
  if (file.template) body = engine.render(file.template, file.data ?? {});
  else if (file.json !== undefined) body = `${JSON.stringify(file.json, null, 2)}\n`;
  else body = file.text ?? '';
  body = endWithOneNewline(body.includes('\r') ? body.replace(/\r\n/g, '\n') : body);
  const header = file.owner === 'managed' ? headerFor(file.path) : '';
  const content = header + body;
  return { path: file.path, owner: file.owner, content, sha256: sha256(content) };
}

export const renderPlan = (files: PlannedFile[], engine: Engine): RenderedFile[] =>
  files.map((f) => renderFile(f, engine)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
