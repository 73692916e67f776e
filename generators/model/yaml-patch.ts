// The yaml-library side of editing platform.yaml (model/edits.ts patchModelText, and the splice
// in model/text-splice.ts for the one entry it rewrites): the options every rewrite of
// platform.yaml is written with, and the node-by-node patch that keeps what did not change.

import YAML from 'yaml';

/** How platform.yaml is written (= model/serialize.ts OPTIONS). */
export const YAML_OPTIONS = { version: '1.1' as const, lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false };

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
export const isNamedList = (v: unknown): v is { name: string }[] => Array.isArray(v) && v.every((x) => isObject(x) && typeof x.name === 'string');

/**
 * `node` (of `doc`, holding `before`) patched to hold `after`: a value that did not change keeps
 * its node (comments, quoting, flow style), mappings are patched key by key (new keys last, in
 * `after`'s order), lists of named entries entry by entry (by name), anything else is a new node.
 */
export function patchNode(doc: YAML.Document, node: unknown, before: unknown, after: unknown): unknown {
  if (same(before, after) && node !== undefined) return node;
  if (YAML.isMap(node) && isObject(before) && isObject(after)) {
    const pairs = new Map(node.items.map((p) => [YAML.isScalar(p.key) ? String(p.key.value) : String(p.key), p]));
    node.items = Object.entries(after).map(([k, v]) => {
      const pair = pairs.get(k);
      if (!pair || !(k in before)) return doc.createPair(k, v);
      pair.value = patchNode(doc, pair.value, before[k], v) as any;
      return pair;
    });
    return node;
  }
  if (YAML.isSeq(node) && isNamedList(before) && isNamedList(after)) {
    const old = new Map(before.map((x, i) => [x.name, i]));
    node.items = after.map((x) => {
      const i = old.get(x.name);
      return i === undefined ? doc.createNode(x) : patchNode(doc, node.items[i], before[i], x);
    });
    return node;
  }
  return doc.createNode(after);
}
