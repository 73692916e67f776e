// The no-op fast path of `render` (incremental/noop-render.ts): after a render that changed
// nothing, the next render returns the same result without planning; any change to what a render
// reads (a managed file, even of the same size and with its old mtime put back, a deleted file, a
// proposal beside a file, lint.yaml, platform.yaml, the certificate, --force, --no-check) makes
// it plan in full again, and the result is always exactly what planning in full gives.
import { readFileSync, rmSync, utimesSync, writeFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { run, type RunOptions } from '../../generators/pipeline.ts';
import { tempDir } from '../helpers.ts';

const RECORD = '.gitops-scaffold/cache/noop-render.json';

/** A render of `root` as the render command runs it; whether the fast path answered. */
function render(root: string, extra: Partial<RunOptions> = {}) {
  const write = process.stderr.write.bind(process.stderr);
  let fast: boolean | undefined;
  process.env.GITOPS_SCAFFOLD_DEBUG = 'noop';
  process.stderr.write = ((s: string) => {
    if (/no-op record holds/.test(s)) fast = true;
    else if (/no-op record does not hold/.test(s)) fast = false;
    else write(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    const r = run({ root, command: 'render', model: ({ text }) => ({ spec: parseSpecText(text!, 'platform.yaml'), modelText: text }), noopFastPath: true, ...extra });
    // What the output shows of a result (text, --json): kinds, paths, reasons, the check summary.
    const check = r.check && { validators: r.check.validators, resources: r.check.resources, errors: r.check.errors, warnings: r.check.warnings, findings: r.check.findings };
    const shown = JSON.stringify({ noop: r.noop, files: r.files, changes: r.changes.map((c) => [c.path, c.kind, c.reason ?? '', c.owner ?? '']), check });
    return { fast, shown, result: r };
  } finally {
    process.stderr.write = write;
    delete process.env.GITOPS_SCAFFOLD_DEBUG;
  }
}

function repo(): string {
  const root = path.join(tempDir('gs-noop-'), 'repo');
  const text = readFileSync('examples/minimal/platform.yaml', 'utf8');
  run({ root, spec: parseSpecText(text, 'minimal'), previousModelText: text });
  return root;
}

test('a render after a no-op render is answered from the record, with the same result', () => {
  const root = repo();
  const first = render(root);
  assert.is(first.fast, false, 'no record yet');
  assert.ok(first.result.noop);
  assert.ok(existsSync(path.join(root, RECORD)));
  const second = render(root);
  assert.is(second.fast, true);
  assert.is(second.shown, first.shown);
  assert.is(render(root, { dryRun: true }).fast, true, 'a dry run may use it');
});

test('every change to what a render reads means planning again, and the same result as planning', () => {
  const root = repo();
  render(root);
  const file = (p: string) => path.join(root, p);
  const managed = 'apps/README.md';
  const cases: [string, () => void, Partial<RunOptions>?][] = [
    ['a managed file edited to the same size, its mtime put back', () => {
      const before = statSync(file(managed));
      const text = readFileSync(file(managed), 'utf8');
      writeFileSync(file(managed), text.replace(/e/, 'E'));
      utimesSync(file(managed), before.atime, before.mtime);
    }],
    ['the file restored', () => writeFileSync(file(managed), readFileSync(file(managed), 'utf8').replace(/E/, 'e'))],
    ['a managed file deleted', () => rmSync(file('apps/README.md'))],
    ['a proposal beside a managed file', () => writeFileSync(file('argocd/apps/root.yaml.gitops-scaffold-new'), 'x: 1\n')],
    ['the proposal gone again', () => rmSync(file('argocd/apps/root.yaml.gitops-scaffold-new'))],
    ['lint.yaml changed', () => writeFileSync(file('.gitops-scaffold/lint.yaml'), `${readFileSync(file('.gitops-scaffold/lint.yaml'), 'utf8')}rules:\n  K8S009: off\n`)],
    ['platform.yaml: a comment added', () => writeFileSync(file('platform.yaml'), `${readFileSync(file('platform.yaml'), 'utf8')}# a note\n`)],
    ['a file only touched', () => utimesSync(file('argocd/README.md'), new Date(), new Date())],
    ['--force', () => {}, { force: true }],
    ['--no-check', () => {}, { check: false }],
  ];
  for (const [what, change, extra] of cases) {
    // A record made by a plain render, then the change (or other options for the same state).
    if (!render(root).fast) assert.ok(render(root).fast, `${what}: a record is made`);
    change();
    // Dry runs: the repository stays in the changed state for the comparison.
    const after = render(root, { ...extra, dryRun: true });
    assert.is(after.fast, false, `${what}: the record must not be used`);
    // The full result of this state, planned once more without any record.
    rmSync(file(RECORD), { force: true });
    const full = render(root, { ...extra, dryRun: true });
    assert.is(after.shown, full.shown, what);
    render(root); // converge before the next case
  }
});

test.run();
