// `npm run plop -- <generator>`: plop's own command line with this repository's plopfile, exiting
// as gitops-scaffold does: 2 when an answer was bad input (nothing written), 1 for conflicts or
// failed checks. plop itself exits 1 for every failed action; the generators record the real code
// (generators/platform.ts PLOP_EXIT_CODE) and it is applied here.
const PLOP_EXIT_CODE = Symbol.for('gitops-scaffold.plop.exitCode');
const exit = process.exit.bind(process);
process.exit = (code) => exit(code === 1 && globalThis[PLOP_EXIT_CODE] ? globalThis[PLOP_EXIT_CODE] : code);
await import('plop/bin/plop.js');
