// The generator inlines every named type (it cannot name them: see generate-from-dts.ts), so a
// Workflow schema carries the container shape dozens of times and its compiled validator grew to
// 27 MB. This step finds identical subtrees and moves each one into `#/definitions`, once, with a
// `$ref` at every former place. The validator compiler then emits one function per definition.
import type { JsonSchema } from './json-schema.ts';

/** Subtrees smaller than this (serialized) stay inline: a call costs more than the check. */
const MIN_SHARED_SIZE = 300;

export function shareDefinitions(root: JsonSchema): number {
  const counts = new Map<string, number>();
  const keyOf = new Map<JsonSchema, string>();

  // Post-order: a node's canonical text is built from its children's, so each subtree is
  // serialized once.
  const canon = (node: unknown): string => {
    if (node === null || typeof node !== 'object') return JSON.stringify(node);
    if (Array.isArray(node)) return `[${node.map(canon).join(',')}]`;
    const keys = Object.keys(node).sort();
    const text = `{${keys.map((k) => `${JSON.stringify(k)}:${canon((node as Record<string, unknown>)[k])}`).join(',')}}`;
    if (isSchemaNode(node)) {
      keyOf.set(node as JsonSchema, text);
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    return text;
  };
  canon(root);

  const defs = (root.definitions ??= {});
  const defFor = new Map<string, string>();
  let created = 0;
  const replace = (node: JsonSchema): JsonSchema => {
    const key = keyOf.get(node);
    if (!key || key.length < MIN_SHARED_SIZE || (counts.get(key) ?? 0) < 2 || node.$ref) {
      visitChildren(node);
      return node;
    }
    let name = defFor.get(key);
    if (!name) {
      name = `shared${++created}`;
      defFor.set(key, name);
      defs[name] = node;
      visitChildren(node);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const visitChildren = (node: JsonSchema) => {
    if (node.properties) for (const k of Object.keys(node.properties)) node.properties[k] = replace(node.properties[k]);
    if (Array.isArray(node.items)) node.items = node.items.map(replace);
    else if (node.items && typeof node.items === 'object') node.items = replace(node.items);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') node.additionalProperties = replace(node.additionalProperties);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (node[k]) node[k] = node[k]!.map(replace);
  };
  // Existing definitions (recursive types) are processed like any other subtree.
  for (const name of Object.keys(defs)) if (!name.startsWith('shared')) visitChildren(defs[name]);
  visitChildren(root);
  if (Object.keys(defs).length === 0) delete root.definitions;
  return created;
}

/** Objects that are schemas (not `properties` maps or `definitions` maps). */
function isSchemaNode(node: object): boolean {
  const n = node as Record<string, unknown>;
  return 'type' in n || '$ref' in n || 'anyOf' in n || 'enum' in n || 'oneOf' in n || 'allOf' in n;
}
