// Runtime access to the generated strict schemas (.cache/schemas, see build/build-schemas.ts).
// Validators are loaded lazily, one kind at a time and synchronously (CommonJS modules, through a
// V8 code cache: code-cache.ts), so `validate` starts fast and checkPlannedFiles can stay synchronous. When the build
// output is missing or stale it is generated once, with a one-line note on stderr.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ManifestKind, SchemaManifest } from './build/build-schemas.ts';
import type { JsonSchema } from './build/json-schema.ts';
import { gvkKey } from './catalog.ts';
import { loadCommonJs } from './code-cache.ts';
import { PROJECT_ROOT, SCHEMA_DIR, schemaFingerprint } from './schema-fingerprint.ts';
import { IS_SOURCE_CHECKOUT } from '../package-root.ts';

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
}
export type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

let manifest: SchemaManifest | undefined;
let byGvk: Map<string, ManifestKind> | undefined;
const validators = new Map<string, CompiledValidator>();
const jsonSchemas = new Map<string, JsonSchema>();

/** Makes sure the build output exists and matches the installed packages; builds it if not. */
export function ensureSchemas(): SchemaManifest {
  if (manifest) return manifest;
  let current = readManifestFile();
  // An installed package ships the schemas prebuilt (npm pack builds them) and has neither the
  // sources nor the packages they are built from: what it ships is what it uses.
  if (!IS_SOURCE_CHECKOUT && !current) throw new Error(`the strict schemas are missing from ${SCHEMA_DIR}; reinstall gitops-scaffold`);
  if (IS_SOURCE_CHECKOUT && current?.fingerprint !== schemaFingerprint()) {
    process.stderr.write(
      `gitops-scaffold: ${current ? 'schemas are out of date' : 'strict schemas not built yet'}; building them into .cache/schemas (once, about 15 s)...\n`,
    );
    const script = path.join(PROJECT_ROOT, 'scripts', 'build-schemas.mjs');
    try {
      // node:child_process is required here, not imported: loading it costs ~20 ms of every
      // command's start-up, and only a stale checkout ever builds.
      const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
      execFileSync(process.execPath, [script, '--quiet'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      throw new Error(`building the strict schemas failed (${(e as Error).message}); run \`npm run build\` and check its output`);
    }
    current = readManifestFile();
  }
  if (!current) throw new Error('building the strict schemas produced no manifest; run `npm run build` and check its output');
  manifest = current;
  byGvk = new Map(current.kinds.map((k) => [gvkKey(k.apiVersion, k.kind), k]));
  return current;
}

function readManifestFile(): SchemaManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

export function schemaKind(apiVersion: string, kind: string): ManifestKind | undefined {
  ensureSchemas();
  return byGvk!.get(gvkKey(apiVersion, kind));
}

/** The precompiled validator of a kind, or undefined when the kind has no schema. */
export function validatorFor(apiVersion: string, kind: string): CompiledValidator | undefined {
  const entry = schemaKind(apiVersion, kind);
  if (!entry) return undefined;
  let v = validators.get(entry.id);
  if (!v) {
    const mod = loadCommonJs(path.join(SCHEMA_DIR, 'validators', `${entry.id}.cjs`));
    v = (mod.default ?? mod) as CompiledValidator;
    validators.set(entry.id, v);
  }
  return v;
}

/** The strict JSON Schema of a kind (for hints and for `schemas export`). */
export function jsonSchemaFor(id: string): JsonSchema {
  let s = jsonSchemas.get(id);
  if (!s) {
    s = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'json', `${id}.json`), 'utf8')) as JsonSchema;
    jsonSchemas.set(id, s);
  }
  return s;
}
