// Whether a writing command delivers its change as a pull request: `--pr` / `--no-pr` on the
// command line win over platform.yaml `repo.changes` (default `write`). Pure.

import { InputError } from '../model/errors.ts';

export function wantsPullRequest(values: Record<string, unknown>, spec?: { repo?: { changes?: string } }): boolean {
  if (values.pr && values['no-pr']) throw new InputError('both --pr and --no-pr; nothing was written', [{ path: '--pr', message: 'the two flags contradict each other', fix: 'keep one of them' }]);
  if (values.pr) return true;
  if (values['no-pr']) return false;
  return spec?.repo?.changes === 'pr';
}
