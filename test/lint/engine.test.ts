// The engine's contract: pure (no file system or process access outside command.ts), resilient
// (a rule that throws is reported, the others still run), and deterministic.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedResource } from '../../generators/check/resources.ts';
import { lintResources } from '../../generators/lint/index.ts';
import { resourcesOf } from './fixtures.ts';

const LINT_DIR = fileURLToPath(new URL('../../generators/lint/', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

/** Source without comments, so prose like "no process." does not count. */
const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

test('only command.ts touches the file system or the process', () => {
  const offenders = sources(LINT_DIR)
    .filter((f) => path.basename(f) !== 'command.ts')
    .filter((f) => /from '(node:)?(fs|fs\/promises|child_process|os)'|from 'execa'|\bprocess\.|\brequire\(/.test(code(f)))
    .map((f) => path.relative(LINT_DIR, f));
  assert.equal(offenders, []);
});

test('a rule that throws is reported as an internal error; the other rules still report', () => {
  const [res] = resourcesOf('apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: e, namespace: x}\nspec: {}\n');
  const obj = { ...res.obj };
  Object.defineProperty(obj, 'spec', { enumerable: true, get: () => { throw new Error('boom'); } });
  const findings = lintResources([{ ...res, obj } as ParsedResource]);
  const crashes = findings.filter((f) => /internal error in rule/.test(f.message));
  assert.ok(crashes.length > 0, 'the crash is reported');
  assert.ok(crashes.every((f) => f.severity === 'error' && /boom/.test(f.message)));
  assert.ok(findings.some((f) => f.rule === 'ESO001'), 'rules that do not touch spec still report');
});

test('empty documents, kustomizations without kind and unknown kinds are ignored', () => {
  const res = resourcesOf({
    'kustomization.yaml': 'resources: [a.yaml]\n',
    'a.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: [1, 2]}\n',
  });
  assert.equal(lintResources(res), []);
  assert.equal(lintResources([{ file: 'x.yaml', docIndex: 0, line: 1, obj: null, origin: 'file' }]), []);
});

test('the same input gives the same findings in the same order', () => {
  const yaml = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: x}\nstringData: {token: ghp_0123456789abcdefghijABCDEFGHIJ012345}\n';
  assert.equal(lintResources(resourcesOf(yaml)), lintResources(resourcesOf(yaml)));
});

test.run();
