// Reads the files to validate from disk: every file under the given folders (for the repository
// index) and the manifest candidates among them (*.yaml, *.yml, *.json, like kubeconform).
// Hidden folders (.git, .github) and node_modules are not walked. `validate` and `lint` both read
// through here.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../check/resources.ts';

export interface RepoFiles {
  /** Folder that relative paths start from. */
  root: string;
  /** Every file, relative to root, forward slashes. */
  all: string[];
  /** Manifest candidates with their text. */
  manifests: SourceFile[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIR = (name: string) => name.startsWith('.') || name === 'node_modules';

/** One folder: paths relative to it. Several paths or files: relative to the current folder. */
export function readRepoFiles(paths: readonly string[], cwd = process.cwd()): RepoFiles {
  const abs = paths.map((p) => path.resolve(cwd, p));
  const root = abs.length === 1 && fs.statSync(abs[0]).isDirectory() ? abs[0] : cwd;
  const all: string[] = [];
  const seenDirs = new Set<string>();
  // The folder entries' own types spare a stat per file; symbolic links are followed (stat),
  // a folder reached twice through links (a loop) only once.
  const walk = (p: string, isDir = fs.statSync(p, { throwIfNoEntry: false })?.isDirectory()) => {
    if (isDir === undefined) return; // a dangling link
    if (isDir) {
      const real = fs.realpathSync(p);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory() && SKIP_DIR(e.name)) continue;
        const child = path.join(p, e.name);
        walk(child, e.isDirectory() ? true : e.isFile() ? false : undefined);
      }
    } else all.push(path.relative(root, p).split(path.sep).join('/'));
  };
  for (const p of abs) walk(p);
  const manifests = all.filter((f) => MANIFEST.test(f)).map((f) => ({ path: f, content: fs.readFileSync(path.join(root, f), 'utf8') }));
  return { root, all, manifests };
}
