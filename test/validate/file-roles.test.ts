// fileRoles' glob matching (validate/pipeline.ts filesMatching: distinct globs, literal-prefix
// filter) selects exactly the files a plain "any glob's RegExp matches" filter selects.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { filesMatching } from '../../generators/validate/pipeline.ts';
import { globToRegExp } from '../../generators/validate/xref/glob.ts';
import { prng } from '../helpers.ts';

const plain = (globs: string[], files: Set<string>) => [...files].filter((f) => globs.some((g) => globToRegExp(g).test(f)));

test('filesMatching = every glob tested on every file, over random globs and paths', () => {
  const parts = ['clusters', 'apps', 'a', 'b', 'c.json', 'x.yaml', 'team-1', 'cluster.json', 'values.yaml'];
  const globParts = [...parts, '*', '**', '?', '[ab]', '[!a]', '{a,b}', '{c.json,x.yaml}', '\\*', 'c*', '*.json', 'a?'];
  let matched = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const r = prng(seed);
    const path = (from: string[]) => Array.from({ length: 1 + r.int(4) }, () => r.pick(from)).join('/');
    const files = new Set(Array.from({ length: 40 }, () => path(parts)));
    const globs = Array.from({ length: 1 + r.int(4) }, () => (r.int(3) ? path(globParts) : path(parts)));
    globs.push(...globs.slice(0, r.int(2))); // repeated globs
    const got = filesMatching(globs, files);
    assert.equal(got, plain(globs, files), `seed ${seed}: ${JSON.stringify(globs)}`);
    matched += got.length;
  }
  assert.ok(matched > 200, `the random globs match something (${matched} files)`);
  assert.equal(filesMatching([], new Set(['a'])), []);
});

test.run();
