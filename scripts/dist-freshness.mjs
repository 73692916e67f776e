// Is dist/ older than the sources it is compiled from? Shared by the bin (which then runs the
// sources through tsx rather than stale code) and the build (which then rebuilds).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time of the compiled inputs (generators/**.ts, templates/**, plopfile.ts, package.json). */
function newestSource(root) {
  let newest = 0;
  const visit = (file) => {
    const t = statSync(file).mtimeMs;
    if (t > newest) newest = t;
  };
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.hbs')) visit(p);
    }
  };
  walk(path.join(root, 'generators'));
  walk(path.join(root, 'templates'));
  visit(path.join(root, 'plopfile.ts'));
  visit(path.join(root, 'package.json'));
  // The build itself: a newer build script may produce files an older dist/ lacks.
  visit(path.join(root, 'scripts', 'build-dist.mjs'));
  return newest;
}

/** What the bin loads from dist/: a dist/ without one of them is stale whatever its stamp says. */
export const DIST_ENTRIES = ['cli.js', 'cli.cjs'];

export function distIsStale(root) {
  const stamp = path.join(root, 'dist', 'build.json');
  if (!existsSync(stamp)) return true;
  if (DIST_ENTRIES.some((f) => !existsSync(path.join(root, 'dist', f)))) return true;
  return newestSource(root) > statSync(stamp).mtimeMs;
}
