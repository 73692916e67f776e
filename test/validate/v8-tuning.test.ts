// validate's V8 tuning (validate/v8-tuning.ts) is for the command line's one-shot run only, can
// be turned off, and changes nothing in the report (the fleet is held by scripts/validate-same.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowV8Tuning, raiseInterruptBudget } from '../../generators/validate/v8-tuning.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('the interrupt budget is raised only when the command line allowed it, and not with GITOPS_SCAFFOLD_V8_TUNING=off', () => {
  // (other test files may have run the validate handler in this process already: start from off)
  allowV8Tuning({ GITOPS_SCAFFOLD_V8_TUNING: 'off' });
  assert.is(raiseInterruptBudget({}), false);
  allowV8Tuning({ GITOPS_SCAFFOLD_V8_TUNING: '0' });
  assert.is(raiseInterruptBudget({}), false);
  allowV8Tuning({});
  assert.is(raiseInterruptBudget({}), true);
  allowV8Tuning({ GITOPS_SCAFFOLD_V8_TUNING: 'off' }); // leave the process as the other tests expect
});

test('validate prints the same report, tuned or not (enterprise example, JSON and text)', () => {
  const bin = path.join(ROOT, 'bin', 'gitops-scaffold.js');
  const dir = path.join(ROOT, 'examples', 'enterprise');
  for (const output of ['json', 'text']) {
    const run = (tuning?: string) => {
      const env = { ...process.env, GITOPS_SCAFFOLD_V8_TUNING: tuning };
      if (tuning === undefined) delete env.GITOPS_SCAFFOLD_V8_TUNING;
      try {
        return execFileSync(process.execPath, [bin, 'validate', dir, '--output', output, '--kubeconform', 'never', '--no-kustomize', '--no-color'], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      } catch (e: any) {
        return `exit ${e.status}\n${e.stdout}`;
      }
    };
    const tuned = run();
    assert.ok(!/^exit 2/.test(tuned), tuned.slice(0, 300));
    assert.is(tuned, run('off'), output);
  }
});

test('a tuned validate leaves code caches its next run takes: the bundle\'s (read untuned at start-up) and the validators\' (read tuned)', () => {
  // Fails when the budget is not set back before exit (the bundle's cache rejected at every
  // run) or when the validators' caches are written under another budget than they are read with.
  const bin = path.join(ROOT, 'bin', 'gitops-scaffold.js');
  const cache = mkdtempSync(path.join(os.tmpdir(), 'gs-v8-cache-'));
  try {
    const run = () => {
      const env: NodeJS.ProcessEnv = { ...process.env, GITOPS_SCAFFOLD_CACHE_DIR: cache, GITOPS_SCAFFOLD_DEBUG: 'code-cache' };
      delete env.GITOPS_SCAFFOLD_V8_TUNING;
      const r = spawnSync(process.execPath, [bin, 'validate', path.join(ROOT, 'examples', 'minimal'), '--output', 'json', '--kubeconform', 'never', '--no-kustomize'], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return r.stderr.split('\n').filter((l) => l.includes('code cache:'));
    };
    const first = run();
    assert.ok(first.some((l) => /code cache: miss/.test(l)), first.join('\n'));
    for (const again of [run(), run()]) {
      assert.ok(again.length > 0 && again.every((l) => /code cache: hit /.test(l)), again.join('\n'));
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
