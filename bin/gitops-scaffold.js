#!/usr/bin/env node
// Entry of the `gitops-scaffold` bin. The TypeScript sources run through tsx's loader, which
// is a runtime dependency (Node 20 cannot strip types itself).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../generators/cli.ts');
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  interactive,
});
