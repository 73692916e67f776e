// Two verdicts the simulation asks of thousands of Applications, each with a shortcut held equal
// to its plain path over random input:
// - argo/glob.ts globMatch answers a pattern with no glob syntax (`\ * ? [ {`) by equality instead
//   of compiling it (compileGlob, the plain path): fails if a syntax character is dropped from
//   the test (`{a,b}`, `[ab]`, `\x`, `?` and `*` patterns then compare as text);
// - app-checks.ts stepMatcher (a RollingSync step's expressions read once) gives matchesStep's
//   verdict: fails if the values are not taken as strings, `In` / `NotIn` swapped, or a missing
//   label treated as present;
// - argo/project.ts destinationMatcher (a project's destinations indexed once) gives
//   isDestinationMatched's verdict: fails if a deny pattern or a glob item is looked up as text,
//   or the namespace is left out of the look-up.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GlobSyntaxError, compileGlob, globMatch } from '../../generators/simulate/argo/glob.ts';
import { matchesStep, stepMatcher } from '../../generators/simulate/app-checks.ts';
import { destinationMatcher, isDestinationMatched } from '../../generators/simulate/argo/project.ts';

const compiled = (pattern: string, text: string, separators: string) => {
  try {
    return compileGlob(pattern, separators).test(text);
  } catch (e) {
    if (e instanceof GlobSyntaxError) return false;
    return `throws ${(e as Error).message}`;
  }
};
const matched = (pattern: string, text: string, separators: string) => {
  try {
    return globMatch(pattern, text, separators);
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
};

test('globMatch = the compiled pattern, literal patterns included', () => {
  const chars = fc.constantFrom('a', 'b', '/', '.', '-', '*', '?', '[', ']', '{', '}', ',', '\\', '!', '^', '$', '(', '|', '\n');
  const str = fc.array(chars, { maxLength: 6 }).map((c) => c.join(''));
  fc.assert(
    fc.property(str, str, fc.constantFrom('', '/', '.'), (pattern, text, sep) => {
      assert.is(matched(pattern, text, sep), compiled(pattern, text, sep), JSON.stringify([pattern, text, sep]));
      assert.is(matched(pattern, pattern, sep), compiled(pattern, pattern, sep), JSON.stringify([pattern, sep]));
    }),
    { numRuns: 5000, seed: 5 },
  );
});

test('stepMatcher = matchesStep', () => {
  const label = fc.constantFrom('env', 'tier', 'undefined');
  const val = fc.oneof(fc.constantFrom('dev', 'prod', '1', ''), fc.constant(1), fc.constant(true));
  const expr = fc.record({ key: fc.oneof(label, fc.constant(undefined)), operator: fc.constantFrom('In', 'NotIn', 'Exists', undefined), values: fc.oneof(fc.array(val, { maxLength: 3 }), fc.constant(undefined), fc.constant('dev')) }, { requiredKeys: [] });
  const step = fc.oneof(fc.record({ matchExpressions: fc.oneof(fc.array(fc.oneof(expr, fc.constant(null)), { maxLength: 3 }), fc.constant(undefined)) }, { requiredKeys: [] }), fc.constant(null));
  const labels = fc.dictionary(label, fc.oneof(fc.constantFrom('dev', 'prod', '1', ''), fc.constant(1 as unknown as string)), { maxKeys: 3 });
  fc.assert(
    fc.property(step, fc.array(labels, { minLength: 1, maxLength: 4 }), (s, all) => {
      const m = stepMatcher(s);
      for (const l of all) assert.is(m(l), matchesStep(s, l), JSON.stringify([s, l]));
    }),
    { numRuns: 5000, seed: 7 },
  );
});

test('destinationMatcher = isDestinationMatched', () => {
  const outcome = (f: () => boolean) => {
    try {
      return f();
    } catch (e) {
      return `throws ${(e as Error).constructor.name}`;
    }
  };
  const pattern = fc.oneof(fc.constantFrom(undefined, '', '*', 'https://a', 'https://b', 'https://*', '!https://a', 'a', 'b', '!b', 'a*', 'ns-1', 'ns-2', 'ns-*', '!ns-2', '{a,b}'), fc.constant(3 as unknown as string), fc.constant(null as unknown as string));
  const item = fc.oneof(fc.record({ server: pattern, name: pattern, namespace: pattern }, { requiredKeys: [] }), fc.constant(null as any), fc.constant('x' as any));
  const dst = fc.record({ server: fc.constantFrom(undefined, '', 'https://a', 'https://b'), name: fc.constantFrom(undefined, '', 'a', 'b'), namespace: fc.constantFrom(undefined, '', 'ns-1', 'ns-2') }, { requiredKeys: [] });
  fc.assert(
    fc.property(fc.array(item, { maxLength: 6 }), fc.array(dst, { minLength: 1, maxLength: 4 }), (destinations, dsts) => {
      for (const d of dsts) assert.is(outcome(() => destinationMatcher(destinations)(d)), outcome(() => isDestinationMatched(destinations, d)), JSON.stringify([destinations, d]));
    }),
    { numRuns: 5000, seed: 17 },
  );
});

test.run();
