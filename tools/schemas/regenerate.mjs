// `npm run schemas`: regenerates the committed strict schemas (schemas/) with this folder's own
// dependencies (the kubernetes-models packages and ts-json-schema-generator, pinned by
// package-lock.json here), installing them first when they are missing or not what the lockfile
// says. Maintainers only: building, testing and packing gitops-scaffold need none of this.
// Usage: npm run schemas [-- --check]
//   --check  regenerate into a scratch folder and compare with schemas/ (exit 1 on a difference)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const check = process.argv.includes('--check');
const log = (line) => console.error(`schemas: ${line}`);

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) log(`the kubernetes-models packages declare Node >= 22 (this is ${process.version}): npm warns EBADENGINE, and the output is checked below all the same`);

// node_modules/.package-lock.json is npm's record of what it installed: equal to the lockfile's
// packages when the install is current.
const installed = () => {
  try {
    const want = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8')).packages;
    const have = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', '.package-lock.json'), 'utf8')).packages;
    return Object.entries(want).every(([k, v]) => !k || have[k]?.version === v.version);
  } catch {
    return false;
  }
};
if (!installed()) {
  log('installing tools/schemas dependencies (npm ci)...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' });
}

const { tsImport } = await import('tsx/esm/api');
const { regenerate } = await tsImport('./regenerate.ts', import.meta.url);
const committed = path.join(root, 'schemas');
if (!check) {
  await regenerate(committed, log);
  log('done; `npm test` rebuilds the validators from them');
} else {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-schemas-'));
  try {
    await regenerate(scratch, log);
    const list = (dir) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    const a = list(committed);
    const b = list(scratch);
    const differ = [...new Set([...a, ...b])].filter((f) => !a.includes(f) || !b.includes(f) || !fs.readFileSync(path.join(committed, f)).equals(fs.readFileSync(path.join(scratch, f))));
    if (differ.length) {
      log(`schemas/ differs from a regeneration in ${differ.length} file(s): ${differ.slice(0, 10).join(', ')}${differ.length > 10 ? ', ...' : ''}`);
      process.exitCode = 1;
    } else log(`schemas/ is byte-identical to a regeneration (${a.length} files)`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
