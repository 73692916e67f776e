// What the built schemas (.cache/schemas) depend on, hashed: the committed schema set (its
// manifest, schemas/manifest.json, which records the package versions and the sha256 of every
// committed file; the build refuses files that do not match it), the compiler's version (ajv), and
// the sources of the build itself (catalog, build steps, hand-written schemas). The build skips
// when the fingerprint is unchanged; a checkout's runtime rebuilds when it changed (a pull that
// regenerated schemas/ or touched a hand-written schema, an `npm ci` that moved ajv). Nothing here
// reads the packages the schemas were generated from: they are not installed (tools/schemas).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

/** The project root (where package.json is); found the same way from sources and from dist/. */
export const PROJECT_ROOT = PACKAGE_ROOT;
export const SCHEMA_DIR = path.join(PROJECT_ROOT, '.cache', 'schemas');

const SOURCE_FILES = ['generators/validate/catalog.ts', 'generators/validate/schema-fingerprint.ts', 'schemas/manifest.json'];
const SOURCE_DIRS = ['generators/validate/build', 'generators/validate/hand-schemas'];

/** The installed packages whose code ends up in the built validators: the compiler. */
const COMPILERS = ['ajv'];

export function installedVersion(pkg: string, root = PROJECT_ROOT): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

export function schemaFingerprint(root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  for (const pkg of COMPILERS) hash.update(`${pkg}@${installedVersion(pkg, root) ?? 'missing'}\n`);
  const files = [...SOURCE_FILES];
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs).sort()) if (f.endsWith('.ts')) files.push(`${dir}/${f}`);
  }
  for (const f of files) {
    const abs = path.join(root, f);
    hash.update(f + '\0');
    hash.update(fs.existsSync(abs) ? fs.readFileSync(abs) : 'missing');
  }
  return hash.digest('hex').slice(0, 16);
}
