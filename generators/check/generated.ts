// Checks run on generated output before it is written: the same strict schema layer, kustomize
// path checks and cross-references as `validate`, then the policy linter with the repo's lint
// config. In memory, no external tools, so every generator can afford it on every run.
// An error-level finding here is a bug in the tool: the caller aborts the write.

import type { RenderedFile } from '../plan/types.ts';
import type { Finding } from './finding.ts';
import { checkPlannedFiles } from '../validate/plan-check.ts';
import { lintResources, loadLintConfig, LintConfigError } from '../lint/index.ts';
import type { LintConfig } from '../lint/index.ts';
import { LINT_CONFIG_PATH } from '../plan/lint-config.ts';
import { simulateRendered, SIMULATE_BEFORE_WRITE } from '../simulate/rendered.ts';

export interface CheckOutcome {
  validators: string[];
  resources: number;
  errors: string[];
  warnings: string[];
  findings: Finding[];
}

const describe = (f: Finding) => `${f.file ?? ''}${f.line ? `:${f.line}` : ''} [${f.rule}] ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`;

/**
 * `lintConfigText` is the repo's own `.gitops-scaffold/lint.yaml` when it exists (the team may have
 * tuned it); otherwise the config this run is about to seed.
 */
export function checkRendered(files: RenderedFile[], lintConfigText?: string, opts: { simulate?: boolean } = {}): CheckOutcome {
  const sources = files.map((f) => ({ path: f.path, content: f.content }));
  const { resources, findings: validation, repo } = checkPlannedFiles(sources);
  const simulate = opts.simulate ?? SIMULATE_BEFORE_WRITE;
  const simulation = simulate ? simulateRendered(sources, resources, repo) : [];
  const configText = lintConfigText ?? files.find((f) => f.path === LINT_CONFIG_PATH)?.content;
  let config: LintConfig = {};
  const configProblems: Finding[] = [];
  if (configText !== undefined) {
    try {
      config = loadLintConfig(configText);
    } catch (err) {
      if (!(err instanceof LintConfigError)) throw err;
      // A broken config the user wrote must not block generation: lint with defaults and say so.
      configProblems.push({ rule: 'lint-config', severity: 'warning', message: `${LINT_CONFIG_PATH} ignored: ${err.message}`, file: LINT_CONFIG_PATH, source: 'lint' });
    }
  }
  // Lint what the files say, not their kustomize builds, so each finding appears once.
  const lint = lintResources(resources.filter((r) => r.origin === 'file'), config);
  const findings = [...validation, ...configProblems, ...lint, ...simulation];
  return {
    validators: ['yaml-parse', 'embedded-schema', 'kustomize-paths', 'xref', 'lint', ...(simulate ? ['simulate'] : [])],
    resources: resources.length,
    errors: findings.filter((f) => f.severity === 'error').map(describe),
    warnings: findings.filter((f) => f.severity === 'warning').map(describe),
    findings,
  };
}
