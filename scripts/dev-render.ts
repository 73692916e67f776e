// Development helper: render a platform.yaml into a folder without the CLI (no manifest, no checks).
// Usage: node --import tsx scripts/dev-render.ts examples/enterprise/platform.yaml /tmp/out
import { readFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseSpecText } from '../generators/model/serialize.ts';
import { validateSpec } from '../generators/model/validate-spec.ts';
import { normalize } from '../generators/model/normalize.ts';
import { planRepo } from '../generators/plan/index.ts';
import { renderPlan } from '../generators/plan/render.ts';
import { createEngine } from '../generators/render/engine.ts';
import { loadTemplates } from '../generators/io/templates.ts';
import { parseAll } from '../generators/render/yaml.ts';
const [src, out] = process.argv.slice(2);
const text = readFileSync(src, 'utf8');
const spec = validateSpec(parseSpecText(text, src));
const platform = normalize(spec);
const t0 = performance.now();
const files = renderPlan(planRepo({ spec, platform, previousModelText: text }), createEngine(loadTemplates()));
rmSync(out, { recursive: true, force: true });
for (const f of files) { const p = path.join(out, f.path); mkdirSync(path.dirname(p), { recursive: true }); writeFileSync(p, f.content); if (/\.ya?ml$/.test(f.path)) parseAll(f.content, f.path); }
console.log(files.length, 'files', (performance.now()-t0).toFixed(0), 'ms');
