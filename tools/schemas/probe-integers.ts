// TypeScript has one `number` type, so a schema generated from a .d.ts cannot tell `replicas`
// (an integer) from a float. The kubernetes-models validators can: they were compiled from the
// upstream OpenAPI/CRD schemas. This step asks them, once per kind when schemas/ is regenerated:
// it puts 0.5 at every numeric location of a probe object, runs the package's own validator, and
// turns each location the validator rejects with "must be integer" into `type: integer`.
import { type JsonSchema, type Step, dataPointer, typesOf, walkSchema } from '../../generators/validate/build/json-schema.ts';

export type UpstreamValidate = (data: unknown) => { instancePath: string; keyword: string; params: Record<string, unknown> }[];

/** Returns how many numeric locations became integers. */
export function probeIntegers(root: JsonSchema, validate: UpstreamValidate): number {
  const numeric: { node: JsonSchema; pointer: string; steps: readonly Step[] }[] = [];
  walkSchema(root, (node, steps) => {
    if (typesOf(node).includes('number')) numeric.push({ node, pointer: dataPointer(steps), steps });
  });
  if (numeric.length === 0) return 0;

  const probe: Record<string, unknown> = {};
  for (const n of numeric) plant(probe, n.steps, 0.5);
  const integerAt = new Set(
    validate(probe)
      .filter((e) => e.keyword === 'type' && String(e.params.type).includes('integer'))
      .map((e) => e.instancePath),
  );
  let changed = 0;
  for (const n of numeric) {
    if (!integerAt.has(n.pointer)) continue;
    n.node.type = Array.isArray(n.node.type) ? n.node.type.map((t) => (t === 'number' ? 'integer' : t)) : 'integer';
    changed++;
  }
  return changed;
}

/** Builds the data path the steps describe (arrays at index 0, maps at key `k`) and sets a leaf. */
export function plant(target: Record<string, unknown>, steps: readonly Step[], leaf: unknown): void {
  const path = steps.filter((s) => !('branch' in s));
  let cur: any = target;
  for (let i = 0; i < path.length; i++) {
    const s = path[i];
    const key: string | number = 'prop' in s ? s.prop : 'item' in s ? 0 : 'k';
    const last = i === path.length - 1;
    if (last) {
      if (cur[key] === undefined) cur[key] = leaf;
      return;
    }
    const next = path[i + 1];
    const want = 'item' in next ? 'array' : 'object';
    const existing = cur[key];
    if (existing === undefined || typeof existing !== 'object' || Array.isArray(existing) !== (want === 'array')) {
      // A location that is a number in one union branch and a container in another keeps the
      // first shape planted; the other one is simply not probed.
      if (existing !== undefined) return;
      cur[key] = want === 'array' ? [] : {};
    }
    cur = cur[key];
  }
}
