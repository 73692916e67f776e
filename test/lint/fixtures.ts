// Loads lint fixtures: test/fixtures/lint/{pass,fail}/<RULE>-<name>.yaml, or a folder of that name
// for rules that look at file layout (app-of-apps, kustomize namespaces). A single file is named
// `<RULE>.yaml` inside the repo it forms, so its long descriptive name cannot make it look like
// production ("...-production-...") to the rules.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSources } from '../../generators/check/parse.ts';
import type { ParsedResource, SourceFile } from '../../generators/check/resources.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/lint/', import.meta.url));

export type Kind = 'pass' | 'fail';

/** Fixture entries (file or folder names) of one kind, keyed by rule id. */
export function fixtureIndex(kind: Kind): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(path.join(FIXTURES, kind)).sort()) {
    const id = /^([A-Z0-9]+)-/.exec(name)?.[1];
    if (id) out.set(id, name);
  }
  return out;
}

function walk(dir: string, rel = ''): SourceFile[] {
  const out: SourceFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(p).isDirectory()) out.push(...walk(p, r));
    else if (/\.ya?ml$/.test(name)) out.push({ path: r, content: readFileSync(p, 'utf8') });
  }
  return out;
}

/** Source files of a fixture, with paths as the repo they form would have them. */
export function fixtureSources(kind: Kind, id: string): SourceFile[] {
  const name = fixtureIndex(kind).get(id);
  if (!name) throw new Error(`no ${kind} fixture for ${id}`);
  const p = path.join(FIXTURES, kind, name);
  return statSync(p).isDirectory() ? walk(p) : [{ path: `${id}.yaml`, content: readFileSync(p, 'utf8') }];
}

export function loadFixture(kind: Kind, id: string): ParsedResource[] {
  const parsed = parseSources(fixtureSources(kind, id));
  if (parsed.findings.length) throw new Error(`${kind}/${id} does not parse: ${parsed.findings.map((f) => f.message).join('; ')}`);
  return parsed.resources;
}

/** Resources of inline YAML documents, as files of a repo: `{ 'apps/a.yaml': '...' }`. */
export function resourcesOf(files: Record<string, string> | string): ParsedResource[] {
  const map = typeof files === 'string' ? { 'repo.yaml': files } : files;
  const parsed = parseSources(Object.entries(map).map(([p, content]) => ({ path: p, content })));
  if (parsed.findings.length) throw new Error(parsed.findings.map((f) => f.message).join('; '));
  return parsed.resources;
}
