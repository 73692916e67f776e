#!/usr/bin/env node
// Entry of the `gitops-scaffold` bin. Help, --version and completion run dist/cli.js (ES modules:
// they load ~60 KB of it); every other command runs dist/cli.cjs, the same CLI as one script,
// through a V8 code cache (bin/bundle.mjs: Node 20 has no other compile cache). In a development
// checkout (the TypeScript sources beside it), a bundle older than the sources would run stale
// code, so the sources run through tsx instead until the next `npm run build` (run when stale by
// `npm test`, `npm start` and `npm run examples`). An installed package has no sources and never looks (the look is a walk of
// generators/** and templates/**, ~10 ms).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = new URL('../generators/cli.ts', import.meta.url);
const argv = process.argv.slice(2);
// Either bundle runs every command correctly; this only picks the quicker one.
const first = argv.find((a) => !a.startsWith('-'));
const light = argv.includes('--help') || argv.includes('-h') || first === 'help' || first === 'completion' || first === '__complete' || (first === undefined && argv.includes('--version'));
let cli;
if (!existsSync(sources) || !(await import('../scripts/dist-freshness.mjs')).distIsStale(root)) {
  if (light) cli = await import('../dist/cli.js');
  else cli = (await import('./bundle.mjs')).loadBundle(fileURLToPath(new URL('../dist/cli.cjs', import.meta.url)), argv);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(sources.href);
}
process.exitCode = await cli.runProcess(argv);
