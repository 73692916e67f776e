// Reads the templates/ folder of the package once. This is the only file access the render step
// needs, kept here so planning and rendering stay pure.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TemplateSource } from '../render/engine.ts';
import { PRECOMPILED_TEMPLATES, type PrecompiledTemplates } from '../render/precompiled.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export { PACKAGE_ROOT };
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

/**
 * The templates the engine runs: precompiled into the bundle (dist/), else read from templates/
 * (the sources through tsx, and tests).
 */
export function engineTemplates(): TemplateSource | PrecompiledTemplates {
  return PRECOMPILED_TEMPLATES ?? loadTemplates();
}
