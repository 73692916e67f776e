// Every rule fires on its failing fixture (with its id and a field path in the message) and stays
// silent on its passing fixture; passing fixtures are hardened, so no rule may report an error or
// warning on them. Adding a rule without both fixtures fails the registry test.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintResources, rules } from '../../generators/lint/index.ts';
import { fieldPath } from '../../generators/lint/util/pointer.ts';
import { fixtureIndex, loadFixture } from './fixtures.ts';

const passing = fixtureIndex('pass');
const failing = fixtureIndex('fail');
const describe = (findings: { rule: string; severity: string; message: string }[]) => findings.map((f) => `  ${f.severity} [${f.rule}] ${f.message}`).join('\n');

test('the registry has at least 30 rules with unique ids and kebab-case names', () => {
  assert.ok(rules.length >= 30, `${rules.length} rules`);
  assert.is(new Set(rules.map((r) => r.id)).size, rules.length, 'ids are unique');
  assert.is(new Set(rules.map((r) => r.name)).size, rules.length, 'names are unique');
  for (const r of rules) {
    assert.match(r.id, /^(ACD|SEC|RO|WF|ESO|K8S|LINT)\d{3}$/, r.id);
    assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.name);
    assert.ok(['error', 'warning', 'info'].includes(r.severity), `${r.id} severity`);
    for (const field of ['description', 'fix', 'source'] as const) assert.ok(r[field].trim().length > 10, `${r.id} ${field}`);
  }
});

test('every rule has a passing and a failing fixture, and every fixture belongs to a rule', () => {
  const ids = new Set(rules.map((r) => r.id));
  const missing = rules.flatMap((r) => [!passing.has(r.id) && `pass/${r.id}`, !failing.has(r.id) && `fail/${r.id}`].filter(Boolean));
  assert.equal(missing, [], `missing fixtures: ${missing.join(', ')}`);
  const orphans = [...passing.keys(), ...failing.keys()].filter((id) => !ids.has(id));
  assert.equal(orphans, [], `fixtures for unknown rules: ${orphans.join(', ')}`);
  for (const r of rules) {
    assert.ok(passing.get(r.id)!.startsWith(`${r.id}-${r.name}`), `pass fixture of ${r.id} is named ${r.id}-${r.name}`);
    assert.ok(failing.get(r.id)!.startsWith(`${r.id}-${r.name}`), `fail fixture of ${r.id} is named ${r.id}-${r.name}`);
  }
});

for (const rule of rules) {
  test(`${rule.id} ${rule.name} fires on its failing fixture, with a field path`, () => {
    const own = lintResources(loadFixture('fail', rule.id)).filter((f) => f.rule === rule.id);
    assert.ok(own.length > 0, `${rule.id} did not fire on fail/${failing.get(rule.id)}`);
    const withPath = own.filter((f) => f.path && f.message.includes(` ${fieldPath(f.path)}: `));
    assert.ok(withPath.length > 0, `no ${rule.id} finding names a field path:\n${describe(own)}`);
    for (const f of own) {
      assert.is(f.source, 'lint');
      assert.is(f.severity, rule.severity);
      assert.match(f.message, new RegExp(`^${f.resource!.kind} `), 'the message starts with the kind');
      assert.ok(f.fix && f.fix.length > 10, 'every finding says how to fix it');
      assert.ok(f.file && f.line && f.line > 0, 'every finding has a file and a line');
    }
  });

  test(`${rule.id} ${rule.name} stays silent on its passing fixture, which is clean`, () => {
    const findings = lintResources(loadFixture('pass', rule.id));
    const own = findings.filter((f) => f.rule === rule.id);
    assert.equal(own.length, 0, `${rule.id} fired on pass/${passing.get(rule.id)}:\n${describe(own)}`);
    const serious = findings.filter((f) => f.severity !== 'info');
    assert.equal(serious.length, 0, `pass/${passing.get(rule.id)} is not clean:\n${describe(serious)}`);
  });
}

test('all passing fixtures together form a clean repo (cross-resource rules included)', () => {
  const all = rules.flatMap((r) => loadFixture('pass', r.id).map((res) => ({ ...res, file: `${r.id}/${res.file}` })));
  const serious = lintResources(all).filter((f) => f.severity !== 'info');
  assert.equal(serious.length, 0, describe(serious));
});

test.run();
