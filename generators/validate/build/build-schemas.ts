// Builds the strict schema set into .cache/schemas (gitignored):
//   json/<id>.json         strict JSON Schema, draft-07, self-contained (#/definitions refs only)
//   validators/<id>.cjs    Ajv standalone validator of that schema
//   manifest.json          fingerprint, package versions, one row per kind
//   platform-validator.cjs platform.yaml's validator, with the hash of the schema it checks
// Called by scripts/build-schemas.mjs (npm ci / npm run build) and, when the output is missing or
// stale, on first use by the runtime. Skips when the fingerprint is unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG, type KindEntry, schemaId } from '../catalog.ts';
import { HAND_SCHEMAS } from '../hand-schemas/index.ts';
import { PROJECT_ROOT, SCHEMA_DIR, installedVersion, schemaFingerprint, sourcePackages } from '../schema-fingerprint.ts';
import { PLATFORM_VALIDATOR_FILE, platformValidatorModule, schemaHash } from '../platform-validator.ts';
import { compileStandalone } from './compile-validators.ts';
import { generateFromDts } from './generate-from-dts.ts';
import type { JsonSchema } from './json-schema.ts';
import { normalize } from './normalize-schema.ts';
import { applyPatches } from './patches.ts';
import { shareDefinitions } from './share-definitions.ts';
import { fixExclusiveUnions } from './exclusive-unions.ts';
import { probeIntegers, type UpstreamValidate } from './probe-integers.ts';
import { probeRequired } from './probe-required.ts';

export interface ManifestKind {
  apiVersion: string;
  kind: string;
  id: string;
  scope: KindEntry['scope'];
  /** npm package the schema was generated from, or `hand` for a hand-written one. */
  source: string;
  /** Where a hand schema's field names were checked. */
  reference?: string;
  patches: string[];
  integersFromUpstream: number;
}

export interface SchemaManifest {
  fingerprint: string;
  packages: Record<string, string>;
  buildMs: number;
  kinds: ManifestKind[];
}

export interface BuildResult {
  skipped: boolean;
  dir: string;
  kinds: number;
  ms: number;
}

export function readManifest(dir = SCHEMA_DIR): SchemaManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * platform.yaml's validator (validate/platform-validator.ts), rebuilt whenever the model schema
 * changed: it depends on model/schema.ts only, not on the packages the kinds come from.
 */
export async function buildPlatformValidator(opts: { force?: boolean } = {}): Promise<boolean> {
  const { platformSchema } = await import('../../model/schema.ts');
  const file = PLATFORM_VALIDATOR_FILE;
  if (!opts.force && fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(JSON.stringify(schemaHash(platformSchema)))) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, platformValidatorModule(platformSchema));
  fs.renameSync(tmp, file);
  return true;
}

export async function buildSchemas(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<BuildResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const fingerprint = schemaFingerprint();
  const current = readManifest();
  if (!opts.force && current?.fingerprint === fingerprint) {
    if (await buildPlatformValidator()) log('rebuilt the platform.yaml validator');
    return { skipped: true, dir: SCHEMA_DIR, kinds: current.kinds.length, ms: Math.round(performance.now() - started) };
  }

  const tmp = `${SCHEMA_DIR}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, 'json'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'validators'), { recursive: true });

  const packaged = CATALOG.filter((e) => e.source.type === 'package');
  const generated = await generateFromDts(packaged, path.join(PROJECT_ROOT, '.cache', 'schemas-src'));
  log(`generated ${generated.size} schemas from type declarations (${Math.round(performance.now() - started)} ms)`);

  // Integers first, in place, so hand schemas that borrow core shapes get them too.
  const integers = new Map<KindEntry, number>();
  for (const [entry, raw] of generated) {
    const upstream = await upstreamValidator(entry);
    integers.set(entry, probeIntegers(raw, upstream));
    fixExclusiveUnions(raw, upstream);
    probeRequired(raw, upstream);
  }
  const coreLookup = makeCoreLookup(generated);
  const kinds: ManifestKind[] = [];
  for (const entry of CATALOG) {
    const id = schemaId(entry);
    let raw: JsonSchema;
    let source: string;
    let reference: string | undefined;
    if (entry.source.type === 'package') {
      raw = structuredClone(generated.get(entry)!);
      source = entry.source.pkg;
    } else {
      const make = HAND_SCHEMAS[entry.source.name];
      if (!make) throw new Error(`catalog names hand schema "${entry.source.name}", which hand-schemas/index.ts does not export`);
      raw = make(coreLookup);
      source = 'hand';
      reference = entry.source.reference;
    }
    const patches = applyPatches(entry, raw);
    const schema = normalize(raw);
    shareDefinitions(schema);
    fs.writeFileSync(path.join(tmp, 'json', `${id}.json`), JSON.stringify(schema));
    fs.writeFileSync(path.join(tmp, 'validators', `${id}.cjs`), compileStandalone(schema));
    kinds.push({ apiVersion: entry.apiVersion, kind: entry.kind, id, scope: entry.scope, source, reference, patches, integersFromUpstream: integers.get(entry) ?? 0 });
  }

  const packages = Object.fromEntries(sourcePackages().map((p) => [p, installedVersion(p) ?? 'missing']));
  const buildMs = Math.round(performance.now() - started);
  const manifest: SchemaManifest = { fingerprint, packages, buildMs, kinds };
  fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  publish(tmp, SCHEMA_DIR);
  await buildPlatformValidator({ force: true });
  log(`built ${kinds.length} strict schemas into ${path.relative(PROJECT_ROOT, SCHEMA_DIR)} in ${(buildMs / 1000).toFixed(1)} s`);
  return { skipped: false, dir: SCHEMA_DIR, kinds: kinds.length, ms: buildMs };
}

/** Swaps the finished build in; a concurrent build that finished first is simply replaced. */
function publish(tmp: string, dir: string) {
  const old = `${dir}.old-${process.pid}`;
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

/** The package's own (non-strict) validator, used to learn which numbers are integers. */
async function upstreamValidator(entry: KindEntry): Promise<UpstreamValidate> {
  if (entry.source.type !== 'package') throw new Error('not a package kind');
  const mod = await import(entry.source.module);
  const Model = mod[entry.kind];
  return (data) => {
    try {
      new Model(data).validate();
      return [];
    } catch (e: any) {
      return e?.errors ?? [];
    }
  };
}

/** Looks up `spec.containers[].resources` style paths in the generated core schemas. */
function makeCoreLookup(generated: Map<KindEntry, JsonSchema>) {
  const byKind = new Map<string, JsonSchema>();
  for (const [e, s] of generated) if (e.source.type === 'package' && e.source.pkg === 'kubernetes-models') byKind.set(e.kind, s);
  return (kind: string, dotted: string): JsonSchema => {
    let node = byKind.get(kind);
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
