// Planning is pure: the model, the planners and the pull-request decisions import no file system,
// process, prompt or plop module (DESIGN.md "only the ends touch the world"). generators/pr/run.ts
// is the sequence that calls io/git.ts, and the only impure module under generators/pr/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

const FORBIDDEN = /from '(node:)?(fs|fs\/promises|child_process)'|from '(execa|inquirer|plop|node-plop)'/;
const files = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));

test('generators/model, generators/plan and the pure half of generators/pr touch no disk or process', () => {
  const pure = [...files('generators/model'), ...files('generators/plan'), ...files('generators/pr').filter((f) => !f.endsWith('/run.ts'))];
  assert.ok(pure.includes('generators/model/promote.ts') && pure.includes('generators/pr/plan.ts'));
  const offenders = pure.filter((f) => FORBIDDEN.test(readFileSync(path.join(ROOT, f), 'utf8')));
  assert.equal(offenders, []);
});

test('git, gh and glab run only from generators/io/git.ts', () => {
  const all = files('generators');
  const runsProcesses = all.filter((f) => /from 'execa'/.test(readFileSync(path.join(ROOT, f), 'utf8')) && /\b(git|gh|glab)\b['"]/.test(readFileSync(path.join(ROOT, f), 'utf8')));
  assert.equal(runsProcesses, ['generators/io/git.ts']);
});

test('planners read the pins from the Platform they plan (the repository\'s recorded set), never from versions.ts', () => {
  const offenders = files('generators/plan').filter((f) => /import \{[^}]*\b(pins|ciImages|repoCiPins|GATEWAY_API_PLUGIN|CURL_IMAGE|ksopsImage|TOOL_PINS)\b[^}]*\} from '[./]*\/model\/(versions|pins)\.ts'/.test(readFileSync(path.join(ROOT, f), 'utf8')));
  assert.equal(offenders, []);
});

test.run();
