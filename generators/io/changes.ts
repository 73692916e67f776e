// Decides, file by file, what a run does to the repository: pure, so --dry-run, --json and the
// real write share one computation and a test can drive every case without a disk.
//
// Hand edits: the manifest records the hash of what the tool last wrote. A managed file whose
// disk content differs from that hash was edited by a person. If the new render does not change
// that file, the edit simply stays. If it does, the edit is merged three ways (base = the render
// of the previous platform.yaml, ours = the file on disk, theirs = the new render); when the
// edits overlap, the file is left alone, the proposal is written beside it and the run fails.

import { createHash } from 'node:crypto';
import { merge } from 'node-diff3';
import type { RenderedFile } from '../plan/types.ts';

export const MANIFEST_PATH = '.gitops-scaffold/manifest.json';

export interface Manifest {
  generator: 'gitops-scaffold';
  files: Record<string, { owner: string; sha256: string }>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export type ChangeKind = 'create' | 'update' | 'merge' | 'delete' | 'unchanged' | 'kept-edit' | 'kept-seed' | 'conflict' | 'overwrite-foreign' | 'overwrite-edit';

export interface Change {
  path: string;
  kind: ChangeKind;
  /** Content to write (create, update, merge, overwrite-*), or the proposal for a conflict. */
  content?: string;
  /** Hash to record in the manifest for this path (absent: drop it from the manifest). */
  recordHash?: string;
  owner?: string;
  reason?: string;
}

export interface RepoState {
  /** Current text of every relevant path on disk (planned paths and manifest paths). */
  files: Map<string, string>;
  manifest?: Manifest;
  /** Render of the previous platform.yaml with this generator: the merge base. */
  previous?: Map<string, string>;
}

export interface ChangeOptions {
  /** Overwrite hand-edited or foreign files (a backup is kept). */
  force: boolean;
}

export function computeChanges(planned: RenderedFile[], state: RepoState, opts: ChangeOptions): Change[] {
  const changes: Change[] = [];
  const known = state.manifest?.files ?? {};
  for (const file of planned) {
    const disk = state.files.get(file.path);
    const newHash = sha256(file.content);
    const base = { path: file.path, owner: file.owner };
    if (disk === undefined) {
      changes.push({ ...base, kind: 'create', content: file.content, recordHash: newHash });
      continue;
    }
    const recorded = known[file.path];
    if (file.owner === 'seed') {
      changes.push({ ...base, kind: 'kept-seed', recordHash: recorded?.sha256 ?? sha256(disk), reason: 'seeded once; yours to edit' });
      continue;
    }
    if (disk === file.content) {
      changes.push({ ...base, kind: 'unchanged', recordHash: newHash });
      continue;
    }
    if (file.owner === 'model') {
      changes.push({ ...base, kind: 'update', content: file.content, recordHash: newHash });
      continue;
    }
    if (!recorded) {
      // A file the tool did not write sits where it wants to write.
      changes.push(opts.force ? { ...base, kind: 'overwrite-foreign', content: file.content, recordHash: newHash, reason: 'not written by gitops-scaffold; backed up as .orig' } : { ...base, kind: 'conflict', content: file.content, reason: 'exists and was not written by gitops-scaffold (use --force to overwrite with a backup)' });
      continue;
    }
    if (sha256(disk) === recorded.sha256) {
      changes.push({ ...base, kind: 'update', content: file.content, recordHash: newHash });
      continue;
    }
    // Edited by hand since the tool last wrote it.
    const previous = state.previous?.get(file.path);
    if (previous !== undefined && previous === file.content) {
      changes.push({ ...base, kind: 'kept-edit', recordHash: recorded.sha256, reason: 'edited by hand; this run does not change it' });
      continue;
    }
    if (opts.force) {
      changes.push({ ...base, kind: 'overwrite-edit', content: file.content, recordHash: newHash, reason: 'hand edit overwritten (--force); backed up as .orig' });
      continue;
    }
    if (previous !== undefined && sha256(previous) === recorded.sha256) {
      const merged = merge(disk.split('\n'), previous.split('\n'), file.content.split('\n'));
      if (!merged.conflict) {
        // Record the new render as the base: the file still carries the person's edit, so the
        // next run keeps treating it as edited.
        changes.push({ ...base, kind: 'merge', content: merged.result.join('\n'), recordHash: newHash, reason: 'hand edit merged with the new render' });
        continue;
      }
    }
    changes.push({ ...base, kind: 'conflict', content: file.content, recordHash: recorded.sha256, reason: 'edited by hand and changed by this run in overlapping places' });
  }
  const plannedPaths = new Set(planned.map((f) => f.path));
  for (const [path, entry] of Object.entries(known)) {
    if (plannedPaths.has(path)) continue;
    const disk = state.files.get(path);
    if (disk === undefined) continue;
    // A seeded file belongs to the team even once this run no longer plans it (a SealedSecret
    // sealed on an earlier run): never deleted, and still recorded so the manifest stays stable.
    if (entry.owner === 'seed') {
      changes.push({ path, kind: 'kept-seed', owner: 'seed', recordHash: entry.sha256, reason: 'seeded once; yours to edit' });
      continue;
    }
    if (sha256(disk) === entry.sha256 || opts.force) changes.push({ path, kind: 'delete', owner: entry.owner, reason: 'its source is gone from platform.yaml' });
    else changes.push({ path, kind: 'conflict', owner: entry.owner, recordHash: entry.sha256, reason: 'its source is gone from platform.yaml but it was edited by hand; delete it yourself or re-run with --force' });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Whether computeChanges would read `state.previous` for any file: only a managed file that is on
 * disk, recorded in the manifest, differs from the new render and was edited by hand since the
 * tool wrote it (its hash differs from the recorded one). Lets the caller skip rendering the base.
 */
export function needsMergeBase(planned: RenderedFile[], files: Map<string, string>, manifest: Manifest | undefined): boolean {
  const known = manifest?.files ?? {};
  for (const file of planned) {
    if (file.owner === 'seed' || file.owner === 'model') continue;
    const disk = files.get(file.path);
    if (disk === undefined || disk === file.content) continue;
    const recorded = known[file.path];
    if (recorded && sha256(disk) !== recorded.sha256) return true;
  }
  return false;
}

export function nextManifest(changes: Change[]): Manifest {
  const files: Manifest['files'] = {};
  for (const c of changes) if (c.recordHash && c.kind !== 'delete') files[c.path] = { owner: c.owner ?? 'managed', sha256: c.recordHash };
  return { generator: 'gitops-scaffold', files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

export const WRITES: ReadonlySet<ChangeKind> = new Set(['create', 'update', 'merge', 'overwrite-foreign', 'overwrite-edit']);
export const isNoop = (changes: Change[]) => changes.every((c) => !WRITES.has(c.kind) && c.kind !== 'delete' && c.kind !== 'conflict');
