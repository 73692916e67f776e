// The validator of platform.yaml's JSON Schema (model/schema.ts), precompiled at build time like
// the strict Kubernetes schemas: compiling it with Ajv costs a third of a second on every run.
// The build (build/build-schemas.ts) writes it to .cache/schemas/platform-validator.cjs with the
// hash of the schema it was compiled from; when that hash is not the current schema's (the
// schema changed and nobody rebuilt yet), the schema is compiled here instead: slower, never
// wrong. Options are the ones validate-spec.ts's messages rely on (all errors, verbose).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadCommonJs } from './code-cache.ts';
import { SCHEMA_DIR } from './schema-fingerprint.ts';

export const PLATFORM_VALIDATOR_FILE = path.join(SCHEMA_DIR, 'platform-validator.cjs');
export const PLATFORM_AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

export interface PlatformValidator {
  (data: unknown): boolean;
  errors?: any[] | null;
}

/** Bump when platformValidatorModule writes different code for the same schema. */
const MODULE_FORMAT = 'platform-validator-2';

export const schemaHash = (schema: object) => createHash('sha256').update(MODULE_FORMAT).update(JSON.stringify(schema)).digest('hex');

/** The precompiled validator when it was built from `schema`, else `schema` compiled now. */
export function platformValidator(schema: object): PlatformValidator {
  const hash = schemaHash(schema);
  if (fs.existsSync(PLATFORM_VALIDATOR_FILE)) {
    try {
      const mod = loadCommonJs(PLATFORM_VALIDATOR_FILE);
      if (mod.schemaHash === hash && typeof mod === 'function') return mod;
    } catch {
      /* unreadable: compile below */
    }
  }
  return compilePlatformValidator(schema);
}

export function compilePlatformValidator(schema: object): PlatformValidator {
  const { Ajv } = createRequire(import.meta.url)('ajv');
  return new Ajv(PLATFORM_AJV_OPTIONS).compile(schema);
}

/** Standalone module source: the validator and the hash of the schema it checks. */
export function platformValidatorModule(schema: object): string {
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv');
  const standalone = require('ajv/dist/standalone/index.js');
  const ajv = new Ajv({ ...PLATFORM_AJV_OPTIONS, code: { source: true, esm: false } });
  let code: string = (standalone.default ?? standalone)(ajv, ajv.compile(schema));
  // The installed package has no ajv (nothing but the bundle): its run-time helpers go inline.
  code = code.replace(/require\("(ajv\/dist\/runtime\/[\w-]+)"\)/g, (_m, mod: string) => {
    const source = fs.readFileSync(require.resolve(mod), 'utf8');
    return `((() => { const module = { exports: {} }; const exports = module.exports; ${source}\n; return module.exports; })())`;
  });
  if (/(?<!['"])require\(/.test(code)) throw new Error('platform validator: unexpected require() left in the standalone code');
  return `${code}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(schema))};\n`;
}
