// Shared helpers of the ApplicationSet expansion tests (not a test file).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { ARGO_FUNC_MAP } from '../../../generators/simulate/appset/funcs/index.ts';
import { GoTemplate } from '../../../generators/simulate/appset/go/text-template/template.ts';
import type { ExpandContext, RepoView } from '../../../generators/simulate/appset/index.ts';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Runs a Go template with Argo's function map; errors come back as "ERR <message>". */
export function render(text: string, data: unknown = {}, options: string[] = []): string {
  try {
    const t = new GoTemplate('base', ARGO_FUNC_MAP);
    for (const o of options) t.option(o);
    return t.parse(text).execute(data);
  } catch (e) {
    return 'ERR ' + (e as Error).message;
  }
}

/** A repository view over an in-memory file map. */
export function memoryRepo(files: Record<string, string>): RepoView {
  return { paths: Object.keys(files).sort(), read: (p) => files[p] };
}

/** A repository view over a fixture folder. */
export function fixtureRepo(dir: string): RepoView {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else files[child] = readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  return memoryRepo(files);
}

export const readYAML = (file: string) => YAML.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
export const readJSON = <T = unknown>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

export const baseContext = (repo: RepoView, over: Partial<ExpandContext> = {}): ExpandContext => ({
  repo,
  clusters: [],
  argocdNamespace: 'argocd',
  ...over,
});
