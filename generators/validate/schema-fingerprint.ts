// What the generated schemas depend on, hashed: the installed versions of the packages they are
// generated from and compiled with, and the sources of the build itself. The build skips when the
// fingerprint is unchanged; the runtime rebuilds when it changed (an `npm ci` that moved a
// package, a pull that touched a hand-written schema). Tool versions that only exist at build
// time (ts-json-schema-generator, typescript) are left out on purpose, so an install without dev
// dependencies still recognises a valid build.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG } from './catalog.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

/** The project root (where package.json is); found the same way from sources and from dist/. */
export const PROJECT_ROOT = PACKAGE_ROOT;
export const SCHEMA_DIR = path.join(PROJECT_ROOT, '.cache', 'schemas');

const SOURCE_FILES = ['generators/validate/catalog.ts', 'generators/validate/schema-fingerprint.ts'];
const SOURCE_DIRS = ['generators/validate/build', 'generators/validate/hand-schemas'];

/** Packages whose content ends up in the generated schemas or validators. */
export function sourcePackages(): string[] {
  const pkgs = new Set<string>(['ajv', '@kubernetes-models/apimachinery']);
  for (const e of CATALOG) if (e.source.type === 'package') pkgs.add(e.source.pkg);
  return [...pkgs].sort();
}

export function installedVersion(pkg: string, root = PROJECT_ROOT): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

export function schemaFingerprint(root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  for (const pkg of sourcePackages()) hash.update(`${pkg}@${installedVersion(pkg, root) ?? 'missing'}\n`);
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
