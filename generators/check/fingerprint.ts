// What the pre-write check's results (and a render) depend on besides the files themselves: this
// tool's code (rules, checkers, planners, templates) and the strict schemas. A cache made under
// another fingerprint is not used at all, so an upgrade or a local code change can never serve a
// stale finding or a stale no-op.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION } from '../model/versions.ts';
import { IS_SOURCE_CHECKOUT, PACKAGE_ROOT } from '../package-root.ts';
import { ensureSchemas } from '../validate/schema-store.ts';

let memo: string | undefined;

export function checkerFingerprint(): string {
  if (memo) return memo;
  const h = createHash('sha256').update(`${GENERATOR_VERSION}\0${ensureSchemas().fingerprint}\0`);
  const here = fileURLToPath(import.meta.url);
  if (here.includes(`${path.sep}dist${path.sep}`)) {
    // The bundle: its build stamp changes with every build.
    h.update(readOr(path.join(PACKAGE_ROOT, 'dist', 'build.json')));
  } else if (IS_SOURCE_CHECKOUT) {
    // The sources through tsx: every source and template file's size and modification time.
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') || e.name.endsWith('.hbs')) {
          const st = fs.statSync(p);
          h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
        }
      }
    };
    walk(path.join(PACKAGE_ROOT, 'generators'));
    walk(path.join(PACKAGE_ROOT, 'templates'));
  }
  memo = h.digest('hex').slice(0, 32);
  return memo;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return 'missing';
  }
}
