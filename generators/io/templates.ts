// Reads the templates/ folder of the package once. This is the only file access the render step
// needs, kept here so planning and rendering stay pure.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateSource } from '../render/engine.ts';

/** The package root: the nearest ancestor holding templates/ (works from source and from dist/). */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'templates', '_partials')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
export const PACKAGE_ROOT = findPackageRoot();
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

let cache: TemplateSource | undefined;

export function loadTemplates(dir = TEMPLATES_DIR): TemplateSource {
  if (dir === TEMPLATES_DIR && cache) return cache;
  const out: TemplateSource = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.hbs')) out[child] = readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  if (dir === TEMPLATES_DIR) cache = out;
  return out;
}
