// Which files a git files generator pattern selects. Default globbing is `git ls-files -- <pattern>`;
// the expected lists below are what git 2.39.5 printed for these patterns on this tree (run by
// hand when writing the test): `*` crosses `/`, `**/` at the start needs a directory, a literal
// path selects a directory's whole content. New globbing is doublestar, where `*` stays in a
// segment and directories match too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { doublestarGlob, gitDirectories, lsFiles, pathspecMatches, wildmatch, wildmatcher } from '../../../generators/simulate/appset/go/git-files.ts';
import fc from 'fast-check';
import { match } from '../../../generators/simulate/appset/go/path.ts';

const tree = [
  'p1/config.json',
  'p1/app2/config.json',
  'p1/p2/x/config.json',
  'config.json',
  'a/config.json',
  'cluster-charts/cluster1/mychart/charts/mysubchart/values.yaml',
  'cluster-charts/cluster1/mychart/values.yaml',
];

test('git ls-files pathspecs, as git 2.39.5 answers them', () => {
  assert.equal(lsFiles(tree, 'p1/**/config.json'), ['p1/app2/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, '**/config.json'), ['a/config.json', 'p1/app2/config.json', 'p1/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, 'p1/*'), ['p1/app2/config.json', 'p1/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, 'cluster-charts/*/*/values.yaml'), [
    'cluster-charts/cluster1/mychart/charts/mysubchart/values.yaml',
    'cluster-charts/cluster1/mychart/values.yaml',
  ]);
  assert.equal(lsFiles(tree, '*/config.json'), ['a/config.json', 'p1/app2/config.json', 'p1/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, 'p1/*/config.json'), ['p1/app2/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, 'cluster-charts/*/mychart/values.yaml'), ['cluster-charts/cluster1/mychart/values.yaml']);
});

test('literal pathspecs: a file, or everything under a directory', () => {
  assert.equal(lsFiles(tree, 'p1'), ['p1/app2/config.json', 'p1/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, 'p1/'), ['p1/app2/config.json', 'p1/config.json', 'p1/p2/x/config.json']);
  assert.equal(lsFiles(tree, 'config.json'), ['config.json']);
  assert.equal(lsFiles(tree, 'p'), []);
  assert.ok(pathspecMatches('./a/config.json', 'a/config.json'));
  assert.ok(wildmatch('[a-c]?.json', 'b1.json'));
  assert.not.ok(wildmatch('[!a-c]?.json', 'b1.json'));
});

test('doublestar (new globbing): * stays in a segment, ** spans, {a,b} alternates, directories match', () => {
  assert.equal(doublestarGlob(tree, 'p1/**/config.json'), ['p1/app2/config.json', 'p1/config.json', 'p1/p2/x/config.json']);
  assert.equal(doublestarGlob(tree, '*/config.json'), ['a/config.json', 'p1/config.json']);
  assert.equal(doublestarGlob(tree, 'p1/*'), ['p1/app2', 'p1/config.json', 'p1/p2']);
  assert.equal(doublestarGlob(tree, '{a,p1}/config.json'), ['a/config.json', 'p1/config.json']);
});

test('git directories: every directory in walk order, hidden ones pruned; path.Match for the filter', () => {
  assert.equal(gitDirectories(['a/b/c.yaml', 'a-c/x', '.github/w.yaml', 'a/.hidden/y', 'z']), ['a', 'a/b', 'a-c']);
  assert.ok(match('apps/*', 'apps/x'));
  assert.not.ok(match('apps/*', 'apps/x/y'));
  assert.ok(match('apps/[a-c]*', 'apps/b1'));
  assert.throws(() => match('apps/[', 'apps/x'));
});

test('wildmatcher (a RegExp for literal, * and ? patterns) = wildmatch, on random patterns and paths', () => {
  const chars = (alphabet: string[], max: number) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((a) => a.join(''));
  fc.assert(
    fc.property(chars(['a', 'b', '/', '*', '?', '.', '-', '$', '(', '}', '|', '\u00e9', '\u{1F600}', '[', 'a-b]', '\\'], 8), chars(['a', 'b', '/', '.', '-', '$', '(', '}', '|', '\u00e9', '\u{1F600}', '\n', '['], 10), (p, t) => {
      assert.is(wildmatcher(p)(t), wildmatch(p, t), `${JSON.stringify(p)} ${JSON.stringify(t)}`);
    }),
    { numRuns: 3000, seed: 5 },
  );
});

test('lsFiles (matches searched in the sorted list from the literal prefix on) = every path tried, sorted', () => {
  const chars = (alphabet: string[], min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
  const segment = ['a', 'b', 'ab', '.', '-', 'A', 'Z', '\u00e9', '\u{1F600}', '[', 'x.json'];
  fc.assert(
    fc.property(
      fc.array(chars([...segment, '/'], 1, 8), { maxLength: 30 }),
      chars([...segment, '/', '*', '**/', '?', '[a-b]', '\\', './', ':'], 0, 6),
      (paths, pattern) => {
        const plain = () => (pathspecMatches(pattern, ''), paths.filter((t) => pathspecMatches(pattern, t)).sort()); // (a bad pattern fails even over no paths)
        let expected: string[] | Error;
        try {
          expected = plain();
        } catch (e) {
          expected = e as Error;
        }
        if (expected instanceof Error) assert.throws(() => lsFiles([...paths], pattern));
        else assert.equal(lsFiles([...paths], pattern), expected, `${JSON.stringify(pattern)} over ${JSON.stringify(paths)}`);
      },
    ),
    { numRuns: 2000, seed: 11 },
  );
});

test.run();
