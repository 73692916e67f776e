// Shared test helpers (not a test file: the runner only picks *.test.ts).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const tempDir = (prefix = 'gs-') => mkdtempSync(path.join(tmpdir(), prefix));

export const baseSpec = () => ({
  name: 'acme',
  repo: { url: 'https://github.com/acme/gitops.git' },
  environments: [{ name: 'dev' }, { name: 'prod' }],
  clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ['dev', 'prod'] }],
  tenants: [{ name: 'payments' }],
});

/**
 * Every file under dir, relative path -> content; except the tool's caches
 * (`.gitops-scaffold/cache/`, derived data that Git ignores, like `.git` itself).
 */
export function readTree(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (child === '.gitops-scaffold/cache') continue;
    if (e.isDirectory()) for (const [k, v] of readTree(dir, child)) out.set(k, v);
    else out.set(child, readFileSync(path.join(dir, child), 'utf8'));
  }
  return out;
}
