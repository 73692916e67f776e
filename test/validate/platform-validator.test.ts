// platform.yaml's validator is precompiled at build time; it must report exactly what Ajv
// compiling the schema at run time reports (validate-spec.ts builds its messages from the raw
// errors: keyword, params, schema, parentSchema), and a stale build must never be used.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { platformSchema } from '../../generators/model/schema.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { loadCommonJs } from '../../generators/validate/code-cache.ts';
import { PROJECT_ROOT } from '../../generators/validate/schema-fingerprint.ts';
import { compilePlatformValidator, platformValidator, platformValidatorModule } from '../../generators/validate/platform-validator.ts';

const example = (name: string) => parseSpecText(readFileSync(path.join('examples', name, 'platform.yaml'), 'utf8'), name) as any;

/** Deterministic mutations of the examples: wrong types, unknown fields, bad patterns, removals. */
function* mutants(): Generator<unknown> {
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const values = [null, 1, -1, 'x', 'Not_A_Name', '', true, [], {}, ['a'], { a: 1 }, 'v1.2', '500Mi', 'stable'];
  for (const name of ['minimal', 'enterprise']) {
    const base = example(name);
    yield base;
    for (let i = 0; i < 120; i++) {
      const spec = structuredClone(base);
      for (let edits = 1 + rnd(3); edits > 0; edits--) {
        // Walk to a random node, then replace, delete or add a field there.
        let node: any = spec;
        for (let depth = rnd(5); depth > 0 && node && typeof node === 'object'; depth--) {
          const keys = Object.keys(node);
          if (!keys.length) break;
          const next = node[keys[rnd(keys.length)]];
          if (!next || typeof next !== 'object') break;
          node = next;
        }
        if (!node || typeof node !== 'object') continue;
        const keys = Object.keys(node);
        const op = rnd(3);
        if (op === 0 && keys.length) node[keys[rnd(keys.length)]] = values[rnd(values.length)];
        else if (op === 1 && keys.length) delete node[keys[rnd(keys.length)]];
        else node[['extra', 'enviroment', 'name', 'tag', 'server'][rnd(5)]] = values[rnd(values.length)];
      }
      yield spec;
    }
  }
}

test('the precompiled validator reports exactly what a run-time compile reports', () => {
  // Inside the project: the module requires ajv's runtime helpers from node_modules.
  const dir = mkdtempSync(path.join(PROJECT_ROOT, '.cache', 'test-platform-validator-'));
  try {
    const file = path.join(dir, 'platform-validator.cjs');
    writeFileSync(file, platformValidatorModule(platformSchema));
    const pre = loadCommonJs(file);
    const live = compilePlatformValidator(platformSchema);
    let invalid = 0;
    for (const spec of mutants()) {
      const a = pre(spec);
      const b = live(spec);
      assert.is(a, b);
      if (!a) invalid++;
      assert.ok(isDeepStrictEqual(pre.errors, live.errors), JSON.stringify(spec).slice(0, 300));
    }
    assert.ok(invalid > 150, `only ${invalid} invalid mutants`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a validator built from another schema is not used: the current schema is compiled instead', () => {
  const changed = structuredClone(platformSchema) as any;
  changed.properties.name = { type: 'integer' };
  const v = platformValidator(changed);
  assert.is(v({ name: 'text' }), false);
  assert.ok(v.errors!.some((e: any) => e.instancePath === '/name' && e.keyword === 'type'));
});

test.run();
