// `gitops-scaffold lint [DIR]`: reads the manifests under the given paths exactly as `validate`
// does (validate/repo-files.ts walks, validate/pipeline.ts classifyManifests selects and parses
// once), lints them, and renders the report (check/format.ts). The only part of the
// linter that touches the file system; the CLI maps the result to stdout, stderr and the exit code.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CheckReport } from '../check/finding.ts';
import { formatReport, type OutputFormat, type RuleDoc } from '../check/format.ts';
import { classifyManifests } from '../validate/pipeline.ts';
import { readRepoFiles } from '../validate/repo-files.ts';
import { LintConfigError, loadLintConfig } from './config.ts';
import { lintResources } from './engine.ts';
import { rules } from './registry.ts';
import type { LintConfig } from './types.ts';

export { LINT_CONFIG_FILE_NAME as LINT_CONFIG_FILE } from './paths.ts';
import { LINT_CONFIG_FILE_NAME } from './paths.ts';
import { silentProgress, type Progress } from '../io/progress.ts';
import { INPUT_LIMITS, readInputFile } from '../io/input.ts';
import { InputError, formatProblem } from '../model/errors.ts';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'junit', 'sarif'];

export interface LintCommandOptions {
  /** Files or folders to lint; the first one is the repo root (config, relative file names). */
  paths: string[];
  output: OutputFormat;
  /** Config file; default `<first path>/.gitops-scaffold/lint.yaml` when it exists. */
  config?: string;
  /** Progress of reading and linting (generators/io/progress.ts); silent when absent. */
  progress?: Progress;
}

export interface LintCommandResult {
  /** 0 clean (or only warnings/info), 1 error-level findings, 2 usage error. */
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

const usage = (message: string): LintCommandResult => ({ exitCode: 2, stdout: '', stderr: `gitops-scaffold lint: ${message}\n` });

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

/**
 * Parse findings that matter to the linter: unreadable YAML. Files without kind or apiVersion
 * (Helm values, CI configs, kustomize patches) are simply not manifests here.
 */
const PARSE_RULES = new Set(['parse/syntax', 'parse/duplicate-key']);

/** Rule documentation for SARIF `tool.driver.rules`. */
const ruleDocs = (): Record<string, RuleDoc> => Object.fromEntries(rules.map((r) => [r.id, { description: `${r.name}: ${r.description}` }]));

export async function lintCommand(opts: LintCommandOptions): Promise<LintCommandResult> {
  if (!FORMATS.includes(opts.output)) return usage(`unknown output "${opts.output}" (use ${FORMATS.join(', ')})`);
  const paths = opts.paths.length ? opts.paths : ['.'];
  for (const p of paths) if (!(await exists(p))) return usage(`no such file or folder: ${p}`);
  const first = path.resolve(paths[0]);
  const root = (await fs.stat(first)).isDirectory() ? first : path.dirname(first);

  let config: LintConfig = {};
  const configPath = opts.config ?? path.join(root, LINT_CONFIG_FILE_NAME);
  if (opts.config !== undefined && !(await exists(opts.config))) return usage(`config file not found: ${opts.config}`);
  const configUsed = await exists(configPath);
  if (configUsed) {
    try {
      // A person's file: regular and size-capped (a FIFO or /dev/zero there never hangs lint).
      config = loadLintConfig(readInputFile(configPath, 'lint config', opts.config !== undefined ? '--config' : LINT_CONFIG_FILE_NAME, INPUT_LIMITS.lintConfig));
    } catch (e) {
      if (e instanceof LintConfigError) return usage(`${configPath}: ${e.message}`);
      if (e instanceof InputError) return usage(e.problems.map(formatProblem).join('; '));
      throw e;
    }
  }

  // The same files, parsed and selected the same way as `validate` (one walker, one count).
  const progress = opts.progress ?? silentProgress;
  progress.start('reading files');
  const files = readRepoFiles(paths);
  progress.start(`linting ${files.manifests.length} files`);
  const manifests = classifyManifests(files.manifests, files.all);
  const findings = [...manifests.parseFindings.filter((f) => PARSE_RULES.has(f.rule)), ...lintResources(manifests.resources, config)];
  progress.done();
  const report: CheckReport = {
    validators: [{ name: 'lint', ran: true, note: `${rules.length} rules${configUsed ? `, config ${path.relative(process.cwd(), configPath)}` : ''}` }],
    resources: manifests.documents,
    files: manifests.manifestFiles,
    findings,
  };
  const stdout = formatReport(report, opts.output, { toolName: 'gitops-scaffold lint', rules: ruleDocs() });
  return { exitCode: findings.some((f) => f.severity === 'error') ? 1 : 0, stdout, stderr: '' };
}
