// `gitops-scaffold lint [DIR]`: reads the manifests under the given paths, parses them once
// (check/parse.ts), lints them, and renders the report (check/format.ts). The only part of the
// linter that touches the file system; the CLI maps the result to stdout, stderr and the exit code.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CheckReport } from '../check/finding.ts';
import { formatReport, type OutputFormat, type RuleDoc } from '../check/format.ts';
import { parseSources } from '../check/parse.ts';
import type { SourceFile } from '../check/resources.ts';
import { LintConfigError, loadLintConfig } from './config.ts';
import { lintResources } from './engine.ts';
import { rules } from './registry.ts';
import type { LintConfig } from './types.ts';

export { LINT_CONFIG_FILE_NAME as LINT_CONFIG_FILE } from './paths.ts';
import { LINT_CONFIG_FILE_NAME } from './paths.ts';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'junit', 'sarif'];
const MANIFEST = /\.ya?ml$/i;

export interface LintCommandOptions {
  /** Files or folders to lint; the first one is the repo root (config, relative file names). */
  paths: string[];
  output: OutputFormat;
  /** Config file; default `<first path>/.gitops-scaffold/lint.yaml` when it exists. */
  config?: string;
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
 * YAML files under a folder, sorted. Skipped: node_modules, hidden folders (.git, .github, ...),
 * symlinks (no loops), and a Helm chart's `templates/` and `charts/` (Go templates, not manifests).
 */
async function manifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const chart = entries.some((e) => e.isFile() && e.name === 'Chart.yaml');
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.') || (chart && (e.name === 'templates' || e.name === 'charts'))) continue;
      out.push(...(await manifestFiles(p)));
    } else if (e.isFile() && MANIFEST.test(e.name)) out.push(p);
  }
  return out;
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
      config = loadLintConfig(await fs.readFile(configPath, 'utf8'));
    } catch (e) {
      if (e instanceof LintConfigError) return usage(`${configPath}: ${e.message}`);
      throw e;
    }
  }

  const files: SourceFile[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    const list = (await fs.stat(abs)).isDirectory() ? await manifestFiles(abs) : [abs];
    for (const f of list) {
      if (seen.has(f)) continue;
      seen.add(f);
      const rel = path.relative(root, f);
      // Files outside the first path (a second path elsewhere) are named from the working folder.
      const outside = rel === '..' || rel.startsWith(`..${path.sep}`);
      const name = (outside ? path.relative(process.cwd(), f) : rel).split(path.sep).join('/');
      files.push({ path: name, content: await fs.readFile(f, 'utf8') });
    }
  }

  const parsed = parseSources(files);
  const findings = [...parsed.findings.filter((f) => PARSE_RULES.has(f.rule)), ...lintResources(parsed.resources, config)];
  const report: CheckReport = {
    validators: [{ name: 'lint', ran: true, note: `${rules.length} rules${configUsed ? `, config ${path.relative(process.cwd(), configPath)}` : ''}` }],
    resources: parsed.resources.length,
    files: files.length,
    findings,
  };
  const stdout = formatReport(report, opts.output, { toolName: 'gitops-scaffold lint', rules: ruleDocs() });
  return { exitCode: findings.some((f) => f.severity === 'error') ? 1 : 0, stdout, stderr: '' };
}
