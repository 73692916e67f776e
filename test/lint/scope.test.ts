// Each rule's declared scope (types.ts Rule.scope) is what the incremental pre-write check relies
// on to re-lint only changed files. Held here on every lint fixture, the examples and the
// validate fixtures, alone and all together: a `resource` rule run on each resource alone finds
// exactly what it finds on the whole repository; a `targets` rule run with each resource as the
// only target (and the whole repository behind every other question) likewise.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedResource } from '../../generators/check/resources.ts';
import { buildContext } from '../../generators/lint/context.ts';
import { finishLint, prepareLint, ruleRef, runRules, scopeOf } from '../../generators/lint/engine.ts';
import { rules } from '../../generators/lint/registry.ts';
import type { LintContext } from '../../generators/lint/types.ts';
import { classifyManifests } from '../../generators/validate/pipeline.ts';
import { readRepoFiles } from '../../generators/validate/repo-files.ts';
import { fixtureIndex, loadFixture } from './fixtures.ts';

function corpora(): { name: string; resources: ParsedResource[] }[] {
  const out: { name: string; resources: ParsedResource[] }[] = [];
  const all: ParsedResource[] = [];
  for (const kind of ['pass', 'fail'] as const)
    for (const id of fixtureIndex(kind).keys()) {
      const resources = loadFixture(kind, id);
      out.push({ name: `${kind}/${id}`, resources });
      all.push(...resources.map((r) => ({ ...r, file: `${kind}/${id}/${r.file}` })));
    }
  out.push({ name: 'every lint fixture in one repository', resources: all });
  for (const dir of ['examples/minimal', 'examples/enterprise', 'test/fixtures/validate/valid-repo']) {
    const files = readRepoFiles([path.resolve(dir)]);
    out.push({ name: dir, resources: classifyManifests(files.manifests, files.all).resources });
  }
  return out;
}

const CORPORA = corpora();
const key = (findings: unknown[]) => findings.map((f) => JSON.stringify(f)).sort();

for (const rule of rules.filter((r) => scopeOf(r) !== 'repo')) {
  test(`${rule.id} (${scopeOf(rule)}): per resource, the same findings as on the whole repository`, () => {
    const prepared = prepareLint({});
    const which = [{ rule, level: rule.severity }];
    let found = 0;
    for (const { name, resources } of CORPORA) {
      const whole = buildContext(resources, {}, ruleRef);
      const expected = finishLint(runRules(prepared, which, whole));
      found += expected.length;
      const pieces = resources.flatMap((r) => {
        const ctx: LintContext = scopeOf(rule) === 'resource' ? buildContext([r], {}, ruleRef) : { ...whole, resources: [r] };
        return runRules(prepared, which, ctx);
      });
      assert.equal(key(finishLint(pieces)), key(expected), `${rule.id} on ${name}`);
    }
    assert.ok(found > 0, `${rule.id} finds nothing on any corpus: the check proves nothing`);
  });
}

test.run();
