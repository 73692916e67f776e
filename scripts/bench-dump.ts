// Writes every file the generator renders for the benchmark fleet (before and after adding one
// service) and for the committed examples, as one JSON object path -> content, so two versions of
// the tool can be compared byte for byte: a speed change must not change one byte of output.
// Usage: node --import tsx scripts/bench-dump.ts OUT.json [--services N]
//   then `cmp before.json after.json`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSpecText } from '../generators/model/serialize.ts';
import type { PlatformSpec } from '../generators/model/types.ts';
import { renderSpec } from '../generators/pipeline.ts';
import { ADDED_SERVICE, fleetSpec } from './bench-fleet.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { services: { type: 'string', default: '500' } } });
if (positionals.length !== 1) throw new Error('usage: bench-dump.ts OUT.json [--services N]');
const spec = fleetSpec(Number(values.services), 25, 12);
const added: PlatformSpec = { ...spec, services: [...spec.services!, ADDED_SERVICE] };
const out: Record<string, string> = {};
for (const f of renderSpec(spec)) out[`fleet/${f.path}`] = f.content;
for (const f of renderSpec(added)) out[`fleet-added/${f.path}`] = f.content;
for (const example of ['minimal', 'enterprise']) {
  const text = readFileSync(path.join(ROOT, 'examples', example, 'platform.yaml'), 'utf8');
  for (const f of renderSpec(parseSpecText(text, example), text)) out[`${example}/${f.path}`] = f.content;
}
writeFileSync(positionals[0], JSON.stringify(out));
console.error(`wrote ${Object.keys(out).length} files to ${positionals[0]}`);
