// The one flow every command runs: read -> plan -> apply.
//
//   lock      take `.gitops-scaffold/lock` (io/lock.ts); finish or undo a write a killed run left
//             (io/writer.ts recover)
//   read      platform.yaml, the manifest with its recorded merge base, the repo's own inputs
//             (io/repo-state.ts readRepoState)
//   model     the run's model: given (init), or derived from the platform.yaml just read (an
//             add/remove edit, render)                                             pure
//   render    spec -> files, then the pre-write check                               pure
//   read      the files the plan compares against (readFiles)
//   plan      changes against the repository, three-way merges included (io/changes.ts) pure
//   apply     the journaled write (io/writer.ts), unless --dry-run or nothing changes
//
// Everything between the reads and the write is pure, and everything happens under the lock,
// so two runs at once never lose either's work.

import path from 'node:path';
import type { PlatformSpec } from './model/types.ts';
import { validateSpec } from './model/validate-spec.ts';
import { normalize } from './model/normalize.ts';
import { assertNotNewer, resolvePins, type PinSet } from './model/pins.ts';
import { parseSpecText, withIdentity } from './model/serialize.ts';
import { DiskError, GeneratedOutputError, InputError } from './model/errors.ts';
import { planRepo } from './plan/index.ts';
import { renderPlan } from './plan/render.ts';
import type { RenderedFile } from './plan/types.ts';
import { createEngine, type Engine } from './render/engine.ts';
import { parseAll } from './render/yaml.ts';
import { fastParseDocuments } from './check/fast-yaml.ts';
import { engineTemplates } from './io/templates.ts';
import { planChanges, WRITES, type Change, type ChangePlan } from './io/changes.ts';
import { apply, recover } from './io/writer.ts';
import { JournalDisk } from './io/journal.ts';
import { acquireLock, releaseLock, removeEmptyStateDirs, STATE_DIR, type HeldLock } from './io/lock.ts';
import { PathGuard, realPathOf } from './io/paths.ts';
import { MODEL_PATH, readFiles, readInputs, readRepoState, rootKind, type RepoState } from './io/repo-state.ts';
import { checkRendered, type CheckOutcome } from './check/generated.ts';
import { CACHE_DIR, loadCheckCache, loadRenderMemo, loadSimCache, saveCheckCache, saveRenderMemo, saveSimCache, type SimCache } from './check/cache-store.ts';
import { platformUnits, serviceUnits } from './incremental/service-units.ts';
import { keptRenderMemo, memoEngine, type RenderMemo, usableRenderMemo } from './incremental/render-memo.ts';
import type { CheckCache } from './check/incremental.ts';
import { checkerFingerprint } from './check/fingerprint.ts';
import { loadModelCache, modelCacheFingerprint, saveModelCache } from './io/model-cache.ts';
import { noopKey, recordNoop, recordedNoop } from './incremental/noop-render.ts';
import { LINT_CONFIG_PATH } from './plan/lint-config.ts';
import type { SupplyChainOptions } from './plan/supply-chain/index.ts';
import { CERT_PATH } from './plan/supply-chain/sealed-secrets.ts';
import { silentProgress, type Progress } from './io/progress.ts';
import { reportTimes, timed } from './incremental/timing.ts';
import { emptyStatRecord, loadStatRecord, recordSince, saveStatRecord } from './incremental/stat-record.ts';
import { probeWanted, startStatProbe, type StatProbe } from './incremental/stat-probe.ts';

/** The run's model, chosen from platform.yaml as read under the lock. */
export interface ModelChoice {
  spec: unknown;
  /** platform.yaml text whose comments and layout the rewritten platform.yaml keeps. */
  modelText?: string;
  /** The releases this run renders with, decided from the record read under the lock (`upgrade`). */
  pins?: PinSet;
}

/** What the manifest records about the last render, as read under the lock (raw: `pins` unchecked). */
export interface RenderRecord {
  version?: string;
  pins?: unknown;
}

export interface RunOptions {
  root: string;
  /** The model of this run (init, tests). */
  spec?: unknown;
  /** Or: derive it from platform.yaml as read under the lock (render, add, remove). */
  model?: (current: { text?: string; record: RenderRecord; written: boolean }) => ModelChoice;
  /** With `spec`: platform.yaml text to keep comments of. */
  previousModelText?: string;
  /** Merge base candidate for a repository whose manifest records no model (written before the
   *  manifest recorded one); always checked against the recorded hashes. */
  previousSpec?: unknown;
  /** The upstream releases to render with (model/pins.ts); default: the ones the manifest records
   *  (a newer tool never moves a pin by itself), else this tool's. `upgrade` passes TOOL_PINS. */
  pins?: PinSet;
  /** The releases the merge base was rendered with; default: the recorded ones. */
  basePins?: PinSet;
  dryRun?: boolean;
  force?: boolean;
  /** Run schema validation and lint on the output before writing (default true). */
  check?: boolean;
  /** init: refuse a folder holding files the tool did not write (platform.yaml included). */
  refuseForeign?: boolean;
  /** Inputs that do not live in platform.yaml (`--sealed-secrets-cert`, `--seal-values`). */
  supplyChain?: SupplyChainOptions;
  /** What the lock and the journal call this run (`add service checkout`). */
  command?: string;
  /** Phases of a long run (a large fleet), for a terminal (generators/io/progress.ts). */
  progress?: Progress;
  /** How long to wait for another run's lock (default GITOPS_SCAFFOLD_LOCK_WAIT or 10 s). */
  lockWaitMs?: number;
  /**
   * The model is platform.yaml as it is (render): when nothing the render reads changed since a
   * render that changed nothing, its result is returned without planning (incremental/noop-render.ts).
   */
  noopFastPath?: boolean;
}

export interface ApplyResult {
  written: string[];
  deleted: string[];
  proposals: string[];
  backups: string[];
}

export interface RunResult {
  root: string;
  changes: Change[];
  noop: boolean;
  applied?: ApplyResult;
  check?: CheckOutcome;
  conflicts: Change[];
  files: number;
  /** What the run did besides the plan: a lock taken over, an interrupted write finished or undone. */
  notes: string[];
}

let engine: Engine | undefined;
const getEngine = () => (engine ??= createEngine(engineTemplates()));

/** Pure: spec -> rendered files (throws InputError on an invalid spec); `memo`: see renderUnchecked. */
export function renderSpec(specData: unknown, previousModelText?: string, supplyChain?: SupplyChainOptions, pins?: PinSet, memo?: RenderMemo): RenderedFile[] {
  const rendered = renderUnchecked(specData, previousModelText, supplyChain, pins, memo);
  assertYamlParses(rendered);
  return rendered;
}

/**
 * renderSpec without the re-parse of its YAML (the caller parses it anyway, or asserts later);
 * with a render memo (incremental/render-memo.ts), templates whose data did not change are not
 * rendered again.
 */
function renderUnchecked(specData: unknown, previousModelText?: string, supplyChain?: SupplyChainOptions, pins?: PinSet, memo?: RenderMemo): RenderedFile[] {
  const spec = validateSpec(specData);
  // renderinc: with a memo, unchanged services and platform-wide planners that do not read the
  // services come back rendered from it (incremental/service-units.ts).
  const platform = timed('render:normalize', () => normalize(spec, pins));
  const planned = timed('render:plan', () => planRepo({ spec, platform, previousModelText, supplyChain, planService: memo ? serviceUnits(memo, getEngine()) : undefined, planUnit: memo ? platformUnits(memo, getEngine()) : undefined }));
  return timed('render:templates', () => renderPlan(planned, memo ? memoEngine(getEngine(), memo) : getEngine()));
}

/**
 * True when check/fast-yaml.ts reads the text: it gives up on anything outside its block-style
 * subset and on anything that could be an error (duplicate keys, aliases, tags, ...), so a text
 * it reads is one the full parser (same options: YAML 1.1, unique keys) reads without errors.
 * False means "not sure": the full parse decides.
 */
function fastParses(text: string): boolean {
  try {
    return fastParseDocuments(text) !== undefined;
  } catch {
    return false;
  }
}

/** Every rendered YAML file parses (a failure is a bug in the tool). */
function assertYamlParses(rendered: RenderedFile[]) {
  for (const f of rendered) if (/\.ya?ml$/.test(f.path)) {
    try {
      if (!fastParses(f.content)) parseAll(f.content, f.path);
    } catch (err) {
      throw new GeneratedOutputError('gitops-scaffold rendered YAML that does not parse. This is a bug in the tool; please report it with your platform.yaml.', [(err as Error).message]);
    }
  }
}

/** The Sealed Secrets certificate: given on this run, else the one an earlier run kept in the repo. */
function supplyChainInputs(given: SupplyChainOptions | undefined, state: RepoState): SupplyChainOptions {
  const certPem = given?.sealedSecrets?.certPem ?? state.inputs.get(CERT_PATH);
  return certPem ? { ...given, sealedSecrets: { ...given?.sealedSecrets, certPem } } : { ...given };
}

/** Render and pre-write check of the run's model (pure). */
function renderChecked(spec: unknown, modelText: string | undefined, supplyChain: SupplyChainOptions, pins: PinSet, lintConfig: string | undefined, check: boolean, cache: CheckCache | null | undefined, memo: RenderMemo | undefined, simCache?: SimCache): { rendered: RenderedFile[]; outcome?: CheckOutcome & { cache?: CheckCache } } {
  const rendered = timed('render', () => renderUnchecked(spec, modelText, supplyChain, pins, memo));
  // The check parses every file anyway: renderSpec's own re-parse runs only when the check is off
  // or the check saw a file that does not parse (then it throws exactly as renderSpec would).
  if (!check) {
    assertYamlParses(rendered);
    return { rendered };
  }
  let outcome: CheckOutcome & { cache?: CheckCache };
  try {
    // The team's own lint config on disk wins over the one this run would seed. The cache of the
    // previous check (perf: check/cache-store.ts) makes it re-check only changed files.
    outcome = checkRendered(rendered, lintConfig, { cache, simCache: simCache?.map });
  } catch (err) {
    assertYamlParses(rendered);
    throw err;
  }
  if (outcome.findings.some((f) => f.rule.startsWith('parse/'))) assertYamlParses(rendered);
  if (outcome.errors.length) throw new GeneratedOutputError('gitops-scaffold generated output that fails its own checks. This is a bug in the tool; nothing was written. Re-run with --no-check to write it anyway.', outcome.errors);
  return { rendered, outcome };
}

/**
 * The merge base (pure, asked lazily): the render of the model the manifest records, else (an
 * older manifest) of the caller's previous spec or the platform.yaml read. The plan uses a base
 * text only where its hash equals the recorded hash, so a wrong candidate can only produce a
 * reported conflict, never a wrong merge.
 */
function mergeBase(state: RepoState, previousSpec: unknown, pins: PinSet): ReadonlyMap<string, string> | undefined {
  let candidate = state.manifest?.model ?? previousSpec;
  if (candidate === undefined && state.modelText !== undefined) {
    try {
      candidate = parseSpecText(state.modelText, 'platform.yaml');
    } catch {
      return undefined;
    }
  }
  if (candidate === undefined || candidate === null) return undefined;
  try {
    // Values to seal are left out (sealing is randomized and sealed files are seeds, never merged);
    // the certificate is the one the repository held before this run.
    const cert = state.inputs.get(CERT_PATH);
    const base = renderUnchecked(candidate, undefined, { sealedSecrets: cert ? { certPem: cert } : undefined }, pins);
    return new Map(base.map((f) => [f.path, f.content]));
  } catch {
    return undefined; // the recorded model no longer renders: no base, conflicts are reported instead
  }
}

/**
 * platform.yaml is byte for byte the text this tool last wrote there (the manifest's hash, with no
 * conflict record: a conflict records a file the tool did not write): the model step may then
 * edit it as text (model/text-splice.ts), which relies on the text being the yaml library's own.
 */
function modelWritten(state: RepoState): boolean {
  const entry = state.manifest?.files[MODEL_PATH];
  return state.modelSha256 !== undefined && !!entry && !entry.conflict && entry.sha256 === state.modelSha256;
}

/** init / --out / --repo: a folder or nothing, never a file. */
function preflightRoot(root: string): 'missing' | 'dir' {
  const kind = rootKind(root);
  if (kind === 'other')
    throw new InputError(`${root} is not a folder; nothing was written`, [{ path: root, message: 'exists and is a file (or another non-folder)', fix: 'point --out / --repo at a folder, or at a path that does not exist yet' }]);
  return kind;
}

function takeLock(realRoot: string, opts: RunOptions): HeldLock | undefined {
  try {
    return acquireLock(realRoot, opts.command ?? 'gitops-scaffold', opts.lockWaitMs);
  } catch (err) {
    // --dry-run on a read-only checkout still plans (it writes nothing, not even the lock).
    if (opts.dryRun && err instanceof DiskError && ['EROFS', 'EACCES', 'EPERM'].includes(err.code)) return undefined;
    throw err;
  }
}

/** The repository paths a plan writes or deletes. */
const pathsWritten = (plan: { writes: { puts: { path: string }[]; deletes: { path: string }[] } }): string[] => [...plan.writes.puts.map((p) => p.path), ...plan.writes.deletes.map((d) => d.path)];

export function run(opts: RunOptions): RunResult {
  const root = path.resolve(opts.root);
  const kind = preflightRoot(root);
  const guard = new PathGuard(realPathOf(root));
  const disk = new JournalDisk(guard.realRoot, guard);
  // A dry run of a folder without a repository reads nothing that needs protecting: no lock.
  const lock = opts.dryRun && (kind === 'missing' || !disk.exists(path.join(guard.realRoot, STATE_DIR))) ? undefined : takeLock(guard.realRoot, opts);
  const notes: string[] = [];
  const progress = opts.progress ?? silentProgress;
  let statProbe: StatProbe | undefined;
  try {
    if (lock?.takeover) notes.push(lock.takeover);
    if (kind === 'dir') {
      const recovered = recover(disk, !!opts.dryRun || !lock);
      if (recovered) notes.push(recovered);
    }

    // read
    const state = timed('read', () => readRepoState(root, guard, { findForeign: !!opts.refuseForeign && !opts.force }));
    if (state.foreign.paths.length)
      throw new InputError(`${root} holds files gitops-scaffold did not write; nothing was written`, [
        { path: state.foreign.paths.join(', ') + (state.foreign.more ? ' and more' : ''), message: 'not generated by gitops-scaffold', fix: 'choose an empty --out folder, or pass --force to write anyway (overwritten files are backed up as .orig)' },
      ]);
    readInputs(state, [CERT_PATH, LINT_CONFIG_PATH]);
    // The stat record trusts only entries older than `since`, read before the first stat of the
    // files the plan compares: before the probe starts.
    const cacheInside = !('escape' in guard.resolve(CACHE_DIR));
    const since = cacheInside && lock ? recordSince(lock.file) : undefined;
    // renderinc: the lstats readFiles needs, taken on a worker thread while this one models,
    // renders and checks (incremental/stat-probe.ts); the manifest names the paths.
    const manifestPaths = Object.keys(state.manifest?.files ?? {});
    if (probeWanted(manifestPaths.length)) statProbe = timed('read-files:probe', () => startStatProbe(guard.realRoot, manifestPaths));
    // A repository rendered by a newer gitops-scaffold is not rendered back by an older one.
    assertNotNewer(state.manifest?.version);
    // The pins the repository was rendered with (the base renders with them), and this run's.
    const recordedPins = resolvePins(state.manifest?.pins).pins;

    const supplyChain = supplyChainInputs(opts.supplyChain, state);
    // perf: a render whose every input is what a no-op render saw returns that render's result.
    const noopKeyOfRun = opts.noopFastPath && !supplyChain.sealedSecrets?.values ? noopKey({ code: checkerFingerprint(), command: opts.command, model: state.modelText ?? null, inputs: [...state.inputs].sort(), manifest: state.manifestFile?.sha256 ?? null, pins: opts.pins ?? recordedPins, cert: supplyChain.sealedSecrets?.certPem ?? null, force: !!opts.force, check: opts.check !== false }) : undefined;
    const recorded = noopKeyOfRun ? recordedNoop(guard.realRoot, noopKeyOfRun) : undefined;
    if (noopKeyOfRun && process.env.GITOPS_SCAFFOLD_DEBUG?.split(',').includes('noop')) process.stderr.write(`gitops-scaffold: no-op record ${recorded ? 'holds: nothing planned' : 'does not hold: planning'}\n`);
    if (recorded) return { root, changes: recorded.changes, noop: true, check: recorded.check, conflicts: [], files: recorded.files, notes };

    // model and render (pure). The check cache is derived data in .gitops-scaffold/cache/, used
    // only where it stays inside the repo; platform.yaml's value from it (io/model-cache.ts) when
    // this text is the one the last run wrote.
    const modelFingerprint = cacheInside ? modelCacheFingerprint() : undefined;
    const modelCached = !!modelFingerprint && state.modelText !== undefined && state.modelSha256 !== undefined && timed('read', () => loadModelCache(guard.realRoot, state.modelText!, state.modelSha256!, modelFingerprint));
    const choice: ModelChoice = opts.model ? timed('model', () => opts.model!({ text: state.modelText, record: { version: state.manifest?.version, pins: state.manifest?.pins }, written: modelWritten(state) })) : { spec: opts.spec, modelText: opts.previousModelText };
    const pins = choice.pins ?? opts.pins ?? recordedPins;
    const cache = opts.check !== false && cacheInside ? timed('cache-load:check', () => loadCheckCache(guard.realRoot)) : undefined;
    const simCache = cache !== undefined ? timed('cache-load:sim', () => loadSimCache(guard.realRoot, checkerFingerprint())) : undefined;
    const renderMemo = cacheInside ? usableRenderMemo(timed('cache-load:memo', () => loadRenderMemo(guard.realRoot)), checkerFingerprint()) : undefined;
    progress.start('planning, rendering and checking');
    const { rendered, outcome } = renderChecked(choice.spec, choice.modelText, supplyChain, pins, state.inputs.get(LINT_CONFIG_PATH), opts.check !== false, cache, renderMemo, simCache);

    // read what the plan compares against, then plan (pure)
    progress.start(`comparing ${rendered.length} files with ${root}`);
    // renderinc: files whose stat the last run recorded (incremental/stat-record.ts) and whose
    // recorded hash is this render's are not read again; `since` is read before the first stat.
    const statRecord = cacheInside ? timed('read-files:record', () => loadStatRecord(guard.realRoot)) : undefined;
    const byPath = new Map(rendered.map((f) => [f.path, f]));
    const comparedPaths = rendered.map((f) => f.path);
    for (const p of Object.keys(state.manifest?.files ?? {})) if (!byPath.has(p)) comparedPaths.push(p);
    timed('read-files', () => {
      readFiles(state, comparedPaths, { record: statRecord, rendered: byPath, probe: statProbe?.probe });
      statProbe?.dispose();
    });
    const planNow = () => planChanges(
      { rendered, files: state.files, names: state.names, manifest: state.manifest, manifestFile: state.manifestFile, base: () => mergeBase(state, opts.previousSpec, opts.basePins ?? recordedPins), model: withIdentity(choice.spec as PlatformSpec), pins },
      { force: !!opts.force, foreignModel: !!opts.refuseForeign },
    );
    let plan = timed('plan-changes', planNow);
    // What the plan writes or deletes was decided on the probe's early lstats: a file (or folder)
    // among them that changed since is read afresh, every file as without the probe, and planned again.
    if (statProbe && timed('read-files:recheck', () => statProbe!.changedSince(pathsWritten(plan)))) {
      state.files.clear();
      state.names.clear();
      state.stats = emptyStatRecord();
      timed('read-files', () => readFiles(state, comparedPaths, { record: statRecord, rendered: byPath }));
      plan = timed('plan-changes', planNow);
    }
    const result: RunResult = { root, changes: plan.changes, noop: plan.noop, check: outcome, conflicts: plan.changes.filter((c) => c.kind === 'conflict'), files: rendered.length, notes };
    if (opts.dryRun) return result;

    // apply
    if (!plan.noop) {
      progress.start(`writing ${plan.writes.puts.length + plan.writes.deletes.length} files`, plan.writes.puts.length + plan.writes.deletes.length);
      timed('apply', () => apply(disk, lock!, plan.writes, () => progress.tick()));
      result.applied = applied(plan);
    }
    // Derived data beside the repository, after the write and still under the lock: a failure
    // here costs the next run time, nothing else.
    if (outcome?.cache && cacheInside) timed('cache-save:check', () => saveCheckCache(guard.realRoot, outcome.cache!));
    const modelText = rendered.find((f) => f.path === MODEL_PATH)?.content;
    if (modelFingerprint && modelText !== undefined && !(modelCached && modelText === state.modelText)) timed('cache-save:model', () => saveModelCache(guard.realRoot, modelText, modelFingerprint));
    if (simCache && outcome) timed('cache-save:sim', () => saveSimCache(guard.realRoot, simCache));
    if (since !== undefined) timed('cache-save:stat', () => saveStatRecord(guard.realRoot, since, state.stats, new Set(pathsWritten(plan))));
    if (renderMemo) {
      if (process.env.GITOPS_SCAFFOLD_DEBUG?.split(',').includes('check')) process.stderr.write(`gitops-scaffold: render: ${renderMemo.rendered} of ${renderMemo.used.size} template renders anew (memo of ${renderMemo.loaded})\n`);
      timed('cache-save:memo', () => saveRenderMemo(guard.realRoot, keptRenderMemo(renderMemo)));
    }
    if (noopKeyOfRun && plan.noop && cacheInside && !result.conflicts.length) {
      const looked = new Map<string, string | undefined>();
      for (const p of [...rendered.map((f) => f.path), ...Object.keys(state.manifest?.files ?? {})]) looked.set(p, state.files.get(p)?.sha256);
      for (const [p, f] of state.files) looked.set(p, f.sha256); // proposals read beside files
      recordNoop(guard.realRoot, noopKeyOfRun, { files: looked, dirs: state.names }, result);
    }
    return result;
  } catch (err) {
    // A recovery (or a lock takeover) happened even though the run then failed: say so too.
    if (notes.length && err instanceof Error) Object.assign(err, { notes: [...notes] });
    throw err;
  } finally {
    statProbe?.dispose();
    progress.done();
    reportTimes(opts.command ?? 'run');
    if (lock) {
      releaseLock(lock);
      removeEmptyStateDirs(guard.realRoot, lock.created);
    }
  }
}

function applied(plan: ChangePlan): ApplyResult {
  return {
    written: plan.changes.filter((c) => WRITES.has(c.kind)).map((c) => c.path),
    deleted: plan.writes.deletes.map((d) => d.path),
    proposals: plan.changes.filter((c) => c.kind === 'conflict' && c.proposal && c.content !== undefined).map((c) => c.proposal!),
    backups: plan.changes.filter((c) => c.backup).map((c) => c.backup!),
  };
}

export type { PlatformSpec };
