// Per-service units of the render memo: a service's files (its base, overlays and targets, ~15 of
// the fleet's ~7,700) remembered as rendered text under one key, so a run whose model changed in
// one service neither plans nor renders the other 499 (planning them is most of the render phase).
//
// Exact by construction: a unit is planned from exactly what its key covers. The planner is
// handed a view of the platform WITHOUT `services`, `charts` and `ci` (reading one of them throws,
// and the unit falls back to the plain planner, uncached), and the key is the sha256 of the
// view's structured-clone bytes (once per run) and of the service's own (per service), made
// under the code's fingerprint (the memo's header; another code = an empty memo). The view and
// the service must not share objects (the two clones would hide an identity the planner could
// see): a service that shares one is planned without the memo. A service of plain data (what
// JSON writes exactly, plainJson) is keyed by its JSON text instead of its bytes' hash. Data that cannot be cloned
// (a function) is planned without it too. test/incremental/service-units.test.ts holds renders
// with units equal, byte for byte, to renders without, over random model edits.
import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { Platform, Service } from '../model/types.ts';
import { planService } from '../plan/services.ts';
import { renderFile } from '../plan/render.ts';
import type { Ownership, PlannedFile, RenderedFile } from '../plan/types.ts';
import type { Engine } from '../render/engine.ts';
import type { RenderMemo } from './render-memo.ts';

/** Platform fields a service's planner never reads (the view hides them). */
const HIDDEN = ['services', 'charts', 'ci'] as const;

class HiddenField extends Error {}

interface Prepared {
  platform: Platform;
  /** The platform as a service planner may see it, and the hash of its bytes (undefined: no units). */
  view: Platform;
  viewKey?: string;
  /** Every object reachable from the view (a service sharing one is planned without the memo). */
  objects: Set<object>;
}

function objectsOf(root: unknown, into: Set<object>): Set<object> {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || into.has(v)) continue;
    into.add(v);
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    else for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return into;
}

/** A copy of `obj` whose `hidden` fields throw when read (and are not part of its bytes). */
function hiding<T extends object>(obj: T, hidden: readonly string[]): T {
  const view = { ...obj };
  for (const field of hidden) {
    delete (view as Record<string, unknown>)[field];
    Object.defineProperty(view, field, { enumerable: false, get: () => { throw new HiddenField(field); } });
  }
  return view;
}

/** The platform with `hidden` fields that throw when read (`ci.sources`: a field of `ci`), and
 *  the hash of the rest's bytes. */
function viewOf(platform: Platform, hidden: readonly string[], tag: string): { view: Platform; viewKey?: string } {
  const view = hiding(platform, hidden.filter((f) => !f.includes('.')));
  const ciHidden = hidden.filter((f) => f.startsWith('ci.')).map((f) => f.slice(3));
  if (ciHidden.length && view.ci && typeof view.ci === 'object') view.ci = hiding(view.ci, ciHidden);
  try {
    return { view, viewKey: createHash('sha256').update(`${tag}\0`).update(serialize(view)).digest('base64url') };
  } catch {
    return { view }; // not cloneable: no units this run
  }
}

function prepare(platform: Platform): Prepared {
  const { view, viewKey } = viewOf(platform, HIDDEN, 'service-unit-1');
  return { platform, view, viewKey, objects: viewKey ? objectsOf(view, new Set()) : new Set() };
}

/**
 * `s` as JSON when JSON writes it exactly: plain data only (objects of Object.prototype, arrays
 * without holes or other properties, strings, booleans, null, finite numbers other than -0) and no
 * object reached twice, so two services with one JSON text are the same data, as with their
 * structured-clone bytes. 'shared': it reaches an object of the view (never keyed); undefined:
 * not plain data (keyed by its structured-clone bytes).
 */
export function plainJson(s: unknown, viewObjects: ReadonlySet<object>): string | 'shared' | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [s];
  let plain = true;
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) plain = false;
      continue;
    }
    if (typeof v !== 'object') {
      plain = false; // undefined, a function, a symbol, a bigint
      continue;
    }
    if (viewObjects.has(v)) return 'shared';
    if (seen.has(v)) {
      plain = false; // reached twice (JSON would write it twice; the clone bytes keep the identity)
      continue;
    }
    seen.add(v);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) plain = false;
      for (let i = 0; i < v.length; i++) stack.push(v[i]); // a hole reads as undefined: not plain
    } else {
      if (Object.getPrototypeOf(v) !== Object.prototype) plain = false;
      for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  if (!plain) return undefined;
  try {
    return JSON.stringify(s);
  } catch {
    return undefined;
  }
}

/** The unit's key, or undefined when the service cannot be keyed exactly (see the top). Plain
 *  data (plainJson) is keyed by its JSON text itself, `u:j:VIEW:JSON` (no structured-clone
 *  serialisation and no hash per service: ~10 ms of an add's render on a 500-service fleet),
 *  anything else by the sha256 of its clone bytes, `u:HASH` (a base64url hash holds no ':'). */
function unitKey(prepared: Prepared, s: Service): string | undefined {
  if (!prepared.viewKey) return undefined;
  const json = plainJson(s, prepared.objects);
  if (json === 'shared') return undefined;
  if (json !== undefined) return `u:j:${prepared.viewKey}:${json}`;
  for (const o of objectsOf(s, new Set())) if (prepared.objects.has(o)) return undefined;
  try {
    return `u:${createHash('sha256').update(prepared.viewKey).update('\0').update(serialize(s)).digest('base64url')}`;
  } catch {
    return undefined;
  }
}

// A unit's files as one memo body: per file "path\towner\tsha256\tlength\n" + content (length in
// UTF-16 code units), so a hit slices the memo's text instead of parsing it.
function encodeUnit(files: RenderedFile[]): string {
  const parts: string[] = [];
  for (const f of files) parts.push(f.path, '\t', f.owner, '\t', f.sha256!, '\t', String(f.content.length), '\n', f.content);
  return parts.join('');
}

const OWNERS: ReadonlySet<string> = new Set<Ownership>(['managed', 'seed', 'model']);

/** The files of a unit body, or undefined when it is not one this module wrote. */
function decodeUnit(body: string): PlannedFile[] | undefined {
  const files: PlannedFile[] = [];
  let at = 0;
  while (at < body.length) {
    const t1 = body.indexOf('\t', at);
    const t2 = body.indexOf('\t', t1 + 1);
    const t3 = body.indexOf('\t', t2 + 1);
    const nl = body.indexOf('\n', t3 + 1);
    if (t1 < 0 || t2 < 0 || t3 < 0 || nl < 0) return undefined;
    const owner = body.slice(t1 + 1, t2);
    const length = Number(body.slice(t3 + 1, nl));
    if (!OWNERS.has(owner) || !Number.isSafeInteger(length) || length < 0 || nl + 1 + length > body.length) return undefined;
    const content = body.slice(nl + 1, nl + 1 + length);
    files.push({ path: body.slice(at, t1), owner: owner as Ownership, rendered: { content, sha256: body.slice(t2 + 1, t3) } });
    at = nl + 1 + length;
  }
  return files;
}

/**
 * A planService for planRepo that answers from `memo` where a unit's key matches, else plans the
 * service from the view, renders it with `engine` and remembers it. Files come back rendered.
 */
export function serviceUnits(memo: RenderMemo, engine: Engine): (p: Platform, s: Service) => PlannedFile[] {
  let prepared: Prepared | undefined;
  return (p, s) => {
    if (prepared?.platform !== p) prepared = prepare(p);
    const key = unitKey(prepared, s);
    if (key === undefined) return planService(p, s);
    const view = prepared.view;
    return memoizedUnit(memo, engine, key, () => planService(view, s), () => planService(p, s));
  };
}

/**
 * One unit through the memo: its files as remembered under `key`, else planned on the view
 * (`onView`), rendered and remembered. A planner that reads a field the view hides (HiddenField:
 * what the key does not cover) is run plainly instead (`plain`), uncached. Files come back rendered.
 */
function memoizedUnit(memo: RenderMemo, engine: Engine, key: string, onView: () => PlannedFile[], plain: () => PlannedFile[]): PlannedFile[] {
  memo.used.add(key);
  const hit = memo.bodies.get(key);
  const files = hit === undefined ? undefined : decodeUnit(hit);
  if (files) return files;
  let planned: PlannedFile[];
  try {
    planned = onView();
  } catch (err) {
    if (!(err instanceof HiddenField)) throw err;
    memo.used.delete(key);
    return plain();
  }
  const rendered = planned.map((f) => renderFile(f, engine));
  memo.bodies.set(key, encodeUnit(rendered));
  memo.anew.add(key);
  memo.rendered++;
  return rendered.map((f) => ({ path: f.path, owner: f.owner, rendered: { content: f.content, sha256: f.sha256! } }));
}

/** What a platform unit's planner may not read: the services, and what normalize derives per
 *  service elsewhere (`ci.sources`, keyed by service name). */
const PLATFORM_HIDDEN = ['services', 'ci.sources'] as const;

/**
 * A planUnit for planRepo (platform units): a platform-wide planner that does not read the
 * services (clusters, projects, ApplicationSets, stores, ...) answered from `memo` under the hash
 * of its name and of the platform's bytes without `services` and `ci.sources` (`p:` keys), so adding, editing or
 * removing a service plans and renders none of them. The planner runs on a view where those
 * throw when read: one that reads them is run plainly, uncached (its output is what the plain
 * path gives). The services cannot share an object with what the planner sees: it sees nothing
 * of them. Files come back rendered, as service units do.
 */
export function platformUnits(memo: RenderMemo, engine: Engine): (name: string, planner: (p: Platform) => PlannedFile[], p: Platform) => PlannedFile[] {
  let prepared: { platform: Platform; view: Platform; viewKey?: string } | undefined;
  return (name, planner, p) => {
    if (prepared?.platform !== p) prepared = { platform: p, ...viewOf(p, PLATFORM_HIDDEN, 'platform-unit-1') };
    if (!prepared.viewKey) return planner(p);
    const key = `p:${createHash('sha256').update(prepared.viewKey).update('\0').update(name).digest('base64url')}`;
    const view = prepared.view;
    return memoizedUnit(memo, engine, key, () => planner(view), () => planner(p)); // plain: it reads the services
  };
}
