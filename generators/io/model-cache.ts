// platform.yaml's value kept beside the repository: `.gitops-scaffold/cache/model.json` holds the
// value of the platform.yaml text the last run wrote (as JSON), keyed by that text's sha256 and
// the code's fingerprint. The next run whose platform.yaml still has that hash reads its model
// with JSON.parse instead of parsing 160 KB of YAML (a 500-service model: ~35 ms of a cold
// process), through model/serialize.ts's known models, which every parse of the text consults.
//
// Derived data like the other caches (check/cache-store.ts): saved after the write under the lock,
// atomically (a temporary file renamed into place), never through a link; a missing, damaged or
// foreign file (another format or fingerprint, a body whose hash is not the recorded one) is not
// used: the text is parsed, never misread. Layout: one JSON header line, then the value's JSON:
//   {"format":"gitops-scaffold-model-1","fingerprint":"...","text":"<sha256 of platform.yaml>","body":"<sha256 of the rest>","fast":true}
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, ensureCacheDir, readCacheText } from '../check/cache-store.ts';
import { checkerFingerprint } from '../check/fingerprint.ts';
import { knownModel, parseSpecText, rememberModel } from '../model/serialize.ts';
import { sha256 } from './manifest.ts';
import { PathGuard, realPathOf } from './paths.ts';

const FILE = 'model.json';
const FORMAT = 'gitops-scaffold-model-1';

interface Header {
  format: string;
  fingerprint: string;
  text: string;
  body: string;
  fast: boolean;
}

/** The code's fingerprint (check/fingerprint.ts), or undefined when it cannot be had (no cache then). */
export function modelCacheFingerprint(): string | undefined {
  try {
    return checkerFingerprint();
  } catch {
    return undefined;
  }
}

/**
 * The cache folder of `root` when it stays inside the repository (never read through a link out
 * of it), for callers outside pipeline.run (which checks the same with its own guard).
 */
export function cacheInside(root: string): boolean {
  try {
    return !('escape' in new PathGuard(realPathOf(root)).resolve(CACHE_DIR));
  } catch {
    return false;
  }
}

/**
 * Makes the cached value of `text` known to this process when the repository's cache holds it
 * (`textSha256` = sha256 of `text`). Never throws: a cache that cannot be used only costs a parse.
 */
export function loadModelCache(root: string, text: string, textSha256: string, fingerprint: string): boolean {
  if (knownModel(text)) return true;
  const raw = readCacheText(path.join(root, CACHE_DIR, FILE));
  if (raw === undefined) return false;
  const nl = raw.indexOf('\n');
  if (nl < 0) return false;
  let header: Header;
  try {
    header = JSON.parse(raw.slice(0, nl));
  } catch {
    return false;
  }
  if (!header || header.format !== FORMAT || header.fingerprint !== fingerprint || header.text !== textSha256 || typeof header.fast !== 'boolean') return false;
  const body = raw.slice(nl + 1);
  if (header.body !== sha256(body)) return false;
  rememberModel(text, { json: body, fast: header.fast });
  return true;
}

/**
 * Saves the value of `text`: known to this process when it parsed or spliced that text, else
 * read now (init writes a new platform.yaml: one parse, so the next command reads none).
 * Errors cost speed only.
 */
export function saveModelCache(root: string, text: string, fingerprint: string): void {
  if (!knownModel(text)) {
    try {
      parseSpecText(text, 'platform.yaml');
    } catch {
      return;
    }
  }
  const known = knownModel(text);
  if (!known) return;
  const file = path.join(root, CACHE_DIR, FILE);
  const header: Header = { format: FORMAT, fingerprint, text: sha256(text), body: sha256(known.json), fast: known.fast };
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    ensureCacheDir(root);
    // A new file renamed over the old one: a link planted at model.json is replaced, never followed.
    fs.writeFileSync(tmp, `${JSON.stringify(header)}\n${known.json}`, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // a read-only cache folder: the next run parses
    }
  }
}
