// The pre-write check (generators/check/generated.ts) runs the simulation over the files a
// command is about to write: a defect Argo CD would trip on is an error there, and the write aborts.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkRendered } from '../../generators/check/generated.ts';
import { readTree, ROOT } from '../helpers.ts';

const files = (name: string) => [...readTree(path.join(ROOT, 'test/simulate/fixtures/defects', name))].map(([p, content]) => ({ path: p, content, owner: 'managed' as const }));

test('the pre-write check reports what the simulation finds, with file and path', () => {
  const out = checkRendered(files('project-deadlock'), undefined, { simulate: true });
  assert.ok(out.validators.includes('simulate'));
  const hit = out.findings.find((f) => f.rule === 'sim/bootstrap-project-missing' && f.file === 'bootstrap/root-app.yaml');
  assert.ok(hit && hit.path === '/spec/project');
  assert.ok(out.errors.some((e) => e.includes('[sim/bootstrap-project-missing]')));
});

test('without the simulation the pre-write check has no sim/ findings', () => {
  const out = checkRendered(files('project-deadlock'), undefined, { simulate: false });
  assert.not.ok(out.validators.includes('simulate'));
  assert.not.ok(out.findings.some((f) => f.rule.startsWith('sim/')));
});

test('the pre-write check reads generator inputs from the rendered files (ApplicationSets expanded)', () => {
  const out = checkRendered(files('tenant-invalid-names'), undefined, { simulate: true });
  assert.ok(out.findings.some((f) => f.rule === 'sim/app-name' && f.path === '/spec/template/metadata/name'));
});

test.run();
