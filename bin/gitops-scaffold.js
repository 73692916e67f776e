#!/usr/bin/env node
// Entry of the `gitops-scaffold` bin: runs the compiled bundle (dist/cli.js). In a development
// checkout (the TypeScript sources beside it), a bundle older than the sources would run stale
// code, so the sources run through tsx instead until the next `npm run build` (run by `npm ci`
// and `npm test`). An installed package has no sources and never looks.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node >= 22.1 keeps the compiled bundle on disk between runs (a no-op on 20, and with
// NODE_DISABLE_COMPILE_CACHE=1): start-up then skips parsing and compiling dist/.
module.enableCompileCache?.();

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = new URL('../generators/cli.ts', import.meta.url);
let cli;
if (!existsSync(sources)) cli = await import('../dist/cli.js');
else {
  const { distIsStale } = await import('../scripts/dist-freshness.mjs');
  if (!distIsStale(root)) cli = await import('../dist/cli.js');
  else {
    const { register } = await import('tsx/esm/api');
    register();
    cli = await import(sources.href);
  }
}
process.exitCode = await cli.runProcess(process.argv.slice(2));
