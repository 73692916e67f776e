// docs/lint-rules.md is generated from the registry; this fails when someone changes a rule
// without regenerating it (node --import tsx scripts/gen-lint-docs.ts).

import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderLintRulesDoc } from '../../generators/lint/docs.ts';
import { rules } from '../../generators/lint/index.ts';

const committed = readFileSync(new URL('../../docs/lint-rules.md', import.meta.url), 'utf8');

test('docs/lint-rules.md is up to date with the rule registry', () => {
  assert.ok(committed === renderLintRulesDoc(), 'docs/lint-rules.md is stale: run node --import tsx scripts/gen-lint-docs.ts');
});

test('the doc has one table row per rule, with its id, name and severity', () => {
  for (const r of rules) assert.ok(committed.includes(`| ${r.id} | \`${r.name}\` | ${r.severity} |`), r.id);
});

test('the doc explains suppression and the repo config', () => {
  assert.match(committed, /gitops-scaffold\.dev\/lint-ignore/);
  assert.match(committed, /\.gitops-scaffold\/lint\.yaml/);
});

test.run();
