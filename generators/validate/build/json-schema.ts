// The subset of JSON Schema (draft-07) the strict schemas use, and a walker over it that the
// build steps share. Kept loose on purpose: generated schemas are plain JSON.

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
  description?: string;
  [key: string]: unknown;
}

/** One step from a schema node to a child node, mirrored by one step in the data. */
export type Step = { prop: string } | { item: true } | { entry: true } | { branch: number };

/**
 * Visits every schema node once, depth first, with the steps that lead to it from the root.
 * `$ref`s into `#/definitions` are followed once per definition (the first path wins), so
 * recursive types terminate and a definition's nodes are visited exactly once.
 */
export function walkSchema(root: JsonSchema, visit: (node: JsonSchema, steps: readonly Step[]) => void): void {
  const seenDefs = new Set<string>();
  const go = (node: JsonSchema | boolean | undefined, steps: Step[]) => {
    if (!node || typeof node !== 'object') return;
    if (node.$ref) {
      const name = defName(node.$ref);
      if (name && !seenDefs.has(name) && root.definitions?.[name]) {
        seenDefs.add(name);
        go(root.definitions[name], steps);
      }
      return;
    }
    visit(node, steps);
    for (const [key, child] of Object.entries(node.properties ?? {})) go(child, [...steps, { prop: key }]);
    if (Array.isArray(node.items)) node.items.forEach((child) => go(child, [...steps, { item: true }]));
    else go(node.items, [...steps, { item: true }]);
    if (typeof node.additionalProperties === 'object') go(node.additionalProperties, [...steps, { entry: true }]);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) node[key]?.forEach((child, i) => go(child, [...steps, { branch: i }]));
  };
  go(root, []);
}

export function defName(ref: string): string | undefined {
  const m = /^#\/definitions\/(.+)$/.exec(ref);
  return m ? decodeURIComponent(m[1]) : undefined;
}

export const typesOf = (node: JsonSchema): string[] => (node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type]);

/** JSON pointer of the data location the steps lead to (arrays at index 0, maps at key `k`). */
export function dataPointer(steps: readonly Step[]): string {
  let out = '';
  for (const s of steps) {
    if ('prop' in s) out += '/' + s.prop.replace(/~/g, '~0').replace(/\//g, '~1');
    else if ('item' in s) out += '/0';
    else if ('entry' in s) out += '/k';
  }
  return out;
}
