// A seeded model-based random test (fast-check): random adds and removes of services and
// tenants, renders (some with --force), hand edits of platform.yaml (descriptions, tags, SSO
// groups), hand edits of generated files (a marker line inserted anywhere), hand deletions, and
// conflicts resolved as the tool says (moving the proposal over the file). After every command:
//   - every hand edit is present in its file (kept, or merged), or that file is reported as a
//     conflict, or (--force) the edit is in a backup; never lost;
//   - every model change is applied: each managed file, minus the hand-edit lines, is exactly
//     the render of platform.yaml, or the file is reported as a conflict with a proposal;
//   - no file the model no longer plans is left unless reported.
// GITOPS_SCAFFOLD_RANDOM_SEED / _RUNS / _STEPS change the seed and the size (defaults: CI size).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { editRepo } from '../../generators/commands/edit.ts';
import { renderSpec, run, type RunResult } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { minimalRepo } from './helpers.ts';

const SEED = Number(process.env.GITOPS_SCAFFOLD_RANDOM_SEED ?? 20251201);
const RUNS = Number(process.env.GITOPS_SCAFFOLD_RANDOM_RUNS ?? 8);
const STEPS = Number(process.env.GITOPS_SCAFFOLD_RANDOM_STEPS ?? 100);

const SERVICES = ['svc-a', 'svc-b', 'svc-c', 'svc-d'];
const TENANTS = ['search', 'billing'];
const MARKER = /^# hand-edit-\d+$/;

interface Model {
  tenants: string[];
  services: { name: string; tenant: string }[];
}

interface Real {
  root: string;
  /** file -> the marker lines a person inserted and that must never be lost */
  edits: Map<string, Set<string>>;
}

const stats = { steps: 0, commands: 0, kept: 0, merged: 0, conflicts: 0, backedUp: 0, lost: 0, resolved: 0, applied: 0, reported: 0, droppedByUser: 0 };
let markerCount = 0;

const read = (root: string, rel: string) => (existsSync(path.join(root, rel)) ? readFileSync(path.join(root, rel), 'utf8') : undefined);
const strip = (text: string) => text.split('\n').filter((l) => !MARKER.test(l)).join('\n');

function managedOnDisk(root: string): string[] {
  const m = JSON.parse(readFileSync(path.join(root, '.gitops-scaffold/manifest.json'), 'utf8'));
  return Object.entries<any>(m.files)
    .filter(([p, e]) => e.owner !== 'model' && /\.(ya?ml|md)$/.test(p) && existsSync(path.join(root, p)))
    .map(([p]) => p)
    .sort();
}

function walk(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(root, child) : [child];
  });
}

/** The invariants, after one command that re-planned the repository. */
function verify(real: Real, result: RunResult, label: string) {
  stats.steps++;
  const { root } = real;
  const byPath = new Map(result.changes.map((c) => [c.path, c]));
  const text = read(root, 'platform.yaml')!;
  const rendered = renderSpec(parseSpecText(text, 'platform.yaml'), text);
  // 1. hand edits: present, merged, in a reported conflict, or in a --force backup
  for (const [file, markers] of real.edits)
    for (const marker of [...markers]) {
      const now = read(root, file);
      const change = byPath.get(file);
      if (now?.split('\n').includes(marker)) {
        if (change?.kind === 'conflict') stats.conflicts++;
        else if (change?.kind === 'merge') stats.merged++;
        else stats.kept++;
        continue;
      }
      const dir = path.dirname(path.join(root, file));
      const base = path.basename(file);
      const backups = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(`${base}.`) && n.endsWith('.orig')) : [];
      if (backups.some((b) => readFileSync(path.join(dir, b), 'utf8').split('\n').includes(marker))) {
        stats.backedUp++;
        markers.delete(marker);
        continue;
      }
      stats.lost++;
      throw new Error(`${label}: the hand edit "${marker}" of ${file} was lost (this run: ${change?.kind ?? 'not planned'} ${change?.reason ?? ''})`);
    }
  // 2. model changes: applied (hand-edit lines aside), or reported as a conflict with a proposal
  const planned = new Set<string>();
  for (const f of rendered) {
    planned.add(f.path);
    if (f.owner !== 'managed') continue;
    const change = byPath.get(f.path);
    if (change?.kind === 'conflict') {
      assert.ok(existsSync(path.join(root, `${f.path}.gitops-scaffold-new`)), `${label}: conflict on ${f.path} without a proposal`);
      stats.reported++;
      continue;
    }
    const now = read(root, f.path);
    if (now === undefined || strip(now) !== f.content) throw new Error(`${label}: the model change to ${f.path} was silently not applied (this run: ${change?.kind} ${change?.reason ?? ''})`);
    stats.applied++;
  }
  // 3. nothing left behind that the model no longer plans, unless reported
  for (const p of walk(root)) {
    if (planned.has(p) || p.startsWith('.gitops-scaffold/') || p.endsWith('.gitops-scaffold-new') || /\.(\d+\.)?orig$/.test(p)) continue;
    assert.is(byPath.get(p)?.kind, 'conflict', `${label}: ${p} is no longer planned, and neither deleted nor reported`);
  }
}

const command = <M extends object>(name: string, check: (m: Model) => boolean, act: (m: Model, r: Real) => void): fc.Command<Model, Real> => ({
  check,
  run: (m, r) => {
    stats.commands++;
    act(m, r);
  },
  toString: () => name,
});

function replan(r: Real, label: string, fn: () => RunResult) {
  verify(r, fn(), label);
}

const addService = fc.tuple(fc.constantFrom(...SERVICES), fc.nat(), fc.constantFrom('1.0.0', '1.1.0', '2.0.0')).map(([name, pick, tag]) =>
  command(`add service ${name}`, (m) => m.tenants.length > 0 && !m.services.some((s) => s.name === name), (m, r) => {
    const tenant = m.tenants[pick % m.tenants.length];
    replan(r, `add service ${name}`, () => editRepo({ op: 'add', kind: 'service', root: r.root, entity: { name, tenant, image: `ghcr.io/acme/${name}`, tag } as any, check: false }).result);
    m.services.push({ name, tenant });
  }),
);

const removeService = fc.nat().map((pick) =>
  command(`remove service #${pick}`, (m) => m.services.length > 0, (m, r) => {
    const [s] = m.services.splice(pick % m.services.length, 1);
    replan(r, `remove service ${s.name}`, () => editRepo({ op: 'remove', kind: 'service', root: r.root, entity: { name: s.name }, check: false }).result);
  }),
);

const addTenant = fc.constantFrom(...TENANTS).map((name) =>
  command(`add tenant ${name}`, (m) => !m.tenants.includes(name), (m, r) => {
    replan(r, `add tenant ${name}`, () => editRepo({ op: 'add', kind: 'tenant', root: r.root, entity: { name }, check: false }).result);
    m.tenants.push(name);
  }),
);

const removeTenant = fc.nat().map((pick) =>
  command(`remove tenant #${pick}`, (m) => m.tenants.length > 1 && m.tenants.some((t) => !m.services.some((s) => s.tenant === t)), (m, r) => {
    const free = m.tenants.filter((t) => !m.services.some((s) => s.tenant === t));
    const name = free[pick % free.length];
    replan(r, `remove tenant ${name}`, () => editRepo({ op: 'remove', kind: 'tenant', root: r.root, entity: { name }, check: false }).result);
    m.tenants.splice(m.tenants.indexOf(name), 1);
  }),
);

/** A person edits platform.yaml: a description, a tag, or an SSO group (security-relevant). */
const editModel = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.constantFrom('one', 'two', 'three')).map(([pick, what, word]) =>
  command(`edit platform.yaml (${['description', 'tag', 'admin group'][what]} ${word})`, () => true, (m, r) => {
    const file = path.join(r.root, 'platform.yaml');
    const doc = YAML.parseDocument(readFileSync(file, 'utf8'));
    const model = doc.toJS();
    const tenant = model.tenants[pick % model.tenants.length];
    if (what === 0) tenant.description = `Team ${word}`;
    else if (what === 1 && model.services?.length) model.services[pick % model.services.length].tag = `3.${word.length}.0`;
    else tenant.groups = tenant.groups?.admin?.includes(`${tenant.name}-${word}`) ? { admin: [`${tenant.name}-leads`] } : { admin: [`${tenant.name}-leads`, `${tenant.name}-${word}`] };
    writeFileSync(file, YAML.stringify(model));
  }),
);

const render = fc.boolean().map((force) =>
  command(`render${force ? ' --force' : ''}`, () => true, (_m, r) => {
    const text = readFileSync(path.join(r.root, 'platform.yaml'), 'utf8');
    replan(r, `render${force ? ' --force' : ''}`, () => run({ root: r.root, model: () => ({ spec: parseSpecText(text, 'platform.yaml'), modelText: text }), force, check: false }));
  }),
);

/** A person inserts a line into a generated file. */
const handEdit = fc.tuple(fc.nat(), fc.nat()).map(([filePick, linePick]) =>
  command(`hand edit #${filePick}@${linePick}`, () => true, (_m, r) => {
    const files = managedOnDisk(r.root);
    const file = files[filePick % files.length];
    const lines = readFileSync(path.join(r.root, file), 'utf8').split('\n');
    const marker = `# hand-edit-${++markerCount}`;
    lines.splice(linePick % lines.length, 0, marker);
    writeFileSync(path.join(r.root, file), lines.join('\n'));
    if (!r.edits.has(file)) r.edits.set(file, new Set());
    r.edits.get(file)!.add(marker);
  }),
);

/** A person deletes a generated file (their own edits in it go with it, by their choice). */
const deleteFile = fc.nat().map((pick) =>
  command(`delete a managed file #${pick}`, () => true, (_m, r) => {
    const files = managedOnDisk(r.root).filter((f) => !f.startsWith('.gitops-scaffold/'));
    const file = files[pick % files.length];
    unlinkSync(path.join(r.root, file));
    stats.droppedByUser += r.edits.get(file)?.size ?? 0;
    r.edits.delete(file);
  }),
);

/** A person resolves a conflict as the tool says: the proposal moved over the file. */
const takeProposal = fc.nat().map((pick) =>
  command(`take proposal #${pick}`, () => true, (_m, r) => {
    const proposals = walk(r.root).filter((p) => p.endsWith('.gitops-scaffold-new')).sort();
    if (!proposals.length) return;
    const proposal = proposals[pick % proposals.length];
    const file = proposal.slice(0, -'.gitops-scaffold-new'.length);
    renameSync(path.join(r.root, proposal), path.join(r.root, file));
    stats.resolved++;
    // the edits the proposal does not carry were given up by the person taking it
    const kept = new Set(readFileSync(path.join(r.root, file), 'utf8').split('\n').filter((l) => MARKER.test(l)));
    for (const marker of [...(r.edits.get(file) ?? [])])
      if (!kept.has(marker)) {
        r.edits.get(file)!.delete(marker);
        stats.droppedByUser++;
      }
  }),
);

test(`seeded random walk (seed ${SEED}, ${RUNS} x ${STEPS} commands): no hand edit lost, no model change silently not applied`, () => {
  fc.assert(
    fc.property(fc.commands([addService, removeService, addTenant, removeTenant, editModel, render, handEdit, handEdit, deleteFile, takeProposal], { maxCommands: STEPS, size: 'max' }), (cmds) => {
      const root = minimalRepo();
      let failed = false;
      try {
        fc.modelRun(() => ({ model: { tenants: ['payments'], services: [] }, real: { root, edits: new Map() } }), cmds);
      } catch (err) {
        failed = true;
        console.error(`\n  random walk failed in ${root} (kept for inspection): ${(err as Error).message}`);
        throw err;
      } finally {
        if (!failed) rmSync(path.dirname(root), { recursive: true, force: true });
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  assert.is(stats.lost, 0);
  assert.ok(stats.steps >= RUNS * 5, `${stats.steps} re-planning steps ran`);
  assert.ok(stats.merged > 0 && stats.conflicts > 0 && stats.kept > 0 && stats.resolved > 0, `every path was exercised: ${JSON.stringify(stats)}`);
  console.log(
    `\n  random walk: ${stats.commands} commands, ${stats.steps} re-plans; hand edits checked after each: kept ${stats.kept}, merged ${stats.merged}, in a reported conflict ${stats.conflicts}, backed up by --force ${stats.backedUp}, lost ${stats.lost}; model changes: ${stats.applied} file renders applied, ${stats.reported} reported as conflicts; ${stats.resolved} conflicts resolved by taking the proposal`,
  );
});

test.run();
