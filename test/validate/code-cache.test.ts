// validate/code-cache.ts loads CommonJS validators through a V8 code cache; reading the source
// as latin1 when it is ASCII must give the very text a UTF-8 read gives, and any other text is
// decoded as UTF-8 (fails if the ASCII test is dropped: "é" would read as "Ã©").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCommonJs } from '../../generators/validate/code-cache.ts';

test('a module is read as the text it holds, ASCII or not, with a cache folder or without', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-code-cache-'));
  const saved = process.env.GITOPS_SCAFFOLD_CACHE_DIR;
  try {
    process.env.GITOPS_SCAFFOLD_CACHE_DIR = path.join(dir, 'cache');
    const texts = ['plain ascii', 'caf\u00e9 \u2603 \u{1f600}', 'latin1 range \u00ff\u0080'];
    texts.forEach((text, i) => {
      const file = path.join(dir, `m${i}.cjs`);
      writeFileSync(file, `module.exports = ${JSON.stringify(text)} + ' ' + 'ok';\n`, 'utf8');
      assert.is(loadCommonJs(file), `${text} ok`);
      assert.is(loadCommonJs(file), `${text} ok`, 'again');
    });
  } finally {
    if (saved === undefined) delete process.env.GITOPS_SCAFFOLD_CACHE_DIR;
    else process.env.GITOPS_SCAFFOLD_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
