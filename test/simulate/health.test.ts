// ApplicationSet health: upstream's own Lua health test cases (health_test.yaml, the status
// conditions of each testdata file) against the port, and the conditions the controller sets.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationSetConditions, applicationSetHealth } from '../../generators/simulate/argo/health.ts';
import { ROOT } from '../helpers.ts';

const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/simulate/fixtures/upstream-appset-health.json'), 'utf8'));

test('health.lua of argoproj.io/ApplicationSet (upstream health_test.yaml)', () => {
  assert.is(fixture.cases.length, 5);
  for (const c of fixture.cases) assert.equal(applicationSetHealth(c.status ?? undefined), c.health, c.input);
});

test('Healthy as soon as its Applications are created, Degraded on a validation error, Progressing during a rollout', () => {
  assert.is(applicationSetHealth({ conditions: applicationSetConditions([], false) }).status, 'Healthy');
  assert.is(applicationSetHealth({ conditions: applicationSetConditions([], true) }).status, 'Progressing');
  const degraded = applicationSetHealth({ conditions: applicationSetConditions([{ message: 'a' }, { message: 'application destination spec is invalid' }], false) });
  assert.equal(degraded, { status: 'Degraded', message: 'application destination spec is invalid (and 1 more)' });
});

test.run();
