// The read side of a run: everything the plan needs from the repository, read under the lock,
// through the path guard, each file once. Two steps, both before anything is planned against
// the files:
//   readRepoState(): platform.yaml, the manifest (with the recorded merge base), the inputs the
//                    render reads from the repo (Sealed Secrets certificate, lint config), and
//                    for `init` the foreign files in the folder;
//   readFiles():     the files the plan compares against (every rendered path and every
//                    manifest path, with their proposals), and the names in their folders (free
//                    backup names, proposals present).
// Nothing here writes. A symlink out of the repository is recorded, never read through.

import { createHash } from 'node:crypto';
import { constants as fsConstants, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DiskError, InputError } from '../model/errors.ts';
import { diskError, onDisk } from './disk.ts';
import { INPUT_LIMITS } from './input.ts';
import { LOCK_PATH, STATE_DIR, TMP_DIR } from './lock.ts';
import { CACHE_DIR } from './state-layout.ts';
import { JOURNAL_PATH } from './journal.ts';
import { MANIFEST_PATH, PROPOSAL_SUFFIX, parseManifest, sha256, type Manifest } from './manifest.ts';
import { assertRelative, escapeError, PathGuard, symlinkLoop, type Escape } from './paths.ts';
import { emptyStatRecord, newestOfSig, type StatRecord } from '../incremental/stat-record.ts';
import { lstatOfStats, type Lstat, type Probe } from '../incremental/stat-probe.ts';

export const MODEL_PATH = 'platform.yaml';
/** A generated file larger than this is not one the tool wrote. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** init's search for foreign files stops after this many (enough to name them). */
const FOREIGN_SHOWN = 6;
/** ... and after looking at this many entries (an --out at / or $HOME answers at once). */
const FOREIGN_SCAN_LIMIT = 20_000;

export interface DiskFile {
  text: string;
  sha256: string;
  /** Permission bits (kept when the tool rewrites the file). */
  mode: number;
}

export interface RepoState {
  /** The repository as given (for messages) and its real path (for every disk access). */
  root: string;
  realRoot: string;
  guard: PathGuard;
  /** platform.yaml, when present. */
  modelText?: string;
  /** Its sha256 (the manifest's record of it says whether this tool wrote exactly this text). */
  modelSha256?: string;
  manifest?: Manifest;
  manifestFile?: DiskFile;
  /** Inputs the render reads from the repository itself, keyed by path. */
  inputs: Map<string, string>;
  /** init: files in the folder the manifest does not know (at most a few, with `more`). */
  foreign: { paths: string[]; more: boolean };
  /** readFiles(): text of each read path present on disk. */
  files: Map<string, DiskFile>;
  /** readFiles(): names in each folder holding a read path ('' is the root). */
  names: Map<string, Set<string>>;
  /** readFiles(): each regular file and folder read or proven, with its stat signature (the next run's record). */
  stats: StatRecord;
}

const errnoLike = (code: string) => Object.assign(new Error(code), { code, syscall: 'open' }) as NodeJS.ErrnoException;

const INTERNAL = new Set([LOCK_PATH, JOURNAL_PATH]);
/** Run-time files of the tool: the lock, the journal, tmp/ and perf's cache/ (never foreign, never planned). */
const isInternal = (rel: string) => INTERNAL.has(rel) || [TMP_DIR, CACHE_DIR].some((d) => rel === d || rel.startsWith(`${d}/`));

/** Reads one repository file through the guard; undefined when absent. */
function readRepoFile(state: Pick<RepoState, 'guard'>, rel: string, escapes: (Escape & { path: string })[]): DiskFile | undefined {
  const where = state.guard.resolve(rel);
  if ('escape' in where) {
    escapes.push({ path: rel, ...where.escape });
    return undefined;
  }
  let stat;
  try {
    stat = statSync(where.abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return onDisk(rel, 'read', () => { throw err; });
  }
  // A folder, FIFO or device where the tool keeps a file: refused before reading (a FIFO would hang).
  if (stat.isDirectory()) throw diskError(errnoLike('EISDIR'), rel, 'write');
  if (!stat.isFile()) throw new DiskError(`cannot write ${rel}: a special file (FIFO, device or socket) sits where gitops-scaffold keeps a file; nothing was changed (fix: move it away and re-run)`, rel, 'ENOTREG');
  if (stat.size > MAX_FILE_BYTES) throw new InputError(`${rel} is too large to be a file gitops-scaffold wrote; nothing was written`, [{ path: rel, message: `is ${Math.round(stat.size / 1024 / 1024)} MB`, fix: 'move it away, then re-run' }]);
  const text = onDisk(rel, 'read', () => readFileSync(where.abs, 'utf8'));
  return { text, sha256: sha256(text), mode: stat.mode & 0o7777 };
}

export function readRepoState(root: string, guard: PathGuard, opts: { findForeign?: boolean } = {}): RepoState {
  const escapes: (Escape & { path: string })[] = [];
  const state: RepoState = { root, realRoot: guard.realRoot, guard, inputs: new Map(), foreign: { paths: [], more: false }, files: new Map(), names: new Map(), stats: emptyStatRecord() };
  // The state folder itself must not lead out of the repository (lock, journal, manifest live there).
  const stateDir = guard.resolve(STATE_DIR);
  if ('escape' in stateDir) throw escapeError([{ path: STATE_DIR, ...stateDir.escape }]);
  const model = readRepoFile(state, MODEL_PATH, escapes);
  if (model && Buffer.byteLength(model.text) > INPUT_LIMITS.model) throw new InputError(`${MODEL_PATH} is larger than ${INPUT_LIMITS.model / 1024 / 1024} MB; nothing was written`, [{ path: MODEL_PATH, message: 'too large for a platform model', fix: 'check the file' }]);
  state.modelText = model?.text;
  state.modelSha256 = model?.sha256;
  const manifest = readRepoFile(state, MANIFEST_PATH, escapes);
  if (manifest) {
    state.manifest = parseManifest(manifest.text);
    state.manifestFile = manifest;
  }
  if (escapes.length) throw escapeError(escapes);
  if (opts.findForeign) state.foreign = findForeign(state);
  return state;
}

/** Reads `paths` that the repository holds (the inputs the render needs from it). */
export function readInputs(state: RepoState, paths: string[]): void {
  const escapes: (Escape & { path: string })[] = [];
  for (const p of paths) {
    const f = readRepoFile(state, p, escapes);
    if (f) state.inputs.set(p, f.text);
  }
  if (escapes.length) throw escapeError(escapes);
}

/** What readFiles may use instead of reading (incremental/stat-record.ts). */
export interface ReadFilesOptions {
  /** The last run's stat record. */
  record?: StatRecord;
  /** This run's render by path: a file whose recorded stat still holds and whose recorded hash
   *  is the render's holds exactly that text, so it is not read. */
  rendered?: ReadonlyMap<string, { content: string; sha256?: string }>;
  /** lstats taken earlier in the run, under the lock, by repository path (incremental/stat-probe.ts). */
  probe?: Probe;
}

/** A folder as readFiles found it: where it really is (and its lstat when it is no link), or the link leading out. */
type Folder = { abs: string; st?: Lstat; direct?: boolean } | { escape: Escape };
// `direct`: reached from the root through plain names and no link, so `abs` is the root joined
// with the folder's path: the stat probe's answers (keyed by that path) are answers for it.

/**
 * Reads every path the plan compares against, and the names in their folders. A path that
 * leads out of the repository through a symlink stops the run (exit 2) before anything is
 * read through it. One lstat per folder and per file (it is their stat unless it is a link: links
 * are resolved by the guard); what was read or proven goes to `state.stats`, the next run's
 * record. With `opts.record`, a file or folder whose lstat still gives the recorded signature is
 * not read or listed again.
 */
export function readFiles(state: RepoState, paths: Iterable<string>, opts: ReadFilesOptions = {}): void {
  const escapes: (Escape & { path: string })[] = [];
  const want = new Set<string>();
  // want in order, with each path's folder (one string per folder: consecutive paths share it)
  const order: string[] = [];
  const dirs: string[] = [];
  const folders = new Map<string, Folder>();
  const listed = new Set<string>();
  let lastDir: string | undefined;
  for (const p of paths) {
    if (want.has(p)) continue;
    want.add(p);
    const slash = p.lastIndexOf('/');
    let dir = slash < 0 ? '' : p.slice(0, slash);
    // (paths come sorted: most share the previous one's folder)
    if (dir === lastDir) dir = lastDir;
    else {
      lastDir = dir;
      if (!listed.has(dir)) {
        listed.add(dir);
        if (!state.names.has(dir)) state.names.set(dir, listNames(state, dir, folders, opts.record, opts.probe));
      }
    }
    order.push(p);
    dirs.push(dir);
  }
  // Proposals beside a file are read too: the plan recognises its own, and keeps a person's.
  const proposals: string[] = [];
  for (const dir of listed)
    for (const name of state.names.get(dir)!)
      if (name.endsWith(PROPOSAL_SUFFIX)) {
        const proposal = dir ? `${dir}/${name}` : name;
        if (want.has(proposal.slice(0, -PROPOSAL_SUFFIX.length))) proposals.push(proposal);
      }
  for (const p of proposals)
    if (!want.has(p)) {
      want.add(p);
      order.push(p);
      const slash = p.lastIndexOf('/');
      dirs.push(slash < 0 ? '' : p.slice(0, slash));
    }
  let folderDir: string | undefined;
  let folder: Folder | undefined;
  for (let i = 0; i < order.length; i++) {
    const p = order[i];
    if (state.files.has(p)) continue;
    assertRelative(p);
    if (dirs[i] !== folderDir) {
      folderDir = dirs[i];
      folder = folderOf(state, folderDir, folders, opts.probe);
    }
    const f = readComparedFile(state, p, folder!, opts, escapes);
    if (f) state.files.set(p, f);
  }
  if (escapes.length) throw escapeError(escapes);
}

const BIGINT_LSTAT = { bigint: true, throwIfNoEntry: false } as const;
const { S_IFMT, S_IFREG, S_IFDIR, S_IFLNK } = fsConstants;
/** The file type bits of an lstat. */
const typeOf = (st: Lstat): number => st.mode & S_IFMT;

/**
 * lstat (the probe's answer for `probeKey` when it has one: the path `abs` is the root joined
 * with); undefined when nothing is there (or a parent is not a folder).
 */
function lstatOf(abs: string, rel: string, probe: Probe | undefined, probeKey: string | undefined): Lstat | undefined {
  const probed = probe !== undefined && probeKey !== undefined ? probe(probeKey) : undefined;
  if (probed !== undefined) return probed === 'absent' ? undefined : probed;
  try {
    const st = lstatSync(abs, BIGINT_LSTAT);
    return st === undefined ? undefined : lstatOfStats(st);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return undefined;
    return onDisk(rel || '.', 'inspect', () => { throw err; });
  }
}

/** Where folder `dir` is, one lstat per folder (a link: the guard resolves it, or names the escape). */
function folderOf(state: RepoState, dir: string, folders: Map<string, Folder>, probe: Probe | undefined): Folder {
  const hit = folders.get(dir);
  if (hit) return hit;
  let found: Folder;
  if (dir === '') found = { abs: state.realRoot, st: lstatOf(state.realRoot, '', probe, ''), direct: true };
  else {
    const slash = dir.lastIndexOf('/');
    const parent = folderOf(state, slash < 0 ? '' : dir.slice(0, slash), folders, probe);
    if ('escape' in parent) found = parent;
    else {
      const name = dir.slice(slash + 1);
      // A plain name is joined as path.join would (parent.abs is absolute and normalized); '', '.'
      // and '..' go through path.join (readComparedFile's assertRelative refuses them later).
      const plainName = !(name === '' || name === '.' || name === '..');
      const abs = !plainName ? path.join(parent.abs, name) : parent.abs.endsWith('/') ? parent.abs + name : `${parent.abs}/${name}`;
      const direct = plainName && parent.direct === true;
      const st = lstatOf(abs, dir, probe, direct ? dir : undefined);
      found = st !== undefined && typeOf(st) === S_IFLNK ? state.guard.resolve(dir) : { abs, st, direct };
    }
  }
  folders.set(dir, found);
  return found;
}

/**
 * One file of readFiles: its lstat, then its text unless the stat record proves it is the
 * render's text.
 */
function readComparedFile(state: RepoState, rel: string, dir: Folder, opts: ReadFilesOptions, escapes: (Escape & { path: string })[]): DiskFile | undefined {
  // (rel passed assertRelative; `dir` is its folder)
  const slash = rel.lastIndexOf('/');
  if ('escape' in dir) {
    escapes.push({ path: rel, ...dir.escape });
    return undefined;
  }
  // dir.abs is absolute and normalized, the name a plain one (assertRelative): as path.join would.
  const abs = dir.abs.endsWith('/') ? dir.abs + rel.slice(slash + 1) : `${dir.abs}/${rel.slice(slash + 1)}`;
  const st = lstatOf(abs, rel, opts.probe, dir.direct ? rel : undefined);
  if (st === undefined) return undefined;
  // A link (inside the repository, or out of it: then the run stops) is read as before.
  const type = typeOf(st);
  if (type === S_IFLNK) return readRepoFile(state, rel, escapes);
  if (type === S_IFDIR) throw diskError(errnoLike('EISDIR'), rel, 'write');
  if (type !== S_IFREG) throw new DiskError(`cannot write ${rel}: a special file (FIFO, device or socket) sits where gitops-scaffold keeps a file; nothing was changed (fix: move it away and re-run)`, rel, 'ENOTREG');
  if (st.size > MAX_FILE_BYTES) throw new InputError(`${rel} is too large to be a file gitops-scaffold wrote; nothing was written`, [{ path: rel, message: `is ${Math.round(st.size / 1024 / 1024)} MB`, fix: 'move it away, then re-run' }]);
  const sig = st.sig;
  const mode = st.mode & 0o7777;
  const known = opts.record?.files.get(rel);
  if (known && known.sig === sig) {
    const mine = opts.rendered?.get(rel);
    if (mine && (mine.sha256 ?? sha256(mine.content)) === known.sha256) {
      state.stats.files.set(rel, known);
      return { text: mine.content, sha256: known.sha256, mode };
    }
  }
  // The stat above was taken before this read: a later change moves the stat the next run sees.
  const bytes = onDisk(rel, 'read', () => readFileSync(abs));
  const mine = opts.rendered?.get(rel);
  if (mine) {
    // Bytes whose hash is the render's are the render's UTF-8: the text is the rendered string
    // (no decode; the hash of the text, as below, is the same).
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (hash === (mine.sha256 ?? sha256(mine.content))) {
      state.stats.files.set(rel, { sig, sha256: hash, newest: newestOfSig(sig) });
      return { text: mine.content, sha256: hash, mode };
    }
  }
  const text = bytes.toString('utf8');
  const hash = sha256(text);
  state.stats.files.set(rel, { sig, sha256: hash, newest: newestOfSig(sig) });
  return { text, sha256: hash, mode };
}

function listNames(state: RepoState, dir: string, folders: Map<string, Folder>, record: StatRecord | undefined, probe: Probe | undefined): Set<string> {
  const where = folderOf(state, dir, folders, probe);
  if ('escape' in where) return new Set();
  // No stat: a folder reached through a link inside the repository (listed, never recorded).
  if (where.st !== undefined) {
    if (typeOf(where.st) !== S_IFDIR) return new Set(); // a file where a folder would be: no names
    const sig = where.st.sig;
    const known = record?.dirs.get(dir);
    if (known && known.sig === sig) {
      state.stats.dirs.set(dir, known);
      return new Set(known.names);
    }
    const names = readNames(where.abs, dir);
    state.stats.dirs.set(dir, { sig, names: [...names], newest: newestOfSig(sig) });
    return names;
  }
  return readNames(where.abs, dir);
}

function readNames(abs: string, dir: string): Set<string> {
  try {
    return new Set(readdirSync(abs));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return new Set();
    return onDisk(dir || '.', 'list', () => { throw err; });
  }
}

/** init: files the manifest does not know, found by a bounded walk (stops early on a big folder). */
function findForeign(state: RepoState): RepoState['foreign'] {
  const known = new Set(Object.keys(state.manifest?.files ?? {}));
  const paths: string[] = [];
  let seen = 0;
  const walk = (rel: string): boolean => {
    let entries;
    try {
      entries = readdirSync(rel ? path.join(state.realRoot, rel) : state.realRoot, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return true;
      paths.push(`${rel || '.'} (unreadable: ${code})`);
      return paths.length < FOREIGN_SHOWN;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (++seen > FOREIGN_SCAN_LIMIT) return false;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git' && !rel) continue;
      if (isInternal(child) || child === MANIFEST_PATH) continue;
      if (e.isDirectory()) {
        if (!walk(child)) return false;
        continue;
      }
      if (known.has(child) || /\.(\d+\.)?orig$/.test(child) || child.endsWith(PROPOSAL_SUFFIX)) continue;
      paths.push(child);
      if (paths.length >= FOREIGN_SHOWN) return false;
    }
    return true;
  };
  const done = walk('');
  return { paths: paths.slice(0, FOREIGN_SHOWN - 1), more: !done || paths.length >= FOREIGN_SHOWN };
}

/** The path `rel` of the repository as a plain file (for the pre-flight checks of `root`). */
export function rootKind(root: string): 'missing' | 'dir' | 'other' {
  try {
    return lstatSync(root).isDirectory() || statSync(root).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'other';
    if (code === 'ELOOP') throw symlinkLoop(root);
    return onDisk(root, 'inspect', () => { throw err; });
  }
}
