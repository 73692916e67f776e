// kubeconform's acceptance verdicts (v0.7.0 acceptance.bats, with -strict), re-created with our
// own fixtures in test/fixtures/kubeconform (see its NOTICE.md): `validate` must reach the same
// verdict and, where kubeconform prints it, the same resource count and message. Only the
// layers kubeconform has (parse and schema) are compared; cross-reference findings are ours.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixture, validateJson } from './helpers.ts';

interface Case {
  file: string;
  /** kubeconform -strict exit code. */
  exit: 0 | 1;
  resources?: number;
  message?: string;
  opts?: Record<string, unknown>;
}

const CASES: Case[] = [
  { file: 'valid.yaml', exit: 0, resources: 1 },
  { file: 'valid.json', exit: 0, resources: 1 },
  { file: 'folder', exit: 0, resources: 3 },
  { file: 'int_or_string.yaml', exit: 0, resources: 1 },
  { file: 'generate_name.yaml', exit: 0, resources: 1 },
  { file: 'quantity.yaml', exit: 0, resources: 1 },
  { file: 'null_string.yaml', exit: 0, resources: 1 },
  { file: 'null_array.yaml', exit: 0, resources: 1 },
  { file: 'multi_valid.yaml', exit: 0, resources: 6 },
  { file: 'multi_invalid.yaml', exit: 1 },
  { file: 'invalid.yaml', exit: 1 },
  { file: 'blank.yaml', exit: 0, resources: 0 },
  { file: 'comment.yaml', exit: 0, resources: 0 },
  { file: 'missing_kind.yaml', exit: 1, message: "missing 'kind' key" },
  { file: 'missing_apiversion.yaml', exit: 1, message: "missing 'apiVersion' key" },
  { file: 'missing_kind_value.yaml', exit: 1, message: "missing 'kind' key" },
  { file: 'test_crd.yaml', exit: 1, message: 'could not find schema for TrainingJob' },
  { file: 'test_crd.yaml', exit: 0, opts: { ignoreMissingSchemas: true } },
  { file: 'extra_property.yaml', exit: 1 },
  { file: 'duplicate_property.yaml', exit: 1 },
  { file: 'valid.yaml', exit: 0, opts: { skip: ['ReplicationController'] } },
  { file: 'valid.yaml', exit: 0, opts: { skip: ['v1/ReplicationController'] } },
  { file: 'valid.yaml', exit: 0, opts: { skip: ['v2/ReplicationController'] } },
  { file: 'valid.yaml', exit: 1, message: 'prohibited resource kind ReplicationController', opts: { reject: ['ReplicationController'] } },
  { file: 'list_valid.yaml', exit: 0, resources: 6 },
  { file: 'list_invalid.yaml', exit: 1, resources: 2, message: 'spec.replicas: must be integer' },
  { file: 'list_empty_valid.yaml', exit: 0, resources: 0 },
  { file: 'multi_with_list.yaml', exit: 0, resources: 2 },
  { file: 'unconventional_keys.yaml', exit: 0, resources: 1 },
  { file: 'same-kind-different-api.yaml', exit: 1, message: 'could not find schema for Deployment (apiVersion apps/v1beta1)' },
];

for (const c of CASES) {
  const label = `${c.file}${c.opts ? ` ${JSON.stringify(c.opts)}` : ''}: kubeconform -strict exits ${c.exit}`;
  test(label, async () => {
    const r = await validateJson(fixture('kubeconform', c.file), { ...(c.opts ?? {}) });
    const kubeconformLayers = r.findings.filter((f) => f.source === 'parse' || f.source === 'embedded-schema');
    const errors = kubeconformLayers.filter((f) => f.severity === 'error');
    assert.is(errors.length > 0 ? 1 : 0, c.exit, JSON.stringify(errors, null, 1));
    if (c.resources !== undefined) assert.is(r.report.summary.resources, c.resources);
    if (c.message) assert.ok(errors.some((f) => f.message.includes(c.message!)), JSON.stringify(errors.map((f) => f.message)));
  });
}

test('-ignore-filename-pattern: ignored files are not read (kubeconform keeps 1 of 4 files)', async () => {
  const r = await validateJson(fixture('kubeconform'), { ignoreFilenamePatterns: ['crd', '.*invalid.*', '^(?!quantity\\.yaml$).*'] });
  assert.is(r.exitCode, 0);
  assert.is(r.report.summary.resources, 1);
  assert.is(r.report.summary.files, 1);
});

test('a file given by a path that climbs out of the current folder (../) is still read', async () => {
  const r = await validateJson('../kubeconform/valid.yaml', { cwd: fixture('validate') });
  assert.is(r.report.summary.resources, 1);
  const bad = await validateJson('../kubeconform/invalid.yaml', { cwd: fixture('validate') });
  assert.is(bad.exitCode, 1);
});

test.run();
