// Plan-level checks of the issue 9 fixes, written as the upstream controllers read the output.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvField, rbacPolicy } from '../../generators/plan/argocd.ts';
import { denyWindows } from '../../generators/plan/projects.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { validateSpec } from '../../generators/model/validate-spec.ts';
import { readPolicyLine } from '../../generators/simulate/controllers/argocd-settings.ts';
import { coveredMinutes } from '../../generators/simulate/controllers/sync-windows.ts';
import type { Environment } from '../../generators/model/types.ts';
import { baseSpec } from '../helpers.ts';

test('policy.csv: group names with commas and quotes read back as one field (Go encoding/csv, TrimLeadingSpace)', () => {
  const groups = ['cn=payments,ou=groups,dc=acme', 'say "hi"', ' padded ', 'plain-group'];
  for (const g of groups) assert.equal(readPolicyLine(`g, ${csvField(g)}, role:admin`), { fields: ['g', g, 'role:admin'] });
  const spec: any = baseSpec();
  spec.argocd = { sso: { issuer: 'https://sso.example.com', clientId: 'argocd', adminGroups: [groups[0]] } };
  spec.tenants[0].groups = { developer: [groups[1]] };
  const lines = rbacPolicy(normalize(validateSpec(spec))).filter((l) => !l.startsWith('#'));
  for (const line of lines) {
    const read = readPolicyLine(line);
    assert.ok('fields' in read && read.fields.length === (read.fields[0] === 'g' ? 3 : 6), line);
  }
  assert.ok(lines.includes('g, "cn=payments,ou=groups,dc=acme", role:admin'));
});

test('policy.csv names only groups platform.yaml declares', () => {
  const lines = rbacPolicy(normalize(validateSpec(baseSpec())));
  assert.equal(lines.filter((l) => l.startsWith('g, ')), ['g, ci, role:ci']);
});

const env = (syncWindow: Environment['syncWindow']): Environment => ({ name: 'staging', index: 1, syncWindow, caution: 'standard', timeZone: 'Europe/Berlin', protected: false });
const openMinutes = (windows: { schedule: string; duration: string }[]) => {
  const covered = new Set(windows.flatMap((w) => [...coveredMinutes(w.schedule, w.duration)!]));
  return Array.from({ length: 7 * 1440 }, (_, m) => m).filter((m) => !covered.has(m));
};

test('business-hours windows leave exactly Monday-Friday 09:00-17:00 open', () => {
  const open = openMinutes(denyWindows(env('business-hours'), { namespaces: ['x'] }));
  const expected = [1, 2, 3, 4, 5].flatMap((day) => Array.from({ length: 8 * 60 }, (_, m) => day * 1440 + 9 * 60 + m));
  assert.equal(open, expected);
});

test('no-nights windows leave 07:00-20:00 open every day', () => {
  const open = openMinutes(denyWindows(env('no-nights'), { namespaces: ['x'] }));
  assert.equal(open, [0, 1, 2, 3, 4, 5, 6].flatMap((day) => Array.from({ length: 13 * 60 }, (_, m) => day * 1440 + 7 * 60 + m)));
});

test.run();
