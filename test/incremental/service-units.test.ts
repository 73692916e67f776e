// The render memo's per-service units (incremental/service-units.ts) may never change a rendered
// byte: over random model edits (services, tenants, environments, clusters, the router, the
// secrets backend, CI sources, pins), a render with the memo the previous render left (through
// the disk format) is byte for byte a render without it, and every file's sha256 is its text's.
// Adding a service to a fleet answers every other service from the memo (the view the key covers
// does not depend on the list of services), and a service sharing an object with the platform
// view is planned without the memo.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRenderMemo, saveRenderMemo } from '../../generators/check/cache-store.ts';
import { emptyRenderMemo, keptRenderMemo, usableRenderMemo, type RenderMemo } from '../../generators/incremental/render-memo.ts';
import { platformUnits, serviceUnits } from '../../generators/incremental/service-units.ts';
import type { Platform, PlatformSpec } from '../../generators/model/types.ts';
import { planClusters } from '../../generators/plan/clusters.ts';
import { validateSpec } from '../../generators/model/validate-spec.ts';
import { normalize } from '../../generators/model/normalize.ts';
import { planService } from '../../generators/plan/services.ts';
import { renderFile } from '../../generators/plan/render.ts';
import { renderSpec } from '../../generators/pipeline.ts';
import { createEngine } from '../../generators/render/engine.ts';
import { engineTemplates } from '../../generators/io/templates.ts';
import { sha256 } from '../../generators/io/manifest.ts';
import { fleetSpec } from '../../scripts/bench-fleet.ts';
import { editWalk, tempDir, prng, removeTempDir } from '../helpers.ts';

/** An edit the model refuses is skipped: renderSpec refuses it alike, memo or not. */
const accepts = (s: PlatformSpec) => {
  try {
    validateSpec(s);
    return true;
  } catch {
    return false;
  }
};

const units = (memo: RenderMemo) => [...memo.used].filter((k) => k.startsWith('u:')).length;

/** One random model edit (on a copy), of what service planners read and what they do not. */
function edit(s: PlatformSpec, rnd: ReturnType<typeof prng>, step: number): [PlatformSpec, string] {
  const next = structuredClone(s) as any;
  const services = next.services ?? [];
  const svc = services.length ? (rnd.pick(services) as any) : undefined;
  switch (rnd.int(11)) {
    case 0:
      if (!svc) return [next, 'no-op'];
      svc.tag = `3.${step}.0`;
      return [next, `tag of ${svc.name}`];
    case 1:
      if (!svc) return [next, 'no-op'];
      services.push({ ...structuredClone(svc), name: `${svc.name.slice(0, 40)}-u${step}` });
      delete services.at(-1).host;
      return [next, `copy of ${svc.name}`];
    case 2:
      if (services.length < 2) return [next, 'no-op'];
      services.splice(rnd.int(services.length), 1);
      return [next, 'a service removed'];
    case 3: {
      const t = rnd.pick(next.tenants ?? []) as any;
      if (!t) return [next, 'no-op'];
      t.description = `Tenant edited at ${step}`;
      return [next, `tenant ${t.name}`];
    }
    case 4:
      next.delivery = { ...next.delivery, router: rnd.pick(['istio', 'gateway-api', 'nginx']) };
      return [next, `router ${next.delivery.router}`];
    case 5: {
      const c = rnd.pick(next.clusters ?? []) as any;
      if (!c) return [next, 'no-op'];
      c.labels = { ...(c.labels ?? {}), step: String(step) };
      return [next, `labels of cluster ${c.name}`];
    }
    case 6:
      if (!svc) return [next, 'no-op'];
      svc.strategy = rnd.pick(['canary', 'blueGreen', 'rolling']);
      return [next, `strategy of ${svc.name}`];
    case 7:
      if (!svc) return [next, 'no-op'];
      next.ci = { ...next.ci, sources: { ...(next.ci?.sources ?? {}), [svc.name]: { repo: `https://github.com/acme/${svc.name}-${step}.git` } } };
      return [next, `ci source of ${svc.name}`];
    case 8:
      if (!svc) return [next, 'no-op'];
      svc.replicas = 1 + rnd.int(4);
      return [next, `replicas of ${svc.name}`];
    case 9: {
      const e = rnd.pick(next.environments ?? []) as any;
      if (!e) return [next, 'no-op'];
      e.protected = !e.protected;
      return [next, `protection of ${e.name}`];
    }
    default:
      next.argocd = { ...next.argocd, url: `https://argocd-${step}.example.com` };
      return [next, 'argocd url'];
  }
}

test('with units, every render after random model edits is byte for byte a render without them', () => {
  const dir = tempDir('gs-units-');
  const rnd = prng(20261202);
  let memo: RenderMemo = emptyRenderMemo('fp');
  let hits = 0;
  let platformHits = 0;
  let applied = 0;
  for (const { step, what, spec: s } of editWalk(fleetSpec(16, 3, 3), 18, (s, step) => edit(s, rnd, step), accepts)) {
    if (step) applied++;
    const plain = renderSpec(structuredClone(s));
    const before = new Set(memo.bodies.keys());
    const memoed = renderSpec(structuredClone(s), undefined, undefined, undefined, memo);
    assert.equal(memoed.map((f) => f.path), plain.map((f) => f.path), `step ${step} (${what}): paths`);
    for (let i = 0; i < plain.length; i++) {
      assert.is(memoed[i].content, plain[i].content, `step ${step} (${what}): ${plain[i].path}`);
      assert.is(memoed[i].sha256, sha256(plain[i].content), `step ${step} (${what}): sha256 of ${plain[i].path}`);
    }
    hits += [...memo.used].filter((k) => k.startsWith('u:') && before.has(k)).length;
    platformHits += [...memo.used].filter((k) => k.startsWith('p:') && before.has(k)).length;
    assert.is(units(memo), normalize(validateSpec(structuredClone(s))).services.length, `step ${step}: every service is a unit`);
    saveRenderMemo(dir, keptRenderMemo(memo));
    memo = usableRenderMemo(loadRenderMemo(dir), 'fp');
  }
  removeTempDir(dir);
  assert.ok(applied > 8, `${applied} edits applied`);
  assert.ok(hits > 100, `units answered from the memo: ${hits}`);
  assert.ok(platformHits > 20, `platform units answered from the memo: ${platformHits}`);
});

test('adding a service to a fleet plans only that service (the view does not depend on the service list)', () => {
  const s = fleetSpec(30, 5, 3);
  const memo = emptyRenderMemo('fp');
  renderSpec(structuredClone(s), undefined, undefined, undefined, memo);
  const first = units(memo);
  assert.ok(first >= 30, `${first} units`);
  const next = structuredClone(s) as any;
  next.services.push({ ...structuredClone(next.services[0]), name: 'svc-added' });
  delete next.services.at(-1).host;
  const again = usableRenderMemo(keptRenderMemo(memo), 'fp');
  again.rendered = 0;
  again.anew = new Set();
  const plain = renderSpec(structuredClone(next));
  const memoed = renderSpec(structuredClone(next), undefined, undefined, undefined, again);
  assert.equal(memoed.map((f) => f.content), plain.map((f) => f.content));
  const anewUnits = [...again.anew].filter((k) => k.startsWith('u:'));
  assert.is(anewUnits.length, 1, 'only the added service is planned');
  const platform = [...again.used].filter((k) => k.startsWith('p:'));
  assert.ok(platform.length >= 6, `${platform.length} platform units (clusters, projects, ApplicationSets, stores, ...)`);
  assert.equal(platform.filter((k) => again.anew.has(k)), [], 'no platform-wide planner that does not read the services plans again');
});

test('a platform unit whose planner reads the services is planned plainly, uncached; the others are kept', () => {
  const spec = validateSpec(fleetSpec(6, 2, 3));
  const p = normalize(spec);
  const engine = createEngine(engineTemplates());
  const memo = emptyRenderMemo('fp');
  const plan = platformUnits(memo, engine);
  const readsServices = (q: Platform) => [{ path: `x/${q.services.length}.json`, owner: 'managed' as const, json: q.services.map((s) => s.name) }];
  const files = plan('reads-services', readsServices, p);
  assert.equal(files.map((f) => renderFile(f, engine).content), readsServices(p).map((f) => renderFile(f, engine).content));
  assert.is(memo.bodies.size, 0, 'nothing kept for it');
  assert.is(memo.used.size, 0);
  const clusters = plan('clusters', planClusters, p);
  assert.equal(clusters.map((f) => renderFile(f, engine).content), planClusters(p).map((f) => renderFile(f, engine).content));
  assert.is(memo.bodies.size, 1);
  // Another service list, the same rest: the same unit answers.
  const fewer = { ...p, services: p.services.slice(1) };
  const again = platformUnits(memo, engine)('clusters', () => { throw new Error('planned again'); }, fewer);
  assert.equal(again.map((f) => renderFile(f, engine).content), clusters.map((f) => renderFile(f, engine).content));
  // A cluster changed: planned anew.
  const moved = { ...p, clusters: p.clusters.map((c, i) => (i ? c : { ...c, labels: { ...c.labels, moved: 'yes' } })) };
  platformUnits(memo, engine)('clusters', planClusters, moved);
  assert.is(memo.bodies.size, 2);
});

test('a service sharing an object with the platform view is planned without the memo; the platform is plain data', () => {
  const spec = validateSpec(fleetSpec(6, 2, 3));
  const p = normalize(spec);
  const engine = createEngine(engineTemplates());
  const memo = emptyRenderMemo('fp');
  const plan = serviceUnits(memo, engine);
  const s = p.services[0];
  const shared = { ...s, environments: p.clusters.find((c) => c.environments.length)!.environments };
  plan(p, shared);
  assert.is(units(memo), 0, 'no unit for a service sharing an object with the view');
  const files = plan(p, s);
  assert.is(units(memo), 1);
  assert.equal(files.map((f) => renderFile(f, engine).content), planService(p, s).map((f) => renderFile(f, engine).content));
  // The key is the structured clone of plain data: no class instances, no hidden keys.
  const plainData = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object') {
      assert.ok(typeof v !== 'function' && typeof v !== 'symbol', `${at}: ${typeof v}`);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => plainData(x, `${at}[${i}]`));
    const proto = Object.getPrototypeOf(v);
    assert.ok(proto === Object.prototype || proto === null, `${at}: an instance of ${proto?.constructor?.name}`);
    for (const k of Reflect.ownKeys(v)) {
      assert.ok(typeof k === 'string' && Object.getOwnPropertyDescriptor(v, k)!.enumerable, `${at}.${String(k)}: a symbol or hidden key`);
      plainData((v as any)[k], `${at}.${k}`);
    }
  };
  plainData(p, 'platform');
});

test.run();
