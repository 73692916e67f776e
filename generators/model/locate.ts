// Problems in the user's terms: list items by name (`services[payments-api].replicas`, not
// `services[0]`) and, when the model came from a file, the file and line where the field is (or
// the nearest enclosing one that exists), as editors and CI annotations want them. Pure: the text
// is passed in; a parsed model remembers its source (parseSpecText) without showing it to JSON.

import YAML, { LineCounter } from 'yaml';
import type { Problem } from './errors.ts';

export interface ModelSource {
  /** As shown to the user: `platform.yaml`, `answers.yaml`. */
  file: string;
  text: string;
}

const SOURCE = Symbol('gitops-scaffold.model-source');

/** Remembers where a parsed model came from (a non-enumerable property: never serialized). */
export function withSource<T extends object>(model: T, source: ModelSource): T {
  if (model && typeof model === 'object') Object.defineProperty(model, SOURCE, { value: source, enumerable: false, configurable: true });
  return model;
}

export const sourceOf = (model: unknown): ModelSource | undefined => (model && typeof model === 'object' ? (model as Record<symbol, ModelSource | undefined>)[SOURCE] : undefined);

type Segment = string | { index: number } | { name: string };

/** `services[web].overrides.prod` -> ['services', {name: 'web'}, 'overrides', 'prod'] */
function segments(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? { index: Number(m[2]) } : { name: m[2] });
  }
  return out;
}

/**
 * Replaces list indexes by the item's name where the item has a unique one:
 * `services[0].port` -> `services[web].port`, at any depth.
 */
export function namedPath(path: string, model: unknown): string {
  // Only a path that starts with a field (not `--set x`, not a flag) is a model path.
  if (!/^[A-Za-z_][\w-]*(\[|\.|$)/.test(path)) return path;
  let node: unknown = model;
  let out = '';
  for (const seg of segments(path)) {
    if (typeof seg === 'string') {
      out += out ? `.${seg}` : seg;
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
      continue;
    }
    if ('name' in seg) {
      out += `[${seg.name}]`;
      node = Array.isArray(node) ? node.find((x) => x?.name === seg.name) : undefined;
      continue;
    }
    const list = Array.isArray(node) ? node : undefined;
    const item = list?.[seg.index];
    const name = item && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
    const unique = typeof name === 'string' && /^[^[\].\s]+$/.test(name) && list!.filter((x) => x?.name === name).length === 1;
    out += unique ? `[${name}]` : `[${seg.index}]`;
    node = item;
  }
  return out;
}

/** Line (1-based) of the node at `path` in the text, or of the mapping that lacks its last fields. */
export function lineOf(path: string, text: string): number | undefined {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, version: '1.1', uniqueKeys: false });
  if (doc.errors.length) return undefined;
  let node: unknown = doc.contents;
  let at: number | undefined = (doc.contents as { range?: number[] } | null)?.range?.[0];
  for (const seg of segments(path)) {
    let next: unknown;
    let pos: number | undefined;
    if (typeof seg === 'string' && YAML.isMap(node)) {
      const pair = node.items.find((p) => (YAML.isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
      next = pair?.value;
      pos = (pair?.key as { range?: number[] } | undefined)?.range?.[0];
    } else if (typeof seg !== 'string' && YAML.isSeq(node)) {
      next = 'index' in seg ? node.items[seg.index] : node.items.find((item) => YAML.isMap(item) && String(item.get('name')) === seg.name);
      pos = (next as { range?: number[] } | undefined)?.range?.[0];
    }
    // A list item that is not in the file (added from flags) has no line; a missing field is
    // shown at the item or mapping that lacks it.
    if ((next === undefined || pos === undefined) && typeof seg !== 'string') return undefined;
    if (next === undefined || pos === undefined) break;
    node = next;
    at = pos;
  }
  return at === undefined ? undefined : lines.linePos(at).line;
}

/** The value at a (named or indexed) path of a model, undefined when absent. */
export function valueAt(model: unknown, path: string): unknown {
  let node: unknown = model;
  for (const seg of segments(path)) {
    if (typeof seg === 'string') node = node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
    else if (!Array.isArray(node)) return undefined;
    else node = 'index' in seg ? node[seg.index] : node.find((x) => x?.name === seg.name);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Names the list items in every problem's path and, with a source, adds its file and line. With
 * `original` (the model as the file holds it, before an edit), a line is given only where the
 * file holds the value the problem is about: a bad value typed as a flag has no line in the file.
 */
export function locateProblems(problems: Problem[], model: unknown, source = sourceOf(model), original?: unknown): Problem[] {
  return problems.map((p) => {
    const named = { ...p, path: namedPath(p.path, model) };
    if (!source || named.line !== undefined) return named;
    if (original !== undefined && JSON.stringify(valueAt(original, named.path)) !== JSON.stringify(valueAt(model, named.path))) return named;
    const line = /^[A-Za-z_]/.test(named.path) ? lineOf(named.path, source.text) : undefined;
    return line === undefined ? named : { ...named, file: source.file, line };
  });
}
