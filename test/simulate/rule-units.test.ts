// The per-resource controller rules as folder units across runs (controllers/units.ts): over
// random sequences of edits to a repository of several folders (names and labels made invalid,
// settings ConfigMaps, sync windows, constant fallbacks, RollingSync prune, upstream bases,
// documents reordered, files added and removed), the findings with the cache carried from edit to
// edit (through JSON, as sim.jsonl keeps it) are the findings without it, in order and with their
// lines; a run after an edit recomputes only the folders it touched.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSources } from '../../generators/check/parse.ts';
import { controllerRules } from '../../generators/simulate/controllers/index.ts';
import { RULE_UNIT_PREFIX, unitOf } from '../../generators/simulate/controllers/units.ts';
import { sha256 } from '../../generators/io/manifest.ts';
import type { ResourceMemo } from '../../generators/simulate/resource-memo.ts';

const service = (name: string, label: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n    app: ${label}\nspec:\n  ports: [{port: 80}]\n`;
const template = (query: string) => `apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: rate\nspec:\n  metrics:\n    - name: rate\n      provider:\n        prometheus:\n          query: '${query}'\n`;
const argocdCm = (exclusions: string | undefined) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n${exclusions === undefined ? '  url: https://argocd.example.com\n' : `  resource.exclusions: |\n${exclusions.split('\n').map((l) => `    ${l}`).join('\n')}\n`}`;
const project = (windows: string) => `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  syncWindows:\n${windows}`;
const WEEKEND_GAP = `    - kind: deny\n      schedule: "0 18 * * 1-5"\n      duration: 15h\n      timeZone: Europe/Berlin\n    - kind: deny\n      schedule: "0 0 * * 6"\n      duration: 48h\n      timeZone: Europe/Berlin\n`;
const NO_GAP = `    - kind: deny\n      schedule: "0 18 * * 1-4"\n      duration: 15h\n    - kind: deny\n      schedule: "0 18 * * 5"\n      duration: 63h\n`;
const appSet = (prune: boolean) => `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: tenant-web\n  namespace: argocd\nspec:\n  generators: [{list: {elements: [{env: dev}]}}]\n  strategy:\n    type: RollingSync\n  template:\n    metadata:\n      name: 'web-{{env}}'\n    spec:\n      project: web\n      syncPolicy:\n        automated:\n          prune: ${prune}\n`;
const kustomization = (remote: boolean) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${remote ? 'https://github.com/argoproj/argo-rollouts//manifests/cluster-install?ref=v1.9.1' : '../base'}\n`;

const ORIGINAL: Record<string, string> = {
  'apps/team-a/web/base/service.yaml': service('web', 'web'),
  'apps/team-a/web/base/analysis.yaml': template('sum(rate(x[2m])) or vector(1)'),
  'apps/team-a/api/base/service.yaml': `${service('api', 'api')}---\n${service('api-preview', 'api')}`,
  'apps/team-b/pay/base/service.yaml': service('pay', 'pay'),
  'apps/team-b/pay/base/analysis.yaml': template('(sum(rate(x[2m])) or vector(0)) / sum(rate(y[2m]))'),
  'argocd/install/argocd-cm.yaml': argocdCm('- apiGroups: ["*"]\n  kinds: [Lease]\n  clusters: ["*"]'),
  'argocd/projects/web.yaml': project(WEEKEND_GAP),
  'argocd/apps/tenant-web.yaml': appSet(false),
  'platform/addons/argo-rollouts/kustomization.yaml': kustomization(true),
  'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n',
};

type Files = Map<string, string>;
const set = (p: string, text: string) => (f: Files) => void f.set(p, text);
const EDITS: Record<string, (f: Files) => void> = {
  'invalid service name': set('apps/team-a/web/base/service.yaml', service('Web_1', 'web')),
  'invalid label': set('apps/team-b/pay/base/service.yaml', service('pay', 'pay app')),
  'templated label': set('apps/team-b/pay/base/service.yaml', service('pay', "'{{app}}'")),
  'documents swapped': (f) => f.set('apps/team-a/api/base/service.yaml', `${service('api-preview', 'bad label')}---\n${service('api', 'api')}`),
  'fallback dropped': set('apps/team-a/web/base/analysis.yaml', template('sum(rate(x[2m]))')),
  'fallback added': set('apps/team-b/pay/base/analysis.yaml', template('sum(rate(x[2m])) or on() vector(0)')),
  'exclusions kept': set('argocd/install/argocd-cm.yaml', argocdCm(undefined)),
  'exclusions unreadable': set('argocd/install/argocd-cm.yaml', argocdCm('- [unclosed')),
  'windows fixed': set('argocd/projects/web.yaml', project(NO_GAP)),
  'prune set': set('argocd/apps/tenant-web.yaml', appSet(true)),
  'base local': set('platform/addons/argo-rollouts/kustomization.yaml', kustomization(false)),
  'file added': set('apps/team-c/new/base/service.yaml', `${service('new', 'new')}---\n${service('New', 'x y')}`),
  'file removed': (f) => void f.delete('apps/team-a/web/base/analysis.yaml'),
  'comment above': (f) => f.set('apps/team-b/pay/base/analysis.yaml', `# moved down a line\n${f.get('apps/team-b/pay/base/analysis.yaml')}`),
  'namespace invalid': set('namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Team.A\n'),
};

/** A Map that counts the unit entries written (what a run recomputed). */
class CountingMap extends Map<string, unknown> {
  units = 0;
  override set(key: string, value: unknown): this {
    if (key.startsWith(RULE_UNIT_PREFIX)) this.units++;
    return super.set(key, value);
  }
}

function run(files: Files, cache?: Map<string, unknown>): string {
  const resources = parseSources([...files].map(([path, content]) => ({ path, content }))).resources;
  const memo: ResourceMemo | undefined = cache && { cache, read: (p) => files.get(p), use: () => {}, sha: (p) => (files.has(p) ? sha256(files.get(p)!) : undefined) };
  return JSON.stringify(controllerRules(resources, memo));
}

test('rule units carried across random edits = the rules without a cache; an edit recomputes its folders only', () => {
  const plainOriginal = run(new Map(Object.entries(ORIGINAL)));
  assert.ok(JSON.parse(plainOriginal).length >= 5, 'the repository has findings of several rules');
  fc.assert(
    fc.property(fc.shuffledSubarray(Object.keys(EDITS), { minLength: 1, maxLength: 5 }), (sequence) => {
      const files: Files = new Map(Object.entries(ORIGINAL));
      let persisted: [string, unknown][] = [];
      for (const step of ['none', ...sequence]) {
        const before = new Map(files);
        if (step !== 'none') EDITS[step](files);
        const cache = new CountingMap(JSON.parse(JSON.stringify(persisted)) as [string, unknown][]);
        cache.units = 0;
        assert.is(run(files, cache), run(files), `after ${step}`);
        if (step !== 'none') {
          const touched = new Set([...new Set([...before.keys(), ...files.keys()])].filter((p) => before.get(p) !== files.get(p)).map(unitOf));
          assert.is(cache.units, touched.size, `after ${step}: units recomputed`);
        }
        persisted = [...cache].filter(([k]) => k.startsWith('sim/'));
        assert.ok(persisted.some(([k]) => k.startsWith(RULE_UNIT_PREFIX)), 'units kept');
      }
    }),
    { numRuns: 150, seed: 41 },
  );
});

test.run();
