// Writes docs/lint-rules.md from the lint rule registry.
//   node --import tsx scripts/gen-lint-docs.ts          write the file
//   node --import tsx scripts/gen-lint-docs.ts --check  exit 1 when the file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderLintRulesDoc } from '../generators/lint/docs.ts';

const target = fileURLToPath(new URL('../docs/lint-rules.md', import.meta.url));
const text = renderLintRulesDoc();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('docs/lint-rules.md is out of date: run node --import tsx scripts/gen-lint-docs.ts');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
