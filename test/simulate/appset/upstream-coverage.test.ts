// Every upstream table derived into fixtures/upstream is run by one of the upstream-*.test.ts
// files, and every case left out is listed in skipped.json with a reason.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SKIPPED, loadTable, tableNames } from './upstream/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const runners = readdirSync(here)
  .filter((f) => f.startsWith('upstream-') && f.endsWith('.test.ts') && f !== 'upstream-coverage.test.ts')
  .map((f) => readFileSync(path.join(here, f), 'utf8'))
  .join('\n');

test('each derived table has a runner (its full name, or its function name in a loop over variants)', () => {
  for (const name of tableNames()) {
    const [file, fn] = name.split('.');
    const base = fn.replace(/(GoTemplate|WithGoTemplating|WithNewGlobbing|WithOldGlobbing)$/, '');
    const found = runners.includes(`'${name}'`) || runners.includes(`\`${file}.${base}`) || runners.includes(`'${fn}'`);
    assert.ok(found, `no runner for ${name}`);
  }
});

test('skipped cases exist in their tables and say why', () => {
  for (const [table, cases] of Object.entries(SKIPPED)) {
    const names = loadTable(table).cases.map((c) => String(c.name ?? c.testName ?? ''));
    for (const [name, reason] of Object.entries(cases)) {
      assert.ok(names.includes(name), `${table}: no case ${name}`);
      assert.ok(reason.length > 20, `${table} / ${name}: a reason`);
    }
  }
});

test.run();
