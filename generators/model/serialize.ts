// platform.yaml as text. A fresh file gets a schema reference on its first line (editor
// completion); an existing file is edited through the yaml Document API so the user's comments
// and key order survive a command that changes one field.

import path from 'node:path';
import YAML from 'yaml';
import { withSource } from './locate.ts';
import type { PlatformSpec } from './types.ts';
import { MODEL_API_VERSION, MODEL_KIND } from './types.ts';

export const SCHEMA_PATH = '.gitops-scaffold/platform.schema.json';
const SCHEMA_LINE = `# yaml-language-server: $schema=./${SCHEMA_PATH}`;
const OPTIONS = { version: '1.1' as const, lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false };

/** Key order of a fresh file: identity first, then the things people edit most. */
const ORDER = ['apiVersion', 'kind', 'name', 'repo', 'argocd', 'environments', 'clusters', 'tenants', 'services', 'delivery', 'secrets', 'ci'];

export function withIdentity(spec: PlatformSpec): PlatformSpec {
  const ordered: Record<string, unknown> = { apiVersion: MODEL_API_VERSION, kind: MODEL_KIND };
  for (const key of ORDER) if (key in spec && !(key in ordered)) ordered[key] = (spec as any)[key];
  for (const [k, v] of Object.entries(spec)) if (!(k in ordered)) ordered[k] = v;
  return ordered as unknown as PlatformSpec;
}

export function serializeSpec(spec: PlatformSpec, previous?: string): string {
  const value = withIdentity(spec);
  if (previous) {
    const doc = YAML.parseDocument(previous, { version: '1.1' });
    if (!doc.errors.length) {
      // Replace only top-level keys whose value changed, keeping comments elsewhere.
      const current = doc.toJS() ?? {};
      for (const [key, v] of Object.entries(value as any)) {
        if (JSON.stringify(current[key]) !== JSON.stringify(v)) doc.set(key, doc.createNode(v));
      }
      for (const key of Object.keys(current)) if (!(key in (value as any))) doc.delete(key);
      const text = doc.toString(OPTIONS);
      return text.startsWith(SCHEMA_LINE) ? text : `${SCHEMA_LINE}\n${text}`;
    }
  }
  return `${SCHEMA_LINE}\n${YAML.stringify(value, OPTIONS)}`;
}

export function parseSpecText(text: string, source: string): unknown {
  const doc = YAML.parseDocument(text, { version: '1.1', uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw Object.assign(new Error(`${source}${line ? `:${line}` : ''}: ${e.message.split('\n')[0]}`), { yamlError: true });
  }
  let model: unknown;
  try {
    // Aliases capped (the yaml package's default of 100, explicit): a "billion laughs" model is bad input.
    model = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw Object.assign(new Error(`${source}: ${/alias/i.test((err as Error).message) ? 'its YAML aliases (*name) expand more than 100 times, as a "billion laughs" document does; write the values out instead' : (err as Error).message.split('\n')[0]}`), { yamlError: true });
  }
  // Problems found later in this model point at its lines (model/locate.ts).
  return model && typeof model === 'object' ? withSource(model, { file: displayName(source), text }) : model;
}

/** `/work/repo/platform.yaml` -> `platform.yaml` when under the current folder, else as given. */
function displayName(source: string): string {
  if (!path.isAbsolute(source)) return source;
  const rel = path.relative(process.cwd(), source);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : source;
}
