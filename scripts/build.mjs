// `npm run build`, also run by `npm pack` / `npm publish` (the `prepack` script) and, when stale,
// by `npm test`, `npm start` and `npm run examples`: compiles dist/ (esbuild, a few seconds) and
// compiles the strict schemas committed in schemas/ into validators in .cache/schemas (Ajv only;
// skipped when current; regenerating schemas/ itself is `npm run schemas`, tools/schemas). The published package
// carries both, so installing it builds nothing, and its package.json names no script npm runs on
// install (no `prepare`: npm 11 lists such a package as "has install scripts not yet covered by
// allowScripts", and a checkout's `npm ci` gets its build from the commands that need it instead).
// Usage: node scripts/build.mjs [--force] [--quiet] [--if-stale]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const step = (script, ...extra) => execFileSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...extra], { stdio: 'inherit' });

step('./build-dist.mjs', ...args.filter((a) => a === '--quiet' || a === '--if-stale'));
// Strict JSON schemas + precompiled validators for `gitops-scaffold validate` (.cache/schemas).
step('./build-schemas.mjs', ...args.filter((a) => a !== '--if-stale'));
