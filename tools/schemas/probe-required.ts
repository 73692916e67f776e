// The declarations mark a field required wherever the TypeScript type has it non-optional, which
// is stricter than upstream in places: a PersistentVolumeClaim inside a StatefulSet's
// volumeClaimTemplates needs no apiVersion/kind, and istio's AuthorizationPolicy does not require
// `provider` (the CRD says "provider only for CUSTOM"). This step keeps a field required only when
// the package's own validator also requires it: it plants an empty object at each location and
// reads which required fields the validator reports missing there.
import { type JsonSchema, dataPointer, walkSchema } from '../../generators/validate/build/json-schema.ts';
import { plant, type UpstreamValidate } from './probe-integers.ts';

/** Returns how many required markers were dropped. */
export function probeRequired(root: JsonSchema, validate: UpstreamValidate): number {
  let dropped = 0;
  walkSchema(root, (node, steps) => {
    // The root's apiVersion/kind/metadata/spec are checked as declared; union branches express
    // "one of these" and are handled by exclusive-unions.ts.
    if (!node.required?.length || steps.length === 0 || 'branch' in steps[steps.length - 1]) return;
    const pointer = dataPointer(steps);
    const probe: Record<string, unknown> = {};
    plant(probe, steps, {});
    const upstream = new Set(
      validate(probe)
        .filter((e) => e.keyword === 'required' && e.instancePath === pointer)
        .map((e) => String(e.params.missingProperty)),
    );
    const kept = node.required.filter((r) => upstream.has(r));
    dropped += node.required.length - kept.length;
    if (kept.length) node.required = kept;
    else delete node.required;
  });
  return dropped;
}
