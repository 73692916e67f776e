// The embedded strict schema layer: every parsed resource against the precompiled schema of its
// apiVersion and kind, with kubeconform's --skip / --reject / --ignore-missing-schemas semantics.
// Pure apart from lazily loading validators from .cache/schemas.
import type { Finding, ResourceRef } from '../check/finding.ts';
import { isKustomizationFile } from '../check/parse.ts';
import type { ParsedResource } from '../check/resources.ts';
import { schemaFindings } from './ajv-findings.ts';
import { findUnserved, otherVersionsOf } from './catalog.ts';
import { jsonSchemaFor, schemaKind, validatorFor } from './schema-store.ts';

export interface SchemaLayerOptions {
  /** kubeconform -skip: `Kind` or `apiVersion/Kind` (e.g. `kustomize.config.k8s.io/v1beta1/Kustomization`). */
  skip?: readonly string[];
  /** kubeconform -reject: matching resources are errors ("prohibited resource kind"). */
  reject?: readonly string[];
  /** kubeconform -ignore-missing-schemas: a kind without a schema is skipped, not an error. */
  ignoreMissingSchemas?: boolean;
  /** Files that are kustomize patches: partial resources, so missing required fields are fine. */
  partialFiles?: ReadonlySet<string>;
}

export interface SchemaLayerResult {
  findings: Finding[];
  /** Resources validated against a schema. */
  validated: number;
  skipped: number;
  /** Kinds validated against a hand-written (best-effort) schema, `apiVersion/Kind`. */
  handSchemaKinds: string[];
  /** Kinds with no schema, `apiVersion/Kind` (errors unless ignoreMissingSchemas). */
  missingSchemaKinds: string[];
}

export const matchesKindList = (list: readonly string[] | undefined, apiVersion: string, kind: string) =>
  !!list?.some((k) => k === kind || k === `${apiVersion}/${kind}`);

export function refOf(obj: any): ResourceRef {
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { apiVersion: s(obj?.apiVersion), kind: s(obj?.kind), name: s(obj?.metadata?.name) ?? prefixed(obj), namespace: s(obj?.metadata?.namespace) };
}
const prefixed = (obj: any) => (typeof obj?.metadata?.generateName === 'string' ? `${obj.metadata.generateName}{{ generateName }}` : undefined);

/** What the layer does with one apiVersion and kind: the same for each resource of the type. */
type TypeCheck =
  | { does: 'skip' }
  | { does: 'reject' }
  | { does: 'missing' }
  | { does: 'unserved'; use: string }
  | { does: 'validate'; entry: NonNullable<ReturnType<typeof schemaKind>>; validate: NonNullable<ReturnType<typeof validatorFor>> };

export function validateSchemas(resources: readonly ParsedResource[], opts: SchemaLayerOptions = {}): SchemaLayerResult {
  const result: SchemaLayerResult = { findings: [], validated: 0, skipped: 0, handSchemaKinds: [], missingSchemaKinds: [] };
  const hand = new Set<string>();
  const missing = new Set<string>();
  // Worked out once per type, in the order the resources first need it (a validator is loaded
  // when the first resource of its kind gets that far, as before).
  const types = new Map<string, Map<string, TypeCheck>>();
  const typeCheck = (apiVersion: string, kind: string): TypeCheck => {
    let ofVersion = types.get(apiVersion);
    if (!ofVersion) types.set(apiVersion, (ofVersion = new Map()));
    let t = ofVersion.get(kind);
    if (!t) {
      if (matchesKindList(opts.skip, apiVersion, kind) || isToolModel(apiVersion)) t = { does: 'skip' };
      else if (matchesKindList(opts.reject, apiVersion, kind)) t = { does: 'reject' };
      else {
        const unserved = findUnserved(apiVersion, kind);
        if (unserved) t = { does: 'unserved', use: unserved.use };
        else {
          const entry = schemaKind(apiVersion, kind);
          const validate = validatorFor(apiVersion, kind);
          t = entry && validate ? { does: 'validate', entry, validate } : { does: 'missing' };
        }
      }
      ofVersion.set(kind, t);
    }
    return t;
  };
  for (const r of resources) {
    const { apiVersion, kind } = effectiveType(r);
    const t = typeCheck(apiVersion, kind);
    if (t.does === 'skip') {
      result.skipped++;
      continue;
    }
    const base = () => ({ source: 'embedded-schema', file: r.file, line: r.line, resource: refOf(r.obj) }) as const;
    if (t.does === 'reject') {
      result.findings.push({ ...base(), rule: 'schema/rejected-kind', severity: 'error', path: '/kind', message: `kind: prohibited resource kind ${kind}`, fix: `Remove the ${kind}, or drop it from --reject.` });
      continue;
    }
    if (t.does === 'unserved') {
      result.findings.push({
        ...base(),
        rule: 'schema/unserved-version',
        severity: 'error',
        path: '/apiVersion',
        line: r.lineOf?.('/apiVersion') ?? r.line,
        message: `apiVersion: ${apiVersion} is no longer served for ${kind}; use ${t.use}`,
        fix: `Change apiVersion to ${t.use} (and adapt fields the new version renamed).`,
      });
      continue;
    }
    if (t.does === 'missing') {
      if (opts.ignoreMissingSchemas) {
        result.skipped++;
        continue;
      }
      missing.add(`${apiVersion}/${kind}`);
      const others = otherVersionsOf(kind, apiVersion);
      result.findings.push({
        ...base(),
        rule: 'schema/missing-schema',
        severity: 'error',
        path: '/kind',
        message: `kind: could not find schema for ${kind} (apiVersion ${apiVersion})`,
        fix: others.length
          ? `Use a served apiVersion for ${kind}: ${others.join(' or ')}.`
          : `Check apiVersion and kind; for a kind this tool has no schema for, pass --skip ${apiVersion}/${kind} or --ignore-missing-schemas.`,
      });
      continue;
    }
    const { entry, validate } = t;
    result.validated++;
    if (entry.source === 'hand') hand.add(`${apiVersion}/${kind}`);
    const partial = opts.partialFiles?.has(r.file) ?? false;
    if (!validate(r.obj)) {
      result.findings.push(...schemaFindings(validate.errors ?? [], { resource: r, ref: refOf(r.obj), schema: () => jsonSchemaFor(entry.id), partial }));
    }
    if (!partial && !isKustomizeKind(apiVersion) && !r.obj?.metadata?.name && !r.obj?.metadata?.generateName) {
      result.findings.push({
        ...base(),
        rule: 'schema/required',
        severity: 'error',
        path: '/metadata/name',
        line: r.lineOf?.('/metadata') ?? r.line,
        message: 'metadata.name: required field is missing (the API server rejects an object without a name)',
        fix: 'Add metadata.name.',
      });
    }
  }
  result.handSchemaKinds = [...hand].sort();
  result.missingSchemaKinds = [...missing].sort();
  return result;
}

const isKustomizeKind = (apiVersion: string) => apiVersion.startsWith('kustomize.config.k8s.io/');

/** gitops-scaffold's own files (platform.yaml): checked by the model validation, not applied to a cluster. */
export const TOOL_MODEL_GROUP = 'gitops-scaffold.dev';
const isToolModel = (apiVersion: string) => apiVersion.startsWith(`${TOOL_MODEL_GROUP}/`);

/** kustomization files may leave out apiVersion and kind (kustomize fills them in). */
function effectiveType(r: ParsedResource): { apiVersion: string; kind: string } {
  const obj = r.obj ?? {};
  if (isKustomizationFile(r.file) && (!obj.kind || !obj.apiVersion)) {
    const kind = obj.kind ?? 'Kustomization';
    return { apiVersion: obj.apiVersion ?? (kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1'), kind };
  }
  return { apiVersion: String(obj.apiVersion), kind: String(obj.kind) };
}
