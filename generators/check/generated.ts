// Checks run on generated output before it is written: the same strict schema layer, kustomize
// path checks and cross-references as `validate`, then the policy linter with the repo's lint
// config. In memory, no external tools, so every generator can afford it on every run; with the
// cache of the previous run it only re-checks what changed (incremental.ts), same findings.
// An error-level finding here is a bug in the tool: the caller aborts the write.

import type { RenderedFile } from '../plan/types.ts';
import type { Finding } from './finding.ts';
import { checkPlannedFiles } from '../validate/plan-check.ts';
import { lintResources, loadLintConfig, LintConfigError } from '../lint/index.ts';
import type { LintConfig } from '../lint/index.ts';
import { LINT_CONFIG_PATH } from '../plan/lint-config.ts';
import { simulateRendered, SIMULATE_BEFORE_WRITE } from '../simulate/rendered.ts';
import { checkerFingerprint } from './fingerprint.ts';
import { type CheckCache, checkIncremental } from './incremental.ts';
import { timed } from '../incremental/timing.ts';

export interface CheckOutcome {
  validators: string[];
  resources: number;
  errors: string[];
  warnings: string[];
  findings: Finding[];
}

const describe = (f: Finding) => `${f.file ?? ''}${f.line ? `:${f.line}` : ''} [${f.rule}] ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`;

export interface CheckOptions {
  simulate?: boolean;
  /**
   * The cache a previous check left (or an empty one): the check then runs incrementally
   * (incremental.ts), with the same findings, and the outcome carries the cache to keep.
   */
  cache?: CheckCache | null;
  /** The simulation's own cache (simulate/rendered.ts), persisted beside the check cache. */
  simCache?: Map<string, unknown>;
}

/**
 * `lintConfigText` is the repo's own `.gitops-scaffold/lint.yaml` when it exists (the team may have
 * tuned it); otherwise the config this run is about to seed.
 */
export function checkRendered(files: RenderedFile[], lintConfigText?: string, opts: CheckOptions = {}): CheckOutcome & { cache?: CheckCache } {
  if (opts.cache === undefined) return checkRenderedFull(files, lintConfigText, opts);
  const simulate = opts.simulate ?? SIMULATE_BEFORE_WRITE;
  const configText = lintConfigText ?? files.find((f) => f.path === LINT_CONFIG_PATH)?.content;
  const { config, problems: configProblems } = lintConfigOf(configText);
  const r = timed('check', () => checkIncremental({ files, lintConfig: config, lintConfigKey: JSON.stringify(config), cache: opts.cache ?? undefined, fingerprint: checkerFingerprint() }));
  if (process.env.GITOPS_SCAFFOLD_DEBUG?.split(',').includes('check'))
    process.stderr.write(`gitops-scaffold: check: ${r.checked} of ${r.manifests} manifest files checked anew, ${r.jobsRun} of ${r.jobsTotal} cross-file jobs run (cache ${opts.cache ? (opts.cache.fingerprint === r.cache.fingerprint ? 'used' : 'of another version') : 'none'})\n`);
  const simulation = simulate ? timed('simulate', () => simulateRendered(files, r.resources, r.repo, { cache: opts.simCache })) : [];
  return { ...outcome([...r.validation, ...configProblems, ...r.lint, ...simulation], r.resourceCount, simulate), cache: r.cache };
}

/** The whole check from scratch: every file parsed, every checker over everything. */
export function checkRenderedFull(files: RenderedFile[], lintConfigText?: string, opts: { simulate?: boolean } = {}): CheckOutcome {
  const sources = files.map((f) => ({ path: f.path, content: f.content }));
  const { resources, findings: validation, repo } = checkPlannedFiles(sources);
  const simulate = opts.simulate ?? SIMULATE_BEFORE_WRITE;
  const simulation = simulate ? simulateRendered(sources, resources, repo) : [];
  const configText = lintConfigText ?? files.find((f) => f.path === LINT_CONFIG_PATH)?.content;
  const { config, problems: configProblems } = lintConfigOf(configText);
  // Lint what the files say, not their kustomize builds, so each finding appears once.
  const lint = lintResources(resources.filter((r) => r.origin === 'file'), config);
  return outcome([...validation, ...configProblems, ...lint, ...simulation], resources.length, simulate);
}

function lintConfigOf(configText: string | undefined): { config: LintConfig; problems: Finding[] } {
  if (configText === undefined) return { config: {}, problems: [] };
  try {
    return { config: loadLintConfig(configText), problems: [] };
  } catch (err) {
    if (!(err instanceof LintConfigError)) throw err;
    // A broken config the user wrote must not block generation: lint with defaults and say so.
    return { config: {}, problems: [{ rule: 'lint-config', severity: 'warning', message: `${LINT_CONFIG_PATH} ignored: ${err.message}`, file: LINT_CONFIG_PATH, source: 'lint' }] };
  }
}

function outcome(findings: Finding[], resources: number, simulate: boolean): CheckOutcome {
  return {
    validators: ['yaml-parse', 'embedded-schema', 'kustomize-paths', 'xref', 'lint', ...(simulate ? ['simulate'] : [])],
    resources,
    errors: findings.filter((f) => f.severity === 'error').map(describe),
    warnings: findings.filter((f) => f.severity === 'warning').map(describe),
    findings,
  };
}
