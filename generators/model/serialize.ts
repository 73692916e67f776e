// platform.yaml as text. A fresh file gets a schema reference on its first line (editor
// completion); an existing file is edited through the yaml Document API so the user's comments
// and key order survive a command that changes one field.

import path from 'node:path';
import YAML from 'yaml';
import { fastParseDocuments } from '../check/fast-yaml.ts';
import { withSource } from './locate.ts';
import { MAX_YAML_DEPTH, nestsDeeperThan, tooDeep } from '../io/yaml-input.ts';
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
  // A known model nests less deeply than the cap (jsonFaithful): the walk is skipped.
  if (!knownModels.has(text) && nestsDeeperThan(model)) throw tooDeep(displayName(source));
  return model;
}

/**
 * platform.yaml texts whose value this process already knows, as JSON (model/model-cache.ts also
 * brings the value the run that wrote the text left in the repository's cache): parseSpecText of
 * such a text is a JSON.parse, so platform.yaml is read as YAML at most once per run. `fast`: the
 * text is one check/fast-yaml.ts reads (model/text-splice.ts edits only those). Keyed by the
 * whole text; only values JSON gives back exactly are kept (no -0, NaN, Infinity, `__proto__`).
 */
export interface KnownModel {
  json: string;
  fast: boolean;
}
const knownModels = new Map<string, KnownModel>();

export function rememberModel(text: string, model: KnownModel | { value: unknown; fast: boolean }): void {
  const known = 'json' in model ? model : jsonFaithful(model.value) ? { json: JSON.stringify(model.value), fast: model.fast } : undefined;
  if (!known) return;
  if (knownModels.size >= 4) knownModels.delete(knownModels.keys().next().value!);
  knownModels.set(text, known);
}

export const knownModel = (text: string): KnownModel | undefined => knownModels.get(text);

/** True when JSON.parse(JSON.stringify(v)) is `v` again (plain data only), nesting less than the cap. */
export function jsonFaithful(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object' || depth >= MAX_YAML_DEPTH) return false;
  if (Array.isArray(v)) return v.every((x) => jsonFaithful(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k of Object.keys(v)) if (k === '__proto__' || !jsonFaithful((v as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

function parseUnchecked(text: string, source: string): unknown {
  const known = knownModels.get(text);
  if (known) {
    try {
      return withSource(JSON.parse(known.json), { file: displayName(source), text });
    } catch {
      knownModels.delete(text); // a damaged cache entry: parsed below
    }
  }
  // The fast reader (check/fast-yaml.ts) gives the same value as the yaml library for the block
  // YAML this tool writes, and gives up on anything else (aliases, errors, several documents),
  // which then goes the full way below: a 500-service model parses in milliseconds, not 0.3 s.
  const fast = fastParseDocuments(text);
  if (fast?.length === 1 && fast[0].value && typeof fast[0].value === 'object') {
    rememberModel(text, { value: fast[0].value, fast: true });
    return withSource(fast[0].value, { file: displayName(source), text });
  }
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
