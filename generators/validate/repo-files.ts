// Reads the files to validate from disk: every file under the given folders (for the repository
// index) and the manifest candidates among them (*.yaml, *.yml, *.json, like kubeconform).
// Hidden folders (.git, .github) and node_modules are not walked (unless named), the tool's state
// folder never read as manifests, and a named file that is not a manifest refused. `validate` and `lint` both read
// through here. The texts come through one reused buffer (readTexts): few allocations, few system calls.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../check/resources.ts';
import { InputError } from '../model/errors.ts';

export interface RepoFiles {
  /** Folder that relative paths start from. */
  root: string;
  /** Every file, relative to root, forward slashes. */
  all: string[];
  /** Manifest candidates with their text. */
  manifests: SourceFile[];
  /** With `shared`: the candidates' bytes (UTF-8) in shared memory, file i at [offsets[i], offsets[i + 1]). */
  bytes?: { buffer: SharedArrayBuffer; offsets: Float64Array };
}

export interface ReadOptions {
  /**
   * Called once the folders are walked, with the number of manifest candidates; true = also
   * keep their bytes in shared memory (validate/parallel.ts hands them to a worker thread).
   */
  shared?: (candidates: number) => boolean;
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIR = (name: string) => name.startsWith('.') || name === 'node_modules';
const TOOL_STATE = `${path.sep}.gitops-scaffold${path.sep}`;
const isToolState = (abs: string) => abs.includes(TOOL_STATE);

/** One folder: paths relative to it. Several paths or files: relative to the current folder. */
export function readRepoFiles(paths: readonly string[], cwd = process.cwd(), opts: ReadOptions = {}): RepoFiles {
  const abs = paths.map((p) => path.resolve(cwd, p));
  const root = abs.length === 1 && fs.statSync(abs[0]).isDirectory() ? abs[0] : cwd;
  const all: string[] = [];
  const seenDirs = new Set<string>();
  const special = new Set<string>();
  // The folder entries' own types spare a stat per file. Symbolic links are followed (a stat,
  // and a realpath for a linked folder); a folder reached twice (a loop through links) is read
  // once. A plain folder's real path is its parent's plus its name: no system call. Names are
  // sorted by code point, so the order does not depend on the user's locale.
  const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const walk = (p: string, rel: string, real: string) => {
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    for (const e of fs.readdirSync(p, { withFileTypes: true }).sort(byName)) {
      const child = p.endsWith(path.sep) ? p + e.name : p + path.sep + e.name;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const st = fs.statSync(child, { throwIfNoEntry: false });
        if (!st) continue; // a dangling link
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        if (SKIP_DIR(e.name)) continue;
        walk(child, childRel, e.isSymbolicLink() ? fs.realpathSync(child) : `${real}/${e.name}`);
      } else if (isFile || !e.isDirectory()) {
        all.push(childRel);
        // A FIFO, socket or device named like a manifest is listed, never read: reading a FIFO
        // with no writer blocks forever, /dev/zero never ends.
        if (!isFile) special.add(childRel);
      }
    }
  };
  for (const p of abs) {
    const st = fs.statSync(p);
    const rel = path.relative(root, p).split(path.sep).join('/');
    if (st.isDirectory()) walk(p, rel, fs.realpathSync(p));
    else if (st.isFile()) {
      // A file named on the command line is checked as a manifest or refused: "0 resources,
      // exit 0" for `validate README.md` would read as a pass.
      if (!MANIFEST.test(p))
        throw new InputError(`${p} is not a manifest file; nothing was checked`, [{ path: p, message: 'only *.yaml, *.yml and *.json files hold manifests', fix: 'pass the repository folder, or the manifest files in it' }]);
      all.push(rel);
    } else throw new InputError(`${p} is not a file or folder of manifests; nothing was checked`, [{ path: p, message: 'is a FIFO, socket or device', fix: 'pass the repository folder, or the manifest files in it' }]);
  }
  // The tool's own state (.gitops-scaffold/: its manifest, lint config, caches in JSON lines) holds
  // no Kubernetes manifests, even when that folder is named on the command line. (Tested on the
  // joined path only where the root or `..` could put it there: a path.join per file costs.)
  const stateRoot = isToolState(root + path.sep);
  const inToolState = (f: string) => (stateRoot || f.startsWith('..') ? isToolState(path.join(root, f)) : `/${f}`.includes('/.gitops-scaffold/'));
  const candidates = all.filter((f) => MANIFEST.test(f) && !special.has(f) && !inToolState(f));
  const shared = !!opts.shared?.(candidates.length);
  const read = readTexts(root, candidates, shared);
  const manifests = candidates.map((f, i) => ({ path: f, content: read.texts[i] }));
  if (!shared) return { root, all, manifests };
  // The same bytes in shared memory for the worker thread (it decodes them as UTF-8 itself).
  const buffer = new SharedArrayBuffer(read.offsets[candidates.length]);
  Buffer.from(buffer).set(read.bytes!);
  return { root, all, manifests, bytes: { buffer, offsets: read.offsets } };
}

/**
 * The files' texts, as `readFileSync(file, 'utf8')` gives them, with fewer system calls and
 * allocations: each file's bytes go straight into one reused buffer (open, read to the end,
 * close: no stat, no Buffer per file); a file that is all ASCII (the common case) is decoded as
 * latin1 (one byte, one character, where UTF-8 and latin1 agree), any other as UTF-8. Each text is
 * a string of its own: slices of one large string would spare the copy, but the parser's
 * charCodeAt loops run a third slower on sliced strings (measured on the fleet).
 * `keepBytes`: all the bytes, file i at [offsets[i], offsets[i + 1]) (for the shared copy).
 */
export function readTexts(root: string, files: readonly string[], keepBytes = false): { texts: string[]; offsets: Float64Array; bytes?: Buffer } {
  const texts: string[] = new Array(files.length);
  const offsets = new Float64Array(files.length + 1);
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  let buf = Buffer.allocUnsafeSlow(1 << 20);
  let used = 0;
  for (let i = 0; i < files.length; i++) {
    // A path outside the root (several paths given: relative to the current folder) is joined as before.
    const f = files[i];
    const fd = fs.openSync(f.startsWith('..') ? path.join(root, f) : prefix + f, 'r');
    const start = used;
    try {
      for (;;) {
        if (buf.length - used < READ_AHEAD) {
          const bigger = Buffer.allocUnsafeSlow(buf.length * 2);
          buf.copy(bigger, 0, 0, used);
          buf = bigger;
        }
        const n = fs.readSync(fd, buf, used, buf.length - used, null);
        if (n === 0) break;
        used += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    texts[i] = buf.toString(isAscii(buf.subarray(start, used)) ? 'latin1' : 'utf8', start, used);
    offsets[i + 1] = offsets[i] + used - start;
    if (!keepBytes) used = 0;
  }
  return { texts, offsets, bytes: keepBytes ? buf.subarray(0, used) : undefined };
}

/** Room kept free for the next read: a file that fills it is read on after the buffer grows. */
const READ_AHEAD = 64 << 10;
