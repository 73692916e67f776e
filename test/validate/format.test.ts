import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckReport } from '../../generators/check/finding.ts';
import { formatReport } from '../../generators/check/format.ts';

const report: CheckReport = {
  validators: [
    { name: 'embedded-schema', ran: true },
    { name: 'kubeconform', ran: false, note: 'not installed' },
  ],
  resources: 3,
  files: 2,
  findings: [
    { rule: 'schema/unknown-field', severity: 'error', source: 'embedded-schema', file: 'apps/app.yaml', line: 17, path: '/spec/x', message: 'spec.x: unknown field "x" in Application', fix: 'Remove it.', resource: { kind: 'Application', name: 'web', namespace: 'argocd' } },
    { rule: 'xref/secret-store', severity: 'warning', source: 'xref', file: 'apps/app.yaml', line: 3, message: 'spec.secretStoreRef.name: <store> & "quotes"', fix: 'Add it.' },
    { rule: 'kubeconform/tool-error', severity: 'error', source: 'kubeconform', message: 'kubeconform: crashed' },
    { rule: 'kustomize/remote', severity: 'info', source: 'kustomize', file: 'base/kustomization.yaml', message: 'resources[0]: remote base skipped' },
  ],
};

test('text groups findings by file, sorted by line, and ends with a summary naming the validators', () => {
  const out = formatReport(report, 'text');
  const lines = out.trimEnd().split('\n');
  const appAt = lines.indexOf('apps/app.yaml');
  assert.ok(appAt >= 0);
  assert.ok(lines[appAt + 1].includes('3') && lines[appAt + 1].includes('warning'));
  assert.ok(lines.some((l) => l.includes('fix: Remove it.')));
  assert.ok(lines.includes('(no file)'));
  assert.is(
    lines.at(-1),
    'Summary: 3 resources in 2 files - 2 errors, 1 warning, 1 info. Validators: embedded-schema (ran), kubeconform (skipped: not installed)',
  );
});

test('json has summary counts, validators and every finding', () => {
  const parsed = JSON.parse(formatReport(report, 'json'));
  assert.equal(parsed.summary, { resources: 3, files: 2, error: 2, warning: 1, info: 1 });
  assert.is(parsed.findings.length, 4);
  assert.is(parsed.validators[1].note, 'not installed');
});

/** A small XML reader: checks well-formedness and returns elements with attributes. */
function readXml(xml: string) {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const elements: { name: string; attrs: Record<string, string>; depth: number }[] = [];
  const re = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body))) {
    if (m.index !== consumed) throw new Error(`unexpected text at ${consumed}: ${body.slice(consumed, consumed + 30)}`);
    consumed = re.lastIndex;
    if (m[5] !== undefined) {
      if (/&(?!amp;|lt;|gt;|quot;|apos;)/.test(m[5])) throw new Error(`bad entity in text: ${m[5]}`);
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const attrs = Object.fromEntries([...attrText.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    elements.push({ name, attrs, depth: stack.length });
    if (!selfClose) stack.push(name);
  }
  if (consumed !== body.length || stack.length) throw new Error('unterminated XML');
  return elements;
}

test('junit is well-formed: testsuites > testsuite per file > testcase per finding', () => {
  const els = readXml(formatReport(report, 'junit'));
  assert.is(els[0].name, 'testsuites');
  const suites = els.filter((e) => e.name === 'testsuite');
  assert.equal(suites.map((s) => s.attrs.name).sort(), ['(no file)', 'apps/app.yaml', 'base/kustomization.yaml']);
  assert.is(els.filter((e) => e.name === 'testcase').length, 4);
  assert.is(els.filter((e) => e.name === 'failure').length, 3);
  assert.is(els[0].attrs.failures, '3');
  assert.ok(suites.every((s) => s.depth === 1));
});

test('junit of a clean run still has one passing testcase', () => {
  const els = readXml(formatReport({ ...report, findings: [] }, 'junit'));
  assert.is(els.filter((e) => e.name === 'testcase').length, 1);
  assert.is(els.filter((e) => e.name === 'failure').length, 0);
});

// The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that GitHub code scanning and
// other consumers require of a log like ours: version, runs, tool.driver.name/rules with ids,
// results with ruleId, level from the enum, message.text, and physical locations with
// artifactLocation.uri and a region whose startLine is at least 1.
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  rules: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, shortDescription: { type: 'object', required: ['text'] }, defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } } } } } },
                },
              },
            },
          },
          invocations: { type: 'array', items: { type: 'object', required: ['executionSuccessful'] } },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', format: 'uri-reference' } } },
                          region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 } } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

test('sarif is SARIF 2.1.0: rules, results with ruleId, level, message and locations', () => {
  const sarif = JSON.parse(formatReport(report, 'sarif', { rules: { 'schema/unknown-field': { description: 'Unknown field' } } }));
  const ajv = new Ajv({ strict: false, validateFormats: false });
  const ok = ajv.validate(SARIF_SUBSET, sarif);
  assert.ok(ok, JSON.stringify(ajv.errors));
  const run = sarif.runs[0];
  assert.is(run.tool.driver.rules.find((r: any) => r.id === 'schema/unknown-field').shortDescription.text, 'Unknown field');
  const result = run.results.find((r: any) => r.ruleId === 'schema/unknown-field');
  assert.is(result.level, 'error');
  assert.is(result.locations[0].physicalLocation.artifactLocation.uri, 'apps/app.yaml');
  assert.is(result.locations[0].physicalLocation.region.startLine, 17);
  assert.is(run.rules?.length ?? run.tool.driver.rules.length, 4);
  // ruleIndex points at the rule with the same id
  for (const r of run.results) assert.is(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  assert.is(run.results.find((r: any) => r.ruleId === 'kustomize/remote').level, 'note');
  assert.not.ok(run.results.find((r: any) => r.ruleId === 'kubeconform/tool-error').locations);
});

test.run();
