// platform.yaml as text. A fresh file gets a schema reference on its first line (editor
// completion); an existing file is edited through the yaml Document API so the user's comments
// and key order survive a command that changes one field.

import path from 'node:path';
import YAML from 'yaml';
import { fastParseDocuments } from '../check/fast-yaml.ts';
import { withSource } from './locate.ts';
import { nestsDeeperThan, tooDeep } from '../io/yaml-input.ts';
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

/**
 * Texts this process wrote with the yaml library's own stringifier (OPTIONS) for a model whose
 * value they were checked to hold (model/edits.ts patchModelText): serializing that model over
 * such a text gives the text back (the stringifier's output is its own fixpoint, which the
 * render-twice tests hold), so the second parse and stringify of a large platform.yaml are skipped.
 */
const serialized = new Map<string, string>();

export function noteSerialized(text: string, spec: PlatformSpec): void {
  if (serialized.size > 8) serialized.clear();
  serialized.set(text, JSON.stringify(withIdentity(spec)));
}

export function serializeSpec(spec: PlatformSpec, previous?: string): string {
  const value = withIdentity(spec);
  if (previous && previous.startsWith(SCHEMA_LINE) && serialized.get(previous) === JSON.stringify(value)) return previous;
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
  // Nesting capped (io/yaml-input.ts): a parser or a later walk of the model that overflows its
  // stack on a hostile document is bad input (exit 2), never an internal error.
  let model: unknown;
  try {
    model = parseUnchecked(text, source);
  } catch (err) {
    if (err instanceof RangeError) throw tooDeep(displayName(source));
    throw err;
  }
  if (nestsDeeperThan(model)) throw tooDeep(displayName(source));
  return model;
}

function parseUnchecked(text: string, source: string): unknown {
  // The fast reader (check/fast-yaml.ts) gives the same value as the yaml library for the block
  // YAML this tool writes, and gives up on anything else (aliases, errors, several documents),
  // which then goes the full way below: a 500-service model parses in milliseconds, not 0.3 s.
  const fast = fastParseDocuments(text);
  if (fast?.length === 1 && fast[0].value && typeof fast[0].value === 'object') return withSource(fast[0].value, { file: displayName(source), text });
  const doc = YAML.parseDocument(text, { version: '1.1', uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    if (/Maximum call stack/.test(e.message)) throw new RangeError(e.message);
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
