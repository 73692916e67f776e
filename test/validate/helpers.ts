// Shared helpers for the validate tests: fixture paths, running the command, checking tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../generators/check/finding.ts';
import { validateCommand, type ValidateOptions } from '../../generators/validate/command.ts';

// Builds cached by validate go to a scratch folder, not the user's ~/.cache.
process.env.GITOPS_SCAFFOLD_CACHE_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-test-cache-'));

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const fixture = (...p: string[]) => path.join(FIXTURES, ...p);

/** Runs `validate` with JSON output and returns exit code and findings. */
export async function validateJson(dir: string, opts: Partial<ValidateOptions> = {}) {
  const r = await validateCommand({ paths: [dir], output: 'json', kubeconform: 'never', kustomize: false, ...opts });
  const report = r.stdout ? JSON.parse(r.stdout) : undefined;
  return { exitCode: r.exitCode, stderr: r.stderr, report, findings: (report?.findings ?? []) as Finding[] };
}

export function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['kustomize', '--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
