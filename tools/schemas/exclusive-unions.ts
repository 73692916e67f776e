// CRD-generated packages (istio, gateway-api) declare "set at most one of exact/prefix/regex" as
// `T & (Exclude<T, T & (A | B | C)> | A | B | C)`. ts-json-schema-generator resolves the Exclude to
// nothing and emits `anyOf: [A, B, C]`, which wrongly rejects an object that sets none of them
// and wrongly accepts one that sets two. Upstream says `oneOf` (with a "none of them" branch when
// the CRD has `not: anyOf`). This step restores that, asking the package's own validator whether
// "none of them" is allowed at each such place.
import { type JsonSchema, dataPointer, walkSchema } from '../../generators/validate/build/json-schema.ts';
import { plant, type UpstreamValidate } from './probe-integers.ts';

/** Returns how many unions were rewritten. */
export function fixExclusiveUnions(root: JsonSchema, validate: UpstreamValidate): number {
  let fixed = 0;
  walkSchema(root, (node, steps) => {
    const group = exclusiveGroup(node.anyOf);
    if (!group) return;
    const pointer = dataPointer(steps);
    const probe: Record<string, unknown> = {};
    plant(probe, steps, {});
    const noneAllowed =
      steps.length > 0 && !validate(probe).some((e) => e.instancePath === pointer && ['anyOf', 'oneOf', 'required', 'not'].includes(e.keyword));
    const branches = node.anyOf!;
    delete node.anyOf;
    node.oneOf = noneAllowed
      ? [
          {
            type: 'object',
            properties: structuredClone(branches[0].properties),
            ...(group.common.length ? { required: group.common } : {}),
            not: { anyOf: group.distinct.map((r) => ({ required: [r] })) },
          },
          ...branches,
        ]
      : branches;
    fixed++;
  });
  return fixed;
}

/** Branches that are the same object type, each requiring exactly one field of its own. */
function exclusiveGroup(branches: JsonSchema[] | undefined): { common: string[]; distinct: string[] } | undefined {
  if (!branches || branches.length < 2) return undefined;
  if (!branches.every((b) => b.type === 'object' && b.properties && b.required?.length)) return undefined;
  const keys = (b: JsonSchema) => Object.keys(b.properties!).sort().join(',');
  if (!branches.every((b) => keys(b) === keys(branches[0]))) return undefined;
  const common = branches[0].required!.filter((r) => branches.every((b) => b.required!.includes(r)));
  const distinct = branches.map((b) => b.required!.filter((r) => !common.includes(r)));
  if (!distinct.every((d) => d.length === 1)) return undefined;
  const flat = distinct.map((d) => d[0]);
  if (new Set(flat).size !== flat.length) return undefined;
  return { common, distinct: flat };
}
