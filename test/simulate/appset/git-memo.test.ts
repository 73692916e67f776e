// A git generator's parameter sets are computed once per distinct (rendered) spec within one
// expansion (generators/transform.ts gitParamsOnce): held equal to the plain generator, injected
// through the GenContext.generators seam, on the enterprise example's ApplicationSets and on
// edits of them (prefixes, templated values and patterns, excludes, directories).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appSetInfo, generateApplications } from '../../../generators/simulate/appset/expand.ts';
import { gitParams } from '../../../generators/simulate/appset/generators/git.ts';
import { repoServiceFor } from '../../../generators/simulate/appset/generators/repo-service.ts';
import { baseContext, fixtureRepo, readYAML } from './helpers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const example = path.join(ROOT, 'examples', 'enterprise');
const repo = fixtureRepo(example);
const ctx = baseContext(repo, {
  repoUrl: 'https://github.com/acme/platform-gitops.git',
  clusters: [
    { name: 'in-cluster', server: 'https://kubernetes.default.svc', labels: {}, annotations: {} },
    { name: 'prod-eu-1', server: 'https://prod-eu-1.example.com', labels: { env: 'prod', region: 'eu' }, annotations: {} },
  ],
});
const appSets = readdirSync(path.join(example, 'argocd/apps')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').map((f) => readYAML(path.join(example, 'argocd/apps', f))).filter((o) => o.kind === 'ApplicationSet');

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
/** Every git generator of the ApplicationSet, nested ones included. */
function gitGenerators(gens: unknown, out: Record<string, any>[] = []): Record<string, any>[] {
  for (const g of Array.isArray(gens) ? gens : []) {
    if (g?.git) out.push(g.git);
    gitGenerators(g?.matrix?.generators, out);
    gitGenerators(g?.merge?.generators, out);
  }
  return out;
}
const edits: ((a: any) => void)[] = [
  () => {},
  (a) => gitGenerators(a.spec.generators).forEach((g) => (g.pathParamPrefix = 'cluster')),
  (a) => gitGenerators(a.spec.generators).forEach((g) => delete g.pathParamPrefix),
  (a) => gitGenerators(a.spec.generators).forEach((g, i) => (g.values = { at: `{{ .path.path }}-${i}`, plain: 'x' })),
  (a) => gitGenerators(a.spec.generators).slice(-1).forEach((g) => g.files?.push({ path: 'clusters/hub/**', exclude: true })),
  (a) => gitGenerators(a.spec.generators).slice(-1).forEach((g) => (g.files = [{ path: 'clusters/*/targets/dev.json' }])),
  (a) => gitGenerators(a.spec.generators).slice(0, 1).forEach((g) => { delete g.files; g.directories = [{ path: 'apps/*/*' }]; }),
];

const outcome = (appSet: Record<string, unknown>, plain: boolean) => {
  const g = { appSet: appSetInfo(appSet, ctx), ctx, repos: repoServiceFor(ctx), notes: [], ...(plain ? { generators: { git: gitParams } } : {}) };
  try {
    return JSON.stringify(generateApplications(appSet, g));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
};

test('git parameter sets memoised per spec = the plain generator, on every ApplicationSet of the example and edits of it', () => {
  let compared = 0;
  for (const original of appSets)
    for (const edit of edits) {
      const appSet = clone(original);
      edit(appSet);
      assert.is(outcome(appSet, false), outcome(appSet, true), `${(original.metadata as any).name} edit ${edits.indexOf(edit)}`);
      compared++;
    }
  assert.ok(compared >= 7 * 10, `${compared} compared`);
  // The tenants' matrix really repeats its second generator's spec (the memo is exercised): more
  // Applications than distinct environments.
  const counts = appSets.filter((a) => String((a.metadata as any).name).startsWith('tenant-')).map((a) => JSON.parse(outcome(a, false)).applications.length);
  assert.ok(Math.max(...counts) > 3, String(counts));
});

test.run();
