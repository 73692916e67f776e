// Known differences between the kubernetes-models declarations and what the controllers accept,
// fixed after generation. Each patch names the upstream source it follows; each one was found by
// comparing the generated schema with the upstream CRD (see docs/validate.md).
import type { KindEntry } from '../catalog.ts';
import { type JsonSchema, type Step, walkSchema } from './json-schema.ts';

export interface SchemaPatch {
  /** Which kinds it applies to. */
  applies: (e: KindEntry) => boolean;
  why: string;
  apply: (root: JsonSchema) => void;
}

const lastProp = (steps: readonly Step[]): string | undefined => {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if ('prop' in s) return s.prop;
    if (!('branch' in s)) return undefined;
  }
  return undefined;
};

const isPkg = (pkg: string) => (e: KindEntry) => e.source.type === 'package' && e.source.pkg === pkg;

/** Replaces a node, in place, by a free-form object (any keys, any values). */
const makeFreeForm = (node: JsonSchema) => {
  for (const k of Object.keys(node)) delete node[k];
  node.type = 'object';
};

/** Drops `field` from `required` of every object reached through a property named `via`. */
const notRequiredUnder = (via: readonly string[], field: string) => (root: JsonSchema) =>
  walkSchema(root, (node, steps) => {
    const p = lastProp(steps);
    if (p && via.includes(p) && node.required?.includes(field)) {
      node.required = node.required.filter((r) => r !== field);
      if (node.required.length === 0) delete node.required;
    }
  });

/** Makes every node reached through a property named `name` free-form. */
const freeFormAt = (names: readonly string[]) => (root: JsonSchema) =>
  walkSchema(root, (node, steps) => {
    const p = lastProp(steps);
    if (p && names.includes(p)) makeFreeForm(node);
  });

export const PATCHES: readonly SchemaPatch[] = [
  {
    applies: isPkg('@kubernetes-models/argo-workflows'),
    why:
      'argo-workflows models take template container/script from corev1.Container, where name is required; ' +
      'the Argo Workflows v4 CRD requires no name there (templates name their container "main").',
    apply: notRequiredUnder(['container', 'script'], 'name'),
  },
  {
    applies: (e) => e.kind === 'CustomResourceDefinition',
    why:
      'JSONSchemaProps in kubernetes-models types enum/default/example/additionalProperties as objects, ' +
      'but they hold any JSON value (or a boolean); a CRD body is a schema, validated by the API server itself.',
    apply: freeFormAt(['openAPIV3Schema']),
  },
];

export function applyPatches(entry: KindEntry, root: JsonSchema): string[] {
  const applied: string[] = [];
  for (const p of PATCHES) {
    if (!p.applies(entry)) continue;
    p.apply(root);
    applied.push(p.why);
  }
  return applied;
}
