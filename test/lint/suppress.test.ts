// Suppression by annotation: an entry with a reason silences its rule on that resource only; an
// entry without a reason (or naming no rule) silences nothing and is reported as LINT001.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintResources } from '../../generators/lint/index.ts';
import { findRule } from '../../generators/lint/registry.ts';
import { parseSuppressions } from '../../generators/lint/suppress.ts';
import { resourcesOf } from './fixtures.ts';

const ref = (s: string) => {
  const r = findRule(s);
  return r && { id: r.id, name: r.name };
};

/** A workflow template running as root, with an optional lint-ignore annotation. */
const rootTemplate = (name: string, annotation?: string) => `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: ${name}
  namespace: ci
${annotation === undefined ? '' : `  annotations:\n    gitops-scaffold.dev/lint-ignore: ${JSON.stringify(annotation)}\n`}spec:
  templates:
    - name: build
      securityContext:
        runAsUser: 0
      container:
        image: ghcr.io/acme/kaniko:1.0.0
`;

const rulesFor = (yaml: string, name: string) => lintResources(resourcesOf(yaml)).filter((f) => f.resource?.name === name).map((f) => f.rule);

test('an entry with a reason suppresses its rule on that resource only', () => {
  const yaml = `${rootTemplate('kaniko', 'WF005: kaniko needs root to build; baseline capabilities only')}---\n${rootTemplate('other')}`;
  assert.not.ok(rulesFor(yaml, 'kaniko').includes('WF005'), 'suppressed on the annotated resource');
  assert.ok(rulesFor(yaml, 'kaniko').includes('K8S010'), 'other rules still run there');
  assert.ok(rulesFor(yaml, 'other').includes('WF005'), 'not suppressed elsewhere');
  assert.not.ok(rulesFor(yaml, 'kaniko').includes('LINT001'));
});

test('rules can be named by id (any case) or by name, several per entry', () => {
  const found = rulesFor(rootTemplate('kaniko', 'wf005, privilege-escalation: build image needs both; K8S006: tested'), 'kaniko');
  for (const id of ['WF005', 'K8S010', 'K8S006', 'LINT001']) assert.not.ok(found.includes(id), id);
});

test('a reason may contain ";": only a rule reference and a colon start a new entry', () => {
  const entries = parseSuppressions('WF005: kaniko needs root to build; baseline capabilities only; K8S005: unpacks the base image', ref);
  assert.equal(entries.map((e) => [e.ids, e.reason]), [
    [['WF005'], 'kaniko needs root to build; baseline capabilities only'],
    [['K8S005'], 'unpacks the base image'],
  ]);
});

test('the generator\'s own CI annotation parses as two entries', () => {
  const value = 'WF005: the test and build steps run kaniko, which must be root to unpack base images (baseline capabilities only, never privileged; every other step runs as uid 65532); K8S005: kaniko writes the image filesystem to its root';
  const entries = parseSuppressions(value, ref);
  assert.equal(entries.map((e) => e.ids), [['WF005'], ['K8S005']]);
  assert.match(entries[0].reason, /never privileged; every other step runs as uid 65532\)$/);
});

test('entries may also be separated by new lines', () => {
  const entries = parseSuppressions('WF005: needs root\nK8S005: writes to /', ref);
  assert.equal(entries.map((e) => e.ids[0]), ['WF005', 'K8S005']);
});

test('an entry without a reason suppresses nothing and is itself a finding', () => {
  const findings = lintResources(resourcesOf(rootTemplate('kaniko', 'WF005'))).filter((f) => f.resource?.name === 'kaniko');
  assert.ok(findings.some((f) => f.rule === 'WF005'), 'WF005 still reported');
  const meta = findings.filter((f) => f.rule === 'LINT001');
  assert.is(meta.length, 1);
  assert.match(meta[0].message, /"WF005" has no reason/);
  assert.is(meta[0].path, '/metadata/annotations/gitops-scaffold.dev~1lint-ignore');
});

test('an empty reason after the colon counts as no reason', () => {
  assert.ok(rulesFor(rootTemplate('kaniko', 'WF005:   '), 'kaniko').includes('WF005'));
});

test('an unknown rule is reported and suppresses nothing', () => {
  const found = lintResources(resourcesOf(rootTemplate('kaniko', 'WF050: typo in the id'))).filter((f) => f.rule === 'LINT001');
  assert.is(found.length, 1);
  assert.match(found[0].message, /names no known rule: WF050/);
});

test('LINT001 cannot suppress itself', () => {
  const found = rulesFor(rootTemplate('kaniko', 'LINT001: hide my bad entries; WF005'), 'kaniko');
  assert.ok(found.includes('LINT001'));
  assert.ok(found.includes('WF005'));
});

test.run();
