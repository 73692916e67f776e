// How results reach people and automation: a short human summary, or one JSON document.
// A few changed files are listed one per line; many (an init writes 60 to 500) are summarized by
// folder, with the full list under --verbose or in --json. Conflicts and warnings are always listed.

import type { RunResult } from '../pipeline.ts';
import { WRITES } from './changes.ts';
import { paint } from './colors.ts';

const SYMBOL: Record<string, string> = { create: '+', recreate: '+', update: '~', merge: 'M', delete: '-', conflict: '!', 'overwrite-foreign': '~', 'overwrite-edit': '~', 'kept-edit': '=', 'kept-seed': '=', unchanged: ' ' };

/** At most this many changed files are listed one per line without --verbose. */
export const LIST_LIMIT = 15;

export interface SummaryOptions {
  dryRun?: boolean;
  /** Every file, unchanged ones included. */
  verbose?: boolean;
  color?: boolean;
}

export function summarize(r: RunResult, { dryRun = false, verbose = false, color = false }: SummaryOptions = {}): string {
  const c = paint(color);
  const tint: Record<string, (s: string) => string> = { create: c.green, recreate: c.green, delete: c.red, conflict: c.red, merge: c.cyan, update: c.yellow, 'overwrite-foreign': c.yellow, 'overwrite-edit': c.yellow };
  const lines: string[] = [];
  // What the run did before planning (a stale lock taken over, an interrupted write finished).
  for (const n of r.notes ?? []) lines.push(`Note: ${n}.`);
  const changed = r.changes.filter((ch) => ch.kind !== 'unchanged' && ch.kind !== 'kept-seed');
  const listed = verbose ? r.changes : changed.length <= LIST_LIMIT ? changed : changed.filter((ch) => ch.kind === 'conflict' || ch.kind === 'merge' || ch.kind === 'kept-edit' || ch.kind === 'recreate');
  for (const ch of listed) lines.push(`  ${(tint[ch.kind] ?? ((s: string) => s))(SYMBOL[ch.kind])} ${ch.path}${ch.reason ? c.dim(`  (${ch.reason})`) : ''}`);
  const rest = changed.filter((ch) => !listed.includes(ch));
  if (!verbose && rest.length) lines.push(`  ${rest.length} files in ${byFolder(rest.map((ch) => ch.path))}  ${c.dim('(every file: --verbose)')}`);
  const count = (k: string) => r.changes.filter((ch) => ch.kind === k).length;
  const writes = r.changes.filter((ch) => WRITES.has(ch.kind)).length;
  if (r.noop) lines.push(`No changes: ${r.root} already matches platform.yaml (${r.files} files).`);
  else if (!writes && !r.changes.some((ch) => ch.kind === 'delete' || ch.kind === 'conflict'))
    lines.push(`No file changes in ${r.root}; ${dryRun ? 'would record' : 'recorded'} this run in .gitops-scaffold/manifest.json.`);
  else
    lines.push(
      `${dryRun ? 'Would write' : 'Wrote'} ${writes} file(s) in ${r.root}: ${count('create') + count('recreate')} created, ${count('update') + count('overwrite-foreign') + count('overwrite-edit')} updated, ${count('merge')} merged, ${count('delete')} deleted, ${count('unchanged') + count('kept-edit') + count('kept-seed')} left as they are.`,
    );
  if (r.check) {
    lines.push(`Checked before writing: ${r.check.validators.join(', ')} (${r.check.resources} resources, ${r.check.errors.length} errors, ${r.check.warnings.length} warnings).`);
    for (const w of r.check.warnings) lines.push(`  ${c.yellow('warning:')} ${w}`);
  }
  if (r.conflicts.length)
    lines.push(c.red(`${r.conflicts.length} conflict(s): the files above marked ! were left untouched; the new version of each is beside it as <file>.gitops-scaffold-new. To resolve one, move the proposal over the file (mv <file>.gitops-scaffold-new <file>), or merge by hand and delete the proposal; or re-run with --force to overwrite (a backup <file>.orig is kept).`));
  return lines.join('\n');
}

/** `argocd/ 45, apps/ 60, clusters/ 12, README.md` : files per top-level folder. */
function byFolder(paths: string[]): string {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const top = p.includes('/') ? `${p.slice(0, p.indexOf('/'))}/` : p;
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  return [...counts].map(([folder, n]) => (folder.endsWith('/') ? `${folder} ${n}` : folder)).join(', ');
}

/** What to do after `init` wrote a new repository. */
export function nextSteps(r: RunResult, opts: { repoUrl?: string; revision?: string; color?: boolean } = {}): string {
  const c = paint(opts.color);
  const rel = r.root;
  const tracks = opts.revision && opts.revision !== 'main' ? opts.revision : undefined;
  return [
    c.bold('Next:'),
    `  1. Review it (start with ${rel}/README.md), then commit and push it${opts.repoUrl ? ` to ${opts.repoUrl}` : ''}:`,
    `       cd ${rel} && git init -b main && git add -A && git commit -m "Platform from gitops-scaffold"${opts.repoUrl ? ` && git remote add origin ${opts.repoUrl} && git push -u origin main` : ''}`,
    ...(tracks ? [`     Argo CD tracks revision ${tracks} (repo.revision): push that branch or tag too.`] : []),
    // The exact list depends on the platform (a private repository adds a step): README.md has it.
    '  2. Bootstrap Argo CD on the hub cluster (kubectl pointing at it) with the commands under "Bootstrap a cluster" in README.md:',
    '       kubectl apply --server-side --force-conflicts -k bootstrap, ..., kubectl apply --server-side --force-conflicts -k bootstrap/root',
    '  Day 2: gitops-scaffold add service|tenant|cluster|environment (gitops-scaffold help add).',
  ].join('\n');
}

export function asJson(command: string, r: RunResult, dryRun: boolean) {
  return {
    command,
    ok: r.conflicts.length === 0,
    dryRun,
    root: r.root,
    noop: r.noop,
    notes: r.notes ?? [],
    files: r.changes.map((c) => ({ path: c.path, action: c.kind, ...(c.reason ? { reason: c.reason } : {}), ...(c.backup ? { backup: c.backup } : {}), ...(c.kind === 'conflict' && c.proposal ? { proposal: c.proposal } : {}) })),
    conflicts: r.conflicts.map((c) => c.path),
    // Findings are listed once (warnings below), not repeated inside checks.
    checks: r.check ? { validators: r.check.validators, resources: r.check.resources, errors: r.check.errors.length, warnings: r.check.warnings.length } : null,
    warnings: r.check?.warnings ?? [],
  };
}
