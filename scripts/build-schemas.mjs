// Generates the strict schemas and precompiled validators the `validate` command uses, into
// .cache/schemas (gitignored). The work lives in generators/validate/build/build-schemas.ts; this
// file only loads it through tsx. Skips when nothing it depends on changed.
// Usage: node scripts/build-schemas.mjs [--force] [--quiet]
import { tsImport } from 'tsx/esm/api';

const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
try {
  const { buildSchemas } = await tsImport('../generators/validate/build/build-schemas.ts', import.meta.url);
  const result = await buildSchemas({ force, log: quiet ? undefined : (line) => console.error(`build-schemas: ${line}`) });
  if (result.skipped && !quiet) console.error(`build-schemas: up to date (${result.kinds} kinds in .cache/schemas)`);
} catch (e) {
  // An install without dev dependencies has no schema generator: not fatal for the install, and
  // `validate` says what to do when it needs the schemas.
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('ts-json-schema-generator')) {
    console.error('build-schemas: skipped, ts-json-schema-generator (a dev dependency) is not installed; run `npm install` then `npm run build`');
  } else {
    console.error(`build-schemas: failed: ${e?.stack ?? e}`);
    process.exitCode = 1;
  }
}
