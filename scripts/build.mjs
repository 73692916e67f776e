// `npm run build`, also run by `npm ci` / `npm install` in this checkout and by `npm pack` (the
// `prepare` script): compiles dist/ (esbuild, about a second) and builds the strict schemas into
// .cache/schemas (skipped when current). The published package carries both, so installing it
// builds nothing. Usage: node scripts/build.mjs [--force] [--quiet]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const step = (script, ...extra) => execFileSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...extra], { stdio: 'inherit' });

step('./build-dist.mjs', ...args.filter((a) => a === '--quiet'));
// Strict JSON schemas + precompiled validators for `gitops-scaffold validate` (.cache/schemas).
step('./build-schemas.mjs', ...args);
