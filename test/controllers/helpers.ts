// Reading a fixture folder the way validate reads a repository, and running the controller rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../generators/check/finding.ts';
import { parseSources } from '../../generators/check/parse.ts';
import { controllerRules } from '../../generators/simulate/controllers/index.ts';
import { ROOT } from '../helpers.ts';

export const CONTROLLER_FIXTURES = path.join(ROOT, 'test/fixtures/controllers');

function yamlFiles(root: string, rel = ''): { path: string; content: string }[] {
  return readdirSync(path.join(root, rel)).flatMap((name) => {
    const child = rel ? `${rel}/${name}` : name;
    if (name.startsWith('.')) return [];
    if (statSync(path.join(root, child)).isDirectory()) return yamlFiles(root, child);
    return /\.ya?ml$/.test(name) ? [{ path: child, content: readFileSync(path.join(root, child), 'utf8') }] : [];
  });
}

/** Controller findings of every YAML file under `dir` (paths relative to it). */
export function rulesOn(dir: string): Finding[] {
  return controllerRules(parseSources(yamlFiles(dir)).resources);
}
