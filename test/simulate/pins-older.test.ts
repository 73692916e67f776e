// A repository rendered by an older release of this tool names older upstream releases than the
// component table knows (it knows this tool's pins only), so what they install counts as installed
// by nobody and kind-not-installed warnings follow. The simulation says why, once, with the fix
// (`gitops-scaffold upgrade`); not for a newer release or a ref it cannot order.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulateRendered } from '../../generators/simulate/rendered.ts';
import { classifyManifests } from '../../generators/validate/pipeline.ts';
import { readTree, ROOT } from '../helpers.ts';

const example = path.join(ROOT, 'examples', 'enterprise');
const original = readTree(example);

function simulate(edit: (f: Map<string, string>) => void) {
  const files = new Map(original);
  edit(files);
  const sources = [...files].map(([p, content]) => ({ path: p, content }));
  const c = classifyManifests(sources.filter((s) => /\.(ya?ml|json)$/.test(s.path)), [...files.keys()]);
  return simulateRendered(sources, c.resources, c.repo);
}
const argocdRef = (ref: string) => (f: Map<string, string>) => f.set('argocd/install/kustomization.yaml', f.get('argocd/install/kustomization.yaml')!.replace(/ref=v3\.5\.1/g, `ref=${ref}`));
const esoChart = (version: string) => (f: Map<string, string>) => {
  for (const p of ['argocd/apps/addon-external-secrets.yaml', 'argocd/apps/secrets-controller.yaml']) f.set(p, f.get(p)!.replace('targetRevision: 2.9.0', `targetRevision: ${version}`));
};
const pinsFindings = (findings: ReturnType<typeof simulate>) => findings.filter((f) => f.rule === 'sim/pins-older-than-tool');

test('older releases than the pins: one warning naming each, with the upgrade fix', () => {
  const findings = simulate((f) => (argocdRef('v3.4.2')(f), esoChart('2.8.1')(f)));
  const [older, ...more] = pinsFindings(findings);
  assert.is(more.length, 0);
  assert.is(older.severity, 'warning');
  assert.is(older.file, 'argocd/install/kustomization.yaml');
  assert.match(older.message, /argocd-ha v3\.4\.2 \(this tool pins v3\.5\.1\), external-secrets 2\.8\.1 \(this tool pins 2\.9\.0\)/);
  assert.match(older.fix!, /gitops-scaffold upgrade/);
  assert.ok(findings.some((f) => f.rule === 'sim/kind-not-installed'), 'the warnings it explains');
});

test('this tool pins, a newer release, or a ref that cannot be ordered: no such warning', () => {
  assert.is(pinsFindings(simulate(() => {})).length, 0);
  assert.is(pinsFindings(simulate(argocdRef('v3.6.0'))).length, 0);
  assert.is(pinsFindings(simulate(argocdRef('main'))).length, 0);
  assert.is(pinsFindings(simulate(esoChart('3.0.0'))).length, 0);
  assert.is(pinsFindings(simulate(argocdRef('v3.5.0'))).length, 1, 'a patch release older counts');
});

test.run();
