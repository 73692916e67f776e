// Compiles the strict schemas and precompiled validators the `validate` command uses, into
// .cache/schemas (gitignored, shipped in the package), from the committed schemas/ and the
// hand-written schemas, with Ajv. The work lives in generators/validate/build/build-schemas.ts;
// this file only loads it through tsx. Skips when nothing it depends on changed. (Regenerating
// schemas/ itself from the kubernetes-models packages is `npm run schemas`, tools/schemas.)
// Usage: node scripts/build-schemas.mjs [--force] [--quiet]
import { tsImport } from 'tsx/esm/api';

const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
try {
  const { buildSchemas } = await tsImport('../generators/validate/build/build-schemas.ts', import.meta.url);
  const result = await buildSchemas({ force, log: quiet ? undefined : (line) => console.error(`build-schemas: ${line}`) });
  if (result.skipped && !quiet) console.error(`build-schemas: up to date (${result.kinds} kinds in .cache/schemas)`);
} catch (e) {
  console.error(`build-schemas: failed: ${e?.stack ?? e}`);
  process.exitCode = 1;
}
