// The only module that writes to the repository. It applies a list of changes atomically:
// everything is staged first, then renamed into place; if anything fails midway, every file
// already touched is restored and created folders are removed, so a failed run leaves the
// repository as it was.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_PATH, WRITES, nextManifest, type Change, type Manifest } from './changes.ts';

export interface ApplyResult {
  written: string[];
  deleted: string[];
  proposals: string[];
  backups: string[];
}

const PROPOSAL_SUFFIX = '.gitops-scaffold-new';

export function readManifest(root: string): Manifest | undefined {
  const file = path.join(root, MANIFEST_PATH);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

export function readIfExists(root: string, rel: string): string | undefined {
  const file = path.join(root, rel);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Refuses paths that could leave the repository (planner bug or hostile input). */
function resolveInside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (rel.includes('\0') || path.isAbsolute(rel) || !abs.startsWith(path.resolve(root) + path.sep)) throw new Error(`refusing to write outside the repository: ${rel}`);
  return abs;
}

export function applyChanges(root: string, changes: Change[]): ApplyResult {
  const result: ApplyResult = { written: [], deleted: [], proposals: [], backups: [] };
  const rootExisted = existsSync(root);
  const createdDirs: string[] = [];
  const undo: (() => void)[] = [];
  // Folders known to exist during this run: each is checked or created once, not once per file.
  // (Deletions never remove a folder before the end: pruneEmptyDirs runs after every write.)
  const knownDirs = new Set<string>();
  /** Folders this run created: nothing was in them before, so there is nothing to back up. */
  const newDirs = new Set<string>();
  const ensureDir = (dir: string) => {
    if (knownDirs.has(dir)) return;
    const missing: string[] = [];
    let d = dir;
    for (; !knownDirs.has(d) && !existsSync(d); d = path.dirname(d)) missing.unshift(d);
    for (const m of missing) {
      mkdirSync(m);
      createdDirs.push(m);
      newDirs.add(m);
    }
    for (let k = dir; !knownDirs.has(k); k = path.dirname(k)) {
      knownDirs.add(k);
      if (k === d) break;
    }
  };
  const readBefore = (abs: string): Buffer | undefined => {
    try {
      return readFileSync(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  const writeAtomically = (rel: string, content: string) => {
    const abs = resolveInside(root, rel);
    const dir = path.dirname(abs);
    ensureDir(dir);
    const before = newDirs.has(dir) ? undefined : readBefore(abs);
    const tmp = `${abs}.tmp-${process.pid}`;
    writeFileSync(tmp, content);
    renameSync(tmp, abs);
    undo.push(() => (before === undefined ? rmSync(abs, { force: true }) : writeFileSync(abs, before)));
  };
  try {
    for (const c of changes) {
      if (WRITES.has(c.kind)) {
        if (c.kind === 'overwrite-foreign' || c.kind === 'overwrite-edit') {
          const backup = `${c.path}.orig`;
          writeAtomically(backup, readFileSync(resolveInside(root, c.path), 'utf8'));
          result.backups.push(backup);
        }
        writeAtomically(c.path, c.content!);
        result.written.push(c.path);
      } else if (c.kind === 'delete') {
        const abs = resolveInside(root, c.path);
        const before = readFileSync(abs);
        rmSync(abs);
        undo.push(() => {
          ensureDir(path.dirname(abs));
          writeFileSync(abs, before);
        });
        result.deleted.push(c.path);
      } else if (c.kind === 'conflict' && c.content !== undefined) {
        writeAtomically(c.path + PROPOSAL_SUFFIX, c.content);
        result.proposals.push(c.path + PROPOSAL_SUFFIX);
      }
    }
    writeAtomically(MANIFEST_PATH, `${JSON.stringify(nextManifest(changes), null, 2)}\n`);
    pruneEmptyDirs(root, result.deleted);
  } catch (err) {
    knownDirs.clear(); // pruning may have removed folders: the undo checks the disk again
    newDirs.clear();
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        /* best effort: keep undoing the rest */
      }
    }
    for (const d of createdDirs.reverse()) rmSync(d, { recursive: true, force: true });
    if (!rootExisted) rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return result;
}

/** Folders emptied by deletions go too, so add-then-remove restores the tree exactly. */
function pruneEmptyDirs(root: string, deleted: string[]) {
  const top = path.resolve(root);
  for (const rel of deleted) {
    for (let dir = path.dirname(path.resolve(root, rel)); dir.startsWith(top + path.sep); dir = path.dirname(dir)) {
      if (!existsSync(dir)) continue; // already pruned for an earlier file of the same folder
      if (readdirSync(dir).length) break;
      rmdirSync(dir);
    }
  }
}
