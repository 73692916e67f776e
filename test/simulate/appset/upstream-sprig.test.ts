// sprig v3.3.0's own template tests (runt / runtv: a template, its exact output) run through our
// engine and function map: a peer suite for the functions ApplicationSet templates call.
// Cases are skipped only when they call a function the simulation declares not modelled (or one
// Argo CD removes), or as listed in SPRIG_SKIPPED with a reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NOT_MODELLED } from '../../../generators/simulate/appset/funcs/index.ts';
import { render } from './helpers.ts';
import { UPSTREAM, fromGo } from './upstream/harness.ts';

interface SprigCase {
  test: string;
  tpl: string;
  expect: string;
  vars?: unknown;
}

const { cases } = JSON.parse(readFileSync(path.join(UPSTREAM, 'sprig-runt.json'), 'utf8')) as { cases: SprigCase[] };

/** Functions Argo CD deletes from sprig's map (a template using them does not parse). */
const REMOVED_BY_ARGO = ['env', 'expandenv', 'getHostByName'];

/** Cases whose expectation depends on something other than the template. */
export const SPRIG_SKIPPED: Record<string, string> = {};

const calls = (tpl: string, fns: string[]) => fns.find((f) => new RegExp(`(^|[\\s({|])${f}([\\s})]|$)`).test(tpl));

let ran = 0;
const skipped: Record<string, number> = {};
for (const c of cases) {
  const off = calls(c.tpl, Object.keys(NOT_MODELLED)) ?? calls(c.tpl, REMOVED_BY_ARGO);
  const structData = /"\$(struct|ref)"/.test(JSON.stringify(c.vars ?? null));
  const reason = off ? `calls ${off}` : structData ? 'a Go struct as data (ApplicationSet parameters are maps)' : SPRIG_SKIPPED[c.tpl];
  if (reason) {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    continue;
  }
  ran++;
  test(`${c.test}: ${c.tpl}`, () => {
    const data = c.vars === undefined ? {} : fromGo(c.vars);
    assert.is(render(c.tpl, data), c.expect);
  });
}

test('sprig cases: most run, the others call functions declared not modelled or take Go structs', () => {
  assert.ok(ran >= 280, `${ran} run; skipped: ${JSON.stringify(skipped)}`);
});

test.run();
