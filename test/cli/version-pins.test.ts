// The generated repository names the exact tool version that generated it, from one place
// (package.json): its CI installs that version, its README runs it, SARIF reports link it. The
// commands its README and ours show are valid command lines of the tree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { renderSpec } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { formatReport } from '../../generators/check/format.ts';
import { GENERATOR_VERSION, GENERATOR_URL } from '../../generators/model/versions.ts';
import { ROOT as TREE } from '../../generators/commands/index.ts';
import { parseCommandLine } from '../../generators/commands/parse.ts';
import { ROOT } from '../helpers.ts';

const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const rendered = (example: string) => {
  const spec = parseSpecText(readFileSync(path.join(ROOT, 'examples', example, 'platform.yaml'), 'utf8'), example);
  return new Map(renderSpec(spec).map((f) => [f.path, f.content]));
};

test('GENERATOR_VERSION is package.json version', () => {
  assert.is(GENERATOR_VERSION, version);
  assert.ok(GENERATOR_URL.endsWith(`/v/${version}`));
});

test('generated CI installs the exact version, on a Node.js in support', () => {
  const ci = YAML.parse(rendered('minimal').get('.github/workflows/validate.yaml')!);
  const job = ci.jobs.validate;
  assert.is(job.env.GITOPS_SCAFFOLD_VERSION, version);
  const runs: string[] = job.steps.map((s: any) => s.run ?? '');
  const install = runs.findIndex((r) => /npm install --global --ignore-scripts .*"gitops-scaffold@\$\{GITOPS_SCAFFOLD_VERSION\}"/.test(r));
  assert.ok(install >= 0, 'an install step pins the version');
  const uses = runs.map((r, i) => [r, i] as const).filter(([r]) => /^gitops-scaffold /m.test(r));
  assert.ok(uses.length >= 2 && uses.every(([, i]) => i > install), 'schemas export and lint run the installed tool');
  assert.not.ok(runs.some((r) => /npx /.test(r)), 'no unpinned npx');
  const node = job.steps.find((s: any) => String(s.uses ?? '').startsWith('actions/setup-node'))!.with['node-version'];
  assert.ok(['22', '24'].includes(String(node)), `Node ${node} is in support`);
});

test('the generated README runs the exact version, with command lines the tool accepts', () => {
  for (const example of ['minimal', 'enterprise']) {
    const readme = rendered(example).get('README.md')!;
    assert.ok(readme.includes(`[gitops-scaffold ${version}](${GENERATOR_URL})`));
    const lines = readme.split('\n').filter((l) => /\bnpx gitops-scaffold/.test(l));
    assert.ok(lines.length >= 6);
    for (const line of lines) {
      const m = /npx gitops-scaffold@(\S+) (.*?)(\s+#.*)?$/.exec(line);
      assert.ok(m, `pinned: ${line}`);
      assert.is(m![1], version);
      assert.not.throws(() => parseCommandLine(TREE, m![2].split(/\s+/)), line);
    }
  }
});

test("this README's command lines are accepted by the tree", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\\\n\s*/g, ' ');
  const lines = readme.split('\n').filter((l) => /^\s*npx gitops-scaffold /.test(l));
  assert.ok(lines.length >= 10);
  for (const line of lines) {
    const words = line.replace(/\s+#.*$/, '').replace(/\s*[>|].*$/, '').trim().split(/\s+/).slice(2);
    assert.not.throws(() => parseCommandLine(TREE, words), line);
  }
});

test('SARIF names the exact version and its page', () => {
  const sarif = JSON.parse(formatReport({ validators: [], resources: 0, files: 0, findings: [] }, 'sarif'));
  assert.is(sarif.runs[0].tool.driver.version, version);
  assert.is(sarif.runs[0].tool.driver.informationUri, GENERATOR_URL);
});

test.run();
