// Reads the files to validate from disk: every file under the given folders (for the repository
// index) and the manifest candidates among them (*.yaml, *.yml, *.json, like kubeconform).
// Hidden folders (.git, .github) and node_modules are not walked (unless named), the tool's state
// folder never read as manifests, and a named file that is not a manifest refused. `validate` and `lint` both read
// through here.
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
      const child = path.join(p, e.name);
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
  // no Kubernetes manifests, even when that folder is named on the command line.
  const candidates = all.filter((f) => MANIFEST.test(f) && !special.has(f) && !isToolState(path.join(root, f)));
  if (opts.shared?.(candidates.length)) return { root, all, ...readShared(root, candidates) };
  const manifests = candidates.map((f) => ({ path: f, content: fs.readFileSync(path.join(root, f), 'utf8') }));
  return { root, all, manifests };
}

/** The texts, and the same bytes in one shared buffer (decoded from those bytes: the same text by construction). */
function readShared(root: string, files: readonly string[]): Pick<RepoFiles, 'manifests' | 'bytes'> {
  const raw = files.map((f) => fs.readFileSync(path.join(root, f)));
  const offsets = new Float64Array(files.length + 1);
  for (let i = 0; i < raw.length; i++) offsets[i + 1] = offsets[i] + raw[i].length;
  const buffer = new SharedArrayBuffer(offsets[files.length]);
  const view = Buffer.from(buffer);
  const manifests = files.map((f, i) => {
    view.set(raw[i], offsets[i]);
    return { path: f, content: raw[i].toString('utf8') };
  });
  return { manifests, bytes: { buffer, offsets } };
}
