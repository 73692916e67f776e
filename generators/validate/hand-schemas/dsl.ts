// A few helpers to write the hand schemas compactly. Objects are closed later by the same
// normalizer as the generated schemas (additionalProperties:false wherever properties are
// listed), so `obj()` only lists fields; `map()` and `any()` are the deliberate open spots.
import type { JsonSchema } from '../build/json-schema.ts';

/** Sub-schemas taken from the generated core schemas (`Pod`, `spec.tolerations[]`), so the hand
 * schemas reuse upstream shapes for Kubernetes types instead of re-typing them. */
export type CoreLookup = (kind: string, path: string) => JsonSchema;

export const str = (extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'string', ...extra });
export const int = (): JsonSchema => ({ type: 'integer' });
export const num = (): JsonSchema => ({ type: 'number' });
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const oneOfStr = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });
export const intOrString = (): JsonSchema => ({ type: ['integer', 'string'] });
export const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
/** A map with free keys and typed values (labels, per-name event sources). */
export const map = (values: JsonSchema = str()): JsonSchema => ({ type: 'object', additionalProperties: values });
/** Free-form on purpose (an embedded resource, raw values). */
export const any = (): JsonSchema => ({});
export const freeObject = (): JsonSchema => ({ type: 'object' });

export function obj(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  const s: JsonSchema = { type: 'object', properties };
  if (required.length) s.required = required;
  return s;
}

/** The root of a custom resource: apiVersion/kind pinned, metadata from the core ObjectMeta. */
export function resource(core: CoreLookup, apiVersion: string, kind: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return obj(
    {
      apiVersion: { type: 'string', enum: [apiVersion] },
      kind: { type: 'string', enum: [kind] },
      metadata: core('ConfigMap', 'metadata'),
      ...properties,
    },
    ['apiVersion', 'kind', ...required],
  );
}
