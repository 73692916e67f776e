// Where the package lives on disk (templates/, examples/, .cache/schemas/ are read from there),
// found from this module's own location, so it holds from the sources (generators/*.ts through
// tsx), from the bundle (dist/*.js and dist/chunks/*.js) and from an installed copy in
// node_modules alike.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'gitops-scaffold') return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`gitops-scaffold: cannot find its package.json above ${fileURLToPath(import.meta.url)}`);
    dir = path.dirname(dir);
  }
}

export const PACKAGE_ROOT = findPackageRoot();

/**
 * A development checkout (the TypeScript sources are there), as opposed to an installed package,
 * which ships only dist/ and its prebuilt schemas: only a checkout may rebuild what it derives.
 */
export const IS_SOURCE_CHECKOUT = existsSync(path.join(PACKAGE_ROOT, 'generators', 'cli.ts'));
