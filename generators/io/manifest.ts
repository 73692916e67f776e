// `.gitops-scaffold/manifest.json`: what the tool last wrote, and from what. Pure.
//
// - `files`: every file the tool owns, with the sha256 of the text it last wrote (or proposed and
//   the person accepted). A file whose content differs from it was edited by hand.
// - `model`: the model (platform.yaml as data) those files were rendered from. This is the merge
//   base: rendering it again gives, file by file, exactly the text the tool wrote, which the
//   recorded hash proves. A hand edit of platform.yaml therefore changes the render against
//   this base, and every file whose render changes is merged three ways or reported.
// - `version` and `pins`: the tool and the upstream releases that rendered the repository, so an
//   upgrade knows what it upgrades from (a base rendered by another version fails the hash check
//   and turns merges into reported conflicts, never silent keeps).
// - `conflict` on a file: the proposal the last run wrote beside it, so moving that proposal
//   over the file (or merging by hand and deleting the proposal) resolves the conflict for good.
//
// The manifest is written last, in the same journal as the files (io/writer.ts), so it is never
// out of step with the tree.

import { createHash } from 'node:crypto';
import { InputError } from '../model/errors.ts';
import { GENERATOR_VERSION } from '../model/versions.ts';

export const MANIFEST_PATH = '.gitops-scaffold/manifest.json';
/** A conflict's proposal sits beside the file under this suffix. */
export const PROPOSAL_SUFFIX = '.gitops-scaffold-new';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface ConflictRecord {
  /** sha256 of the proposal written beside the file. */
  proposal: string;
  /** sha256 of the render that proposal carries: the file's base once the conflict is resolved. */
  base: string;
  /** sha256 of the file as it was when the conflict was reported (unchanged = unresolved). */
  disk: string;
  /** The file was not written by gitops-scaffold (its hash is no base). */
  foreign?: boolean;
}

export interface ManifestEntry {
  owner: string;
  sha256: string;
  conflict?: ConflictRecord;
}

export interface Manifest {
  generator: 'gitops-scaffold';
  /** Version of gitops-scaffold that wrote the files. */
  version?: string;
  /** The upstream releases the files were rendered with: a PinSet (model/pins.ts resolvePins reads it). */
  pins?: unknown;
  files: Record<string, ManifestEntry>;
  /** The model the files were rendered from: the three-way merge base of the next run. */
  model?: unknown;
}

export function serializeManifest(m: Manifest): string {
  // planChanges builds `files` in path order: then it is its own sorted copy (same keys in the
  // same property order, integer-like keys first either way), made without 7,700 entries.
  const files = keysSorted(m.files) ? m.files : Object.fromEntries(Object.entries(m.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ generator: m.generator, version: m.version, pins: m.pins, files, model: m.model }, null, 2)}\n`;
}

/** Object.keys(o) in ascending order (as the sort in serializeManifest orders them). */
function keysSorted(o: object): boolean {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

const fix = 'restore it from Git (git checkout -- .gitops-scaffold/manifest.json); without it every file counts as not written by gitops-scaffold';

/** Parses and checks the manifest's shape: InputError (exit 2) naming it when it is damaged. */
export function parseManifest(text: string): Manifest {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${MANIFEST_PATH} is not valid JSON; nothing was written`, [{ path: MANIFEST_PATH, message: (err as Error).message, fix }]);
  }
  const bad = (message: string) => new InputError(`${MANIFEST_PATH} is damaged; nothing was written`, [{ path: MANIFEST_PATH, message, fix }]);
  if (!data || typeof data !== 'object' || data.generator !== 'gitops-scaffold') throw bad('"generator" is not "gitops-scaffold"');
  if (!data.files || typeof data.files !== 'object' || Array.isArray(data.files)) throw bad('"files" is not a mapping');
  const files: Record<string, ManifestEntry> = Object.create(null);
  const given = data.files as Record<string, any>;
  for (const p of Object.keys(given)) {
    const e = given[p];
    if (!e || typeof e.sha256 !== 'string' || typeof e.owner !== 'string') throw bad(`files["${p}"] lacks owner or sha256`);
    const c = e.conflict;
    const entry: ManifestEntry = { owner: e.owner, sha256: e.sha256 };
    if (c && typeof c.proposal === 'string' && typeof c.base === 'string' && typeof c.disk === 'string') entry.conflict = c.foreign === true ? { proposal: c.proposal, base: c.base, disk: c.disk, foreign: true } : { proposal: c.proposal, base: c.base, disk: c.disk };
    files[p] = entry;
  }
  return { generator: 'gitops-scaffold', version: typeof data.version === 'string' ? data.version : undefined, pins: data.pins, files, model: data.model };
}

/** Keys sorted at every level (lists keep their order): the same model is recorded as the same
 *  bytes, whatever order an edit left its keys in (add -> remove restores the manifest too). */
export function canonical(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // (loops, not map/fromEntries/filter: a 500-service model is ~4x quicker, the same value)
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) if (i in value) out[i] = canonical(value[i]);
    return out;
  }
  const keys = Object.keys(value).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = canonical((value as Record<string, unknown>)[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function newManifest(files: Record<string, ManifestEntry>, model: unknown, pins: unknown): Manifest {
  return { generator: 'gitops-scaffold', version: GENERATOR_VERSION, pins: canonical(JSON.parse(JSON.stringify(pins ?? null))), files, model: canonical(model) };
}
