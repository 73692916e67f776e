// Pure transforms that turn a schema generated from a TypeScript declaration into a strict,
// kubeconform-compatible JSON Schema. Each one mirrors a rule the Kubernetes API server (or
// kubeconform's openapi2jsonschema) applies, and says which.
import { type JsonSchema, typesOf, walkSchema } from './json-schema.ts';

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/**
 * `const` becomes a one-value `enum` (draft-04 has no `const`, and kubeconform compiles schemas
 * without `$schema` as draft-04), and `anyOf` of bare primitive types becomes a type list
 * (`["integer","string"]` for int-or-string), which reads better in error messages.
 */
export function tidy(root: JsonSchema): void {
  walkSchema(root, (node) => {
    if ('const' in node) {
      node.enum = [node.const];
      delete node.const;
    }
    if (node.anyOf && node.anyOf.every(isBarePrimitive)) {
      const types = [...new Set(node.anyOf.flatMap(typesOf))];
      delete node.anyOf;
      node.type = types.length === 1 ? types[0] : types;
    }
    if (Array.isArray(node.type) && node.type.length === 1) node.type = node.type[0];
  });
}

const isBarePrimitive = (s: JsonSchema) =>
  Object.keys(s).length === 1 && typesOf(s).length > 0 && typesOf(s).every((t) => t !== 'object' && t !== 'array');

/**
 * Unknown fields are errors: every object that lists its properties and says nothing about
 * others gets `additionalProperties: false` (openapi2jsonschema's rule, applied at the root too,
 * which the datree catalog does not). Objects without `properties` are free-form on purpose
 * (RawExtension, Helm `valuesObject`, label maps) and stay open.
 */
export function closeObjects(root: JsonSchema): void {
  walkSchema(root, (node) => {
    // `properties: {}` comes from an empty TypeScript interface standing for a free-form Go type
    // (Argo Workflows `plugin`, archive `none: {}`): open, like the upstream CRDs.
    if (node.properties && Object.keys(node.properties).length === 0 && node.additionalProperties === undefined) delete node.properties;
    if (node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
  });
}

/**
 * An optional field may be `null`: the API server treats null as "not set" (and prunes it for
 * custom resources), kubeconform's schemas allow it, and hand-edited YAML has it (`args:` left
 * empty after commenting out the items). Required fields stay non-null.
 */
export function allowNullForOptional(root: JsonSchema): void {
  walkSchema(root, (node) => {
    if (!node.properties) return;
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties)) {
      if (!required.has(key)) node.properties[key] = nullable(child);
    }
  });
}

function nullable(s: JsonSchema): JsonSchema {
  if (s.$ref) return { anyOf: [s, { type: 'null' }] };
  if (s.anyOf) {
    if (!s.anyOf.some((b) => typesOf(b).includes('null'))) s.anyOf.push({ type: 'null' });
    return s;
  }
  if (s.type !== undefined) {
    const types = typesOf(s);
    if (!types.includes('null')) s.type = [...types, 'null'];
    if (s.enum && !s.enum.includes(null)) s.enum = [...s.enum, null];
  }
  return s;
}

/** Runs the transforms in the order they depend on each other and stamps the draft. */
export function normalize(root: JsonSchema): JsonSchema {
  tidy(root);
  closeObjects(root);
  allowNullForOptional(root);
  return { $schema: DRAFT_07, ...withoutKey(root, '$schema') };
}

function withoutKey(s: JsonSchema, key: string): JsonSchema {
  const { [key]: _drop, ...rest } = s;
  return rest;
}
