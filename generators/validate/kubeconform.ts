// Runs the real kubeconform when it is installed, against the strict schemas exported to a
// temporary folder, and folds its JSON report into the same findings as the embedded validator.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Finding } from '../check/finding.ts';
import { pointerToDotted } from '../check/parse.ts';
import type { ParsedResource } from '../check/resources.ts';
import { exportSchemas, kubeconformArgs } from './export-schemas.ts';

export interface KubeconformOptions {
  /** Files and folders to validate, absolute or relative to `cwd`. */
  paths: string[];
  /** Folder that file names in findings are relative to. */
  root: string;
  skip?: readonly string[];
  reject?: readonly string[];
  ignoreMissingSchemas?: boolean;
  /** Files kubeconform must not read (kustomize patches and data files), relative to root. */
  ignoreFiles?: readonly string[];
  /** Parsed resources, to put line numbers on kubeconform's findings. */
  resources?: readonly ParsedResource[];
  env?: NodeJS.ProcessEnv;
}

export interface KubeconformResult {
  findings: Finding[];
  summary?: { valid: number; invalid: number; errors: number; skipped: number };
  version?: string;
}

interface KubeconformJson {
  resources?: { filename: string; kind: string; name: string; version: string; status: string; msg: string; validationErrors?: { path: string; msg: string }[] }[];
  summary?: { valid: number; invalid: number; errors: number; skipped: number };
}

/** `kubeconform -v` output (e.g. `v0.7.0`), or undefined when it is not on PATH. */
export async function kubeconformVersion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const { stdout } = await execa('kubeconform', ['-v'], { env, timeout: 15_000, stdin: 'ignore' });
    return stdout.trim() || 'unknown version';
  } catch {
    return undefined;
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function runKubeconform(opts: KubeconformOptions): Promise<KubeconformResult> {
  const schemaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-kubeconform-'));
  try {
    await exportSchemas(schemaDir);
    const args = [...kubeconformArgs(schemaDir), '-summary', '-output', 'json'];
    const skip = [...(opts.skip ?? [])];
    if (skip.length) args[args.indexOf('-skip') + 1] += ',' + skip.join(',');
    if (opts.reject?.length) args.push('-reject', opts.reject.join(','));
    if (opts.ignoreMissingSchemas) args.push('-ignore-missing-schemas');
    // Hidden folders (.github, .git) hold no manifests; patches and data files are not resources.
    args.push('-ignore-filename-pattern', '(^|/)\\.[^/]+/');
    for (const f of opts.ignoreFiles ?? []) args.push('-ignore-filename-pattern', `(^|/)${escapeRe(f)}$`);
    args.push(...opts.paths);
    const run = await execa('kubeconform', args, { env: opts.env, cwd: opts.root, reject: false, timeout: 600_000, stdin: 'ignore' });
    let report: KubeconformJson;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      return { findings: [toolError(`kubeconform exited ${run.exitCode} without a JSON report: ${(run.stderr || run.stdout).trim().slice(0, 500)}`)] };
    }
    return { findings: (report.resources ?? []).flatMap((r) => toFindings(r, opts)), summary: report.summary };
  } finally {
    fs.rmSync(schemaDir, { recursive: true, force: true });
  }
}

function toolError(message: string): Finding {
  return { rule: 'kubeconform/tool-error', severity: 'error', source: 'kubeconform', message: `kubeconform: ${message}`, fix: 'Run kubeconform by hand with the command in `gitops-scaffold schemas export` and check its error.' };
}

function toFindings(r: NonNullable<KubeconformJson['resources']>[number], opts: KubeconformOptions): Finding[] {
  if (r.status !== 'statusInvalid' && r.status !== 'statusError') return [];
  const file = path.isAbsolute(r.filename) ? path.relative(opts.root, r.filename) : path.normalize(r.filename);
  const rel = file.split(path.sep).join('/');
  const match = opts.resources?.find((p) => p.file === rel && p.obj?.kind === r.kind && (p.obj?.metadata?.name ?? '') === r.name);
  const resource = { apiVersion: r.version, kind: r.kind, name: r.name };
  const base = { source: 'kubeconform', file: rel, resource };
  if (r.status === 'statusError')
    return [{ ...base, rule: 'kubeconform/error', severity: 'error', line: match?.line, message: `kind: ${r.msg}`, fix: 'Fix the resource so kubeconform can read it (see the message).' }];
  const errors = r.validationErrors?.length ? r.validationErrors : [{ path: '', msg: r.msg }];
  return errors.map((e) => ({
    ...base,
    rule: 'kubeconform/invalid',
    severity: 'error' as const,
    path: e.path || '/',
    line: match?.lineOf?.(e.path) ?? match?.line,
    message: `${pointerToDotted(e.path)}: ${e.msg}`,
    fix: 'Fix the field kubeconform names (it validated against the same strict schemas).',
  }));
}
