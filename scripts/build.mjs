// `npm run build`, also run by `npm ci` through the `prepare` script. Each step is idempotent and
// skips quickly when its output is current, so re-running costs well under a second.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const step = (script, ...args) =>
  execFileSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: 'inherit' });

// Strict JSON schemas + precompiled validators for `gitops-scaffold validate` (.cache/schemas).
step('./build-schemas.mjs', ...process.argv.slice(2));
