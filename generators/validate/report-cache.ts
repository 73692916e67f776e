// validate's report cache: the printed report of the last validate of a folder, kept in the
// user's cache folder (cache-dir.ts cacheRoot)/validate/, never in the repository being checked
// (a CI checkout may be read-only). It is served only when its key matches: a SHA-256 of this
// tool's fingerprint (check/fingerprint.ts: version, code, schemas), the options that change the
// report, and the path and full contents of every file the walk lists (manifests and the rest:
// the simulation reads non-manifest files too). Anything else (no entry, another key, a
// truncated or foreign file) is a miss: the full check runs, never a stale answer.
//
// Only reports that are a pure function of those inputs are stored: none when kubeconform ran,
// a kustomize build was possible (the repository has kustomizations and builds are on) or Helm
// chart sources were rendered (their result depends on the network and the charts); "helm is not
// installed" is kept, with helm's absence from PATH in the key.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkerFingerprint } from '../check/fingerprint.ts';
import type { RepoFiles } from './repo-files.ts';
import type { ValidateOptions } from './command.ts';

export const REPORT_CACHE_FORMAT = 'gitops-scaffold-validate-report-1';

export interface CachedReport {
  exitCode: 0 | 1;
  stdout: string;
}

/** The entry's file: one per folder checked (its real path and the paths given) and output format. */
export function reportCacheFile(root: string, paths: readonly string[], cwd: string, output: string, dir: string | undefined): string | undefined {
  if (!dir) return undefined;
  const where = createHash('sha256').update(`${root}\0${cwd}\0${paths.join('\0')}`).digest('hex').slice(0, 32);
  return path.join(dir, 'validate', `${where}-${output}.json`);
}

/** The key of a validate run: what its report is a function of (see the top of this file). */
export function reportKey(files: RepoFiles, opts: ValidateOptions, kcVersion: string | undefined, helmOnPath: boolean, readOther: (file: string) => Buffer | undefined): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      REPORT_CACHE_FORMAT,
      checkerFingerprint(),
      opts.output,
      kcVersion ?? null,
      opts.kustomize,
      opts.repoUrl ?? null,
      opts.skip ?? [],
      opts.reject ?? [],
      !!opts.ignoreMissingSchemas,
      opts.ignoreFilenamePatterns ?? [],
      opts.simulate !== false && !!opts.simulate,
      opts.helm !== false,
      helmOnPath,
      files.root,
    ]),
  );
  h.update('\0');
  const texts = new Map(files.manifests.map((m) => [m.path, m.content]));
  for (const f of files.all) {
    const text = texts.get(f);
    if (text !== undefined) {
      h.update(`\0m${f}\0${text.length}\0`);
      h.update(text);
    } else {
      const bytes = readOther(f);
      h.update(`\0o${f}\0${bytes ? bytes.length : -1}\0`);
      if (bytes) h.update(bytes);
    }
  }
  return h.digest('hex');
}

/** The cached report under that key, or undefined (no entry, another key, unreadable). */
export function loadCachedReport(file: string | undefined, key: string): CachedReport | undefined {
  if (!file) return undefined;
  try {
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (entry?.format !== REPORT_CACHE_FORMAT || entry.key !== key || typeof entry.stdout !== 'string' || (entry.exitCode !== 0 && entry.exitCode !== 1)) return undefined;
    return { exitCode: entry.exitCode, stdout: entry.stdout };
  } catch {
    return undefined;
  }
}

/** Stores the report (a temporary file renamed into place: a reader never sees half of it). Quiet on failure. */
export function saveCachedReport(file: string | undefined, key: string, report: CachedReport): void {
  if (!file) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: REPORT_CACHE_FORMAT, key, exitCode: report.exitCode, stdout: report.stdout }));
    fs.renameSync(tmp, file);
  } catch {
    // a read-only or full cache folder: the next run checks again
  }
}
