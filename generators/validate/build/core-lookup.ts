// The hand-written schemas (../hand-schemas) reuse upstream shapes for Kubernetes types
// (`Pod` `spec.containers[].resources`) instead of re-typing them. They take them from the raw
// generated core schemas: in tools/schemas straight from the generator, in the normal build from
// the copies committed in schemas/borrowed/ (committed-schemas.ts).
import type { CoreLookup } from '../hand-schemas/dsl.ts';
import type { JsonSchema } from './json-schema.ts';

/**
 * Looks up `spec.containers[].resources` style paths in the raw core schemas by kind. `onKind`
 * sees every kind asked for (tools/schemas records which kinds to commit).
 */
export function makeCoreLookup(byKind: ReadonlyMap<string, JsonSchema>, onKind?: (kind: string) => void): CoreLookup {
  return (kind, dotted) => {
    onKind?.(kind);
    let node = byKind.get(kind);
    if (!node) throw new Error(`a hand schema borrows from ${kind}, which is not in schemas/borrowed/: regenerate with \`npm run schemas\``);
    for (const part of dotted.split('.')) {
      const m = /^([^[\]]+)(\[\])?$/.exec(part);
      if (!node || !m) throw new Error(`hand schema refers to ${kind} ${dotted}, which does not exist`);
      node = node.properties?.[m[1]];
      if (m[2]) node = node?.items as JsonSchema | undefined;
    }
    if (!node) throw new Error(`hand schema refers to ${kind} ${dotted}, which does not exist`);
    return structuredClone(node);
  };
}
