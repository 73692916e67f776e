import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../index.ts';
import { completeLine, completionScript, type ModelNames } from '../complete.ts';
import type { Handler } from '../types.ts';

/** `completion bash|zsh|fish`: the script to source. */
export const completion: Handler = async ({ args, io }) => {
  io.stdout(completionScript(args[0] as 'bash' | 'zsh' | 'fish'));
  return 0;
};

/** Names declared in the nearest platform.yaml (never an error: completion stays quiet). */
const modelNames: ModelNames = (list, repoFlag) => {
  try {
    let dir = path.resolve(repoFlag ?? '.');
    let text: string | undefined;
    for (; text === undefined; dir = path.dirname(dir)) {
      try {
        text = readFileSync(path.join(dir, 'platform.yaml'), 'utf8');
      } catch {
        if (repoFlag || path.dirname(dir) === dir) return [];
      }
    }
    // A line scan, not a YAML parse: completion must answer in milliseconds on a 2,000-service model.
    const names: string[] = [];
    let inList = false;
    for (const line of text.split('\n')) {
      if (/^\S/.test(line)) inList = line.startsWith(`${list}:`);
      else if (inList) {
        const m = /^ {0,2}- (?:\{\s*)?name: *["']?([a-z0-9][-a-z0-9]*)/.exec(line);
        if (m) names.push(m[1]);
      }
    }
    return names;
  } catch {
    return [];
  }
};

/** `__complete WORD...`: candidates for the last word, one per line (value TAB description). */
export const complete: Handler = async ({ args, io }) => {
  const c = completeLine(ROOT, args, modelNames);
  if (c.directive) io.stdout(`:${c.directive}`);
  else if (c.values.length) io.stdout(c.values.map((v) => (v.description ? `${v.value}\t${v.description}` : v.value)).join('\n'));
  return 0;
};
