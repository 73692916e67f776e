// The one flow every command runs: validate the spec, plan, render, check, compute changes
// against the repository, then (unless dry-run) hand them to the single writer.
// Only readRepoState() and applyChanges() touch the disk.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { PlatformSpec } from './model/types.ts';
import { specProblems, validateSpec } from './model/validate-spec.ts';
import { normalize } from './model/normalize.ts';
import type { PinSet } from './model/pins.ts';
import { GeneratedOutputError, InputError } from './model/errors.ts';
import { planRepo } from './plan/index.ts';
import { renderPlan } from './plan/render.ts';
import type { RenderedFile } from './plan/types.ts';
import { createEngine, type Engine } from './render/engine.ts';
import { parseAll } from './render/yaml.ts';
import { fastParseDocuments } from './check/fast-yaml.ts';
import { engineTemplates } from './io/templates.ts';
import { computeChanges, isNoop, MANIFEST_PATH, needsMergeBase, type Change } from './io/changes.ts';
import { applyChanges, readIfExists, readManifest, type ApplyResult } from './io/writer.ts';
import { checkRendered, type CheckOutcome } from './check/generated.ts';
import { CACHE_DIR, loadCheckCache, saveCheckCache } from './check/cache-store.ts';
import type { CheckCache } from './check/incremental.ts';
import { LINT_CONFIG_PATH } from './plan/lint-config.ts';
import type { SupplyChainOptions } from './plan/supply-chain/index.ts';
import { CERT_PATH } from './plan/supply-chain/sealed-secrets.ts';

export interface RunOptions {
  root: string;
  spec: unknown;
  /** platform.yaml text before this run (comments are kept; the merge base is its render). */
  previousModelText?: string;
  previousSpec?: unknown;
  /** The upstream releases to render with (model/pins.ts); default: this tool's. */
  pins?: PinSet;
  /** The releases the previous render (the merge base) used, when they differ (`upgrade`). */
  basePins?: PinSet;
  dryRun?: boolean;
  force?: boolean;
  /** Run schema validation and lint on the output before writing (default true). */
  check?: boolean;
  /** init: refuse a folder holding files the tool did not write. */
  refuseForeign?: boolean;
  /** Inputs that do not live in platform.yaml (`--sealed-secrets-cert`). */
  supplyChain?: SupplyChainOptions;
}

export interface RunResult {
  root: string;
  changes: Change[];
  noop: boolean;
  applied?: ApplyResult;
  check?: CheckOutcome;
  conflicts: Change[];
  files: number;
}

let engine: Engine | undefined;
const getEngine = () => (engine ??= createEngine(engineTemplates()));

/** Pure: spec -> rendered files (throws InputError on an invalid spec). */
export function renderSpec(specData: unknown, previousModelText?: string, supplyChain?: SupplyChainOptions, pins?: PinSet): RenderedFile[] {
  const rendered = renderUnchecked(specData, previousModelText, supplyChain, pins);
  assertYamlParses(rendered);
  return rendered;
}

/** renderSpec without the re-parse of its YAML (the caller parses it anyway, or asserts later). */
function renderUnchecked(specData: unknown, previousModelText?: string, supplyChain?: SupplyChainOptions, pins?: PinSet): RenderedFile[] {
  const spec = validateSpec(specData);
  return renderPlan(planRepo({ spec, platform: normalize(spec, pins), previousModelText, supplyChain }), getEngine());
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

function listFiles(root: string, rel = ''): string[] {
  const dir = path.join(root, rel);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === '.git') return [];
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(root, child) : [child];
  });
}

/** The Sealed Secrets certificate: given on this run, else the one an earlier run kept in the repo. */
function supplyChainInputs(opts: RunOptions): SupplyChainOptions {
  const certPem = opts.supplyChain?.sealedSecrets?.certPem ?? readIfExists(opts.root, CERT_PATH);
  return certPem ? { ...opts.supplyChain, sealedSecrets: { ...opts.supplyChain?.sealedSecrets, certPem } } : { ...opts.supplyChain };
}

export function run(opts: RunOptions): RunResult {
  const supplyChain = supplyChainInputs(opts);
  const rendered = renderUnchecked(opts.spec, opts.previousModelText, supplyChain, opts.pins);
  // The check parses every file anyway: renderSpec's own re-parse runs only when the check is off
  // or the check saw a file that does not parse (then it throws exactly as renderSpec would).
  let check: (CheckOutcome & { cache?: CheckCache }) | undefined;
  if (opts.check === false) assertYamlParses(rendered);
  else {
    try {
      // The team's own lint config on disk wins over the one this run would seed. The cache of
      // the previous check (perf: check/cache-store.ts) makes it re-check only changed files.
      check = checkRendered(rendered, readIfExists(opts.root, LINT_CONFIG_PATH), { cache: loadCheckCache(opts.root) });
    } catch (err) {
      assertYamlParses(rendered);
      throw err;
    }
    if (check.findings.some((f) => f.rule.startsWith('parse/'))) assertYamlParses(rendered);
  }
  if (check && check.errors.length) throw new GeneratedOutputError('gitops-scaffold generated output that fails its own checks. This is a bug in the tool; nothing was written. Re-run with --no-check to write it anyway.', check.errors);

  const manifest = readManifest(opts.root);
  if (opts.refuseForeign && !opts.force) {
    const known = new Set(Object.keys(manifest?.files ?? {}));
    const foreign = listFiles(opts.root).filter((f) => !known.has(f) && f !== MANIFEST_PATH && f !== 'platform.yaml' && !f.endsWith('.orig') && !f.endsWith('.gitops-scaffold-new') && !f.startsWith(`${CACHE_DIR}/`));
    if (foreign.length)
      throw new InputError(`${opts.root} holds files gitops-scaffold did not write; nothing was written`, [
        { path: foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : ''), message: 'not generated by gitops-scaffold', fix: 'choose an empty --out folder, or pass --force to write anyway (overwritten files are backed up as .orig)' },
      ]);
  }
  const paths = new Set([...rendered.map((f) => f.path), ...Object.keys(manifest?.files ?? {})]);
  const files = new Map<string, string>();
  for (const p of paths) {
    const text = readIfExists(opts.root, p);
    if (text !== undefined) files.set(p, text);
  }
  // The merge base (the render of the previous platform.yaml) matters only for files edited by
  // hand since the tool wrote them: without such a file, the previous spec is not rendered.
  let previous: Map<string, string> | undefined;
  if (opts.previousSpec !== undefined && needsMergeBase(rendered, files, manifest) && specProblems(opts.previousSpec).length === 0) {
    try {
      // A merge base only: it is never written, so its YAML needs no re-parse; values to seal are
      // left out (sealing is randomized and sealed files are seeds, never merged).
      const base = renderUnchecked(opts.previousSpec, opts.previousModelText, { sealedSecrets: supplyChain.sealedSecrets?.certPem ? { certPem: supplyChain.sealedSecrets.certPem } : undefined }, opts.basePins ?? opts.pins);
      previous = new Map(base.map((f) => [f.path, f.content]));
    } catch {
      previous = undefined; // the old model no longer renders: no merge base, conflicts are reported instead
    }
  }
  const changes = computeChanges(rendered, { files, manifest, previous }, { force: !!opts.force });
  const conflicts = changes.filter((c) => c.kind === 'conflict');
  const noop = isNoop(changes) && !!manifest;
  const result: RunResult = { root: opts.root, changes, noop, check, conflicts, files: rendered.length };
  if (opts.dryRun) return result;
  if (!noop) result.applied = applyChanges(opts.root, changes);
  // Derived data beside the repository, after the write: a failure here costs the next run time.
  if (check?.cache) saveCheckCache(opts.root, check.cache);
  return result;
}

export type { PlatformSpec };
