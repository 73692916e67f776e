// Git generator files are parsed once per content and plain JSON goes through JSON.parse
// (generators/git.ts parseGitFile): the result must be exactly what sigs.k8s.io/yaml's decode
// (unmarshalYAML, the reference path) gives, errors included, and every caller gets its own copy.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGitFile } from '../../../generators/simulate/appset/generators/git.ts';
import { unmarshalYAML } from '../../../generators/simulate/appset/go/yaml.ts';

const reference = (text: string): string => {
  try {
    return JSON.stringify(unmarshalYAML(text));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};
const optimized = (text: string): string => {
  try {
    return JSON.stringify(parseGitFile(text));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

test('random JSON values, compact and indented, read as the YAML decode reads them (twice: memoised)', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      assert.is(optimized(text), reference(text), text);
      assert.is(optimized(text), reference(text), text);
    }),
    { numRuns: 200, seed: 11 },
  );
});

test('edge cases of the JSON fast path agree with the YAML decode', () => {
  for (const text of [
    '{"a":"b","a":"c"}', '{"1":"x","b":"y","0":"z"}', '{"<<":{"x":"y"}}', '{"__proto__":{"x":"y"}}', '{"n":-0}', '{"n":1e5}',
    '{"s":"\\u00e9"}', '{"s":"caf\u00e9"}', `{"${'k'.repeat(1100)}":"v"}`, '{"a":"b",}', '', '   ', '[]', '{}', 'null', '"x"', '[1,"a"]',
    '{"a": "yes", "b": "on", "c": "~"}', '\ufeff{"a":"b"}', '{"a":"b"}\n---\n{"c":"d"}', '{"a":"b"} # comment', 'a: b\nc: [d]\n',
  ]) {
    assert.is(optimized(text), reference(text), text);
    assert.is(optimized(text), reference(text), text);
  }
});

test('each caller gets its own copy', () => {
  const text = '{"cluster":"hub","labels":{"a":"b"},"list":["x"]}';
  const first = parseGitFile(text) as any;
  first.labels.a = 'changed';
  first.list.push('y');
  assert.equal(parseGitFile(text), { cluster: 'hub', labels: { a: 'b' }, list: ['x'] });
});

test.run();
