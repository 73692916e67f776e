// How results reach people and automation: a short human summary, or one JSON document.

import type { RunResult } from '../pipeline.ts';
import { WRITES } from './changes.ts';

const SYMBOL: Record<string, string> = { create: '+', update: '~', merge: 'M', delete: '-', conflict: '!', 'overwrite-foreign': '~', 'overwrite-edit': '~', 'kept-edit': '=', 'kept-seed': '=', unchanged: ' ' };

export function summarize(r: RunResult, { dryRun = false, verbose = false } = {}): string {
  const lines: string[] = [];
  const interesting = r.changes.filter((c) => verbose || (c.kind !== 'unchanged' && c.kind !== 'kept-seed'));
  for (const c of interesting) lines.push(`  ${SYMBOL[c.kind]} ${c.path}${c.reason ? `  (${c.reason})` : ''}`);
  const count = (k: string) => r.changes.filter((c) => c.kind === k).length;
  const writes = r.changes.filter((c) => WRITES.has(c.kind)).length;
  if (r.noop) lines.push(`No changes: ${r.root} already matches platform.yaml (${r.files} files).`);
  else
    lines.push(
      `${dryRun ? 'Would write' : 'Wrote'} ${writes} file(s) in ${r.root}: ${count('create')} created, ${count('update') + count('overwrite-foreign') + count('overwrite-edit')} updated, ${count('merge')} merged, ${count('delete')} deleted, ${count('unchanged') + count('kept-edit') + count('kept-seed')} left as they are.`,
    );
  if (r.check) {
    lines.push(`Checked before writing: ${r.check.validators.join(', ')} (${r.check.resources} resources, ${r.check.errors.length} errors, ${r.check.warnings.length} warnings).`);
    for (const w of r.check.warnings) lines.push(`  warning: ${w}`);
  }
  if (r.conflicts.length)
    lines.push(`${r.conflicts.length} conflict(s): the files above marked ! were left untouched; the new version of each is beside it as <file>.gitops-scaffold-new. Merge by hand and delete the proposal, or re-run with --force to overwrite (a backup .orig is kept).`);
  return lines.join('\n');
}

export function asJson(command: string, r: RunResult, dryRun: boolean) {
  return {
    command,
    ok: r.conflicts.length === 0,
    dryRun,
    root: r.root,
    noop: r.noop,
    files: r.changes.map((c) => ({ path: c.path, action: c.kind, ...(c.reason ? { reason: c.reason } : {}) })),
    conflicts: r.conflicts.map((c) => c.path),
    // Findings are listed once (warnings below), not repeated inside checks.
    checks: r.check ? { validators: r.check.validators, resources: r.check.resources, errors: r.check.errors.length, warnings: r.check.warnings.length } : null,
    warnings: r.check?.warnings ?? [],
  };
}
