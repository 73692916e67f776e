// `gitops-scaffold validate [DIR]`: every layer over a folder on disk, one report. Returns what
// to print and the exit code (0 clean, 1 an error-level finding, 2 usage error); prints nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { CheckReport, Finding } from '../check/finding.ts';
import { formatReport, type OutputFormat } from '../check/format.ts';
import { type KustomizeBuildResult, buildKustomizations, findKustomizeTool } from './kustomize-build.ts';
import { kubeconformVersion, runKubeconform } from './kubeconform.ts';
import { classifyManifests, pipelineResult, runChecks, type runPipeline } from './pipeline.ts';
import { idleSince, type ParallelChecks, startParallelChecks, wantsWorker } from './parallel.ts';
import { readRepoFiles } from './repo-files.ts';
import { validateSchemas } from './schema-layer.ts';
import { ensureSchemas } from './schema-store.ts';
import { silentProgress, type Progress } from '../io/progress.ts';
import { reportTimes, timed, timedAsync } from '../incremental/timing.ts';
import { raiseInterruptBudget } from './v8-tuning.ts';
import { cacheRoot } from './cache-dir.ts';
import { onPath } from './kustomize/tool.ts';
import { loadCachedReport, reportCacheFile, reportKey, saveCachedReport } from './report-cache.ts';

export interface ValidateOptions {
  paths: string[];
  output: OutputFormat;
  kubeconform: 'auto' | 'always' | 'never';
  /** Build kustomizations with kustomize / kubectl kustomize when one is installed. */
  kustomize: boolean;
  repoUrl?: string;
  skip?: string[];
  reject?: string[];
  ignoreMissingSchemas?: boolean;
  /** kubeconform -ignore-filename-pattern (regular expressions on repo-relative paths). */
  ignoreFilenamePatterns?: string[];
  /** Run the offline simulation of Argo CD (generators/simulate); the CLI turns it on unless --no-simulate. */
  simulate?: boolean;
  /** Render Helm chart sources with helm template when helm is installed (default true). */
  helm?: boolean;
  /** Progress of each phase (generators/io/progress.ts); silent when absent. */
  progress?: Progress;
  /** Environment for the external tools (tests put fakes on PATH). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** false (--no-cache): neither read nor write the report cache (report-cache.ts). */
  cache?: boolean;
}

export interface CommandResult {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

const FORMATS = ['text', 'json', 'junit', 'sarif'];
const usage = (message: string): CommandResult => ({ exitCode: 2, stdout: '', stderr: `gitops-scaffold validate: ${message}\n` });

export async function validateCommand(opts: ValidateOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const paths = opts.paths.length ? opts.paths : ['.'];
  if (!FORMATS.includes(opts.output)) return usage(`unknown --output "${opts.output}" (use ${FORMATS.join(', ')})`);
  if (!['auto', 'always', 'never'].includes(opts.kubeconform)) return usage(`unknown --kubeconform "${opts.kubeconform}" (use auto, always or never)`);
  const missing = paths.filter((p) => !fs.existsSync(path.resolve(cwd, p)));
  if (missing.length) return usage(`no such file or folder: ${missing.join(', ')}`);
  for (const p of opts.ignoreFilenamePatterns ?? []) {
    try {
      new RegExp(p);
    } catch {
      return usage(`--ignore-filename-pattern "${p}" is not a valid regular expression`);
    }
  }
  const kcVersion = opts.kubeconform === 'never' ? undefined : await kubeconformVersion(env);
  if (opts.kubeconform === 'always' && !kcVersion) return usage('--kubeconform always, but kubeconform is not on PATH (install it, or use --kubeconform auto)');

  const progress = opts.progress ?? silentProgress;
  try {
    return await validateWith(opts, paths, cwd, env, kcVersion, progress);
  } finally {
    progress.done();
  }
}

async function validateWith(opts: ValidateOptions, paths: string[], cwd: string, env: NodeJS.ProcessEnv, kcVersion: string | undefined, progress: Progress): Promise<CommandResult> {
  raiseInterruptBudget(); // the command line's one-shot run: v8-tuning.ts
  ensureSchemas();
  progress.start('reading files');
  // A large repository is checked on both cores (parallel.ts): the worker starts before the
  // files are read and gets their bytes; the main thread parses and simulates meanwhile.
  let parallel: ParallelChecks | undefined;
  const machine = idleSince();
  const files = timed('read', () => readRepoFiles(paths, cwd, { shared: (n) => wantsWorker(n, env, machine()) && (parallel = startParallelChecks(opts)) !== undefined }));
  // The report of an earlier validate of the very same files, options and tool (report-cache.ts).
  const cacheFile = opts.cache === false ? undefined : reportCacheFile(files.root, paths, cwd, opts.output, cacheRoot(env));
  // Whether helm is on PATH is part of the key: without it, chart sources are reported as not rendered.
  const helmOnPath = opts.helm !== false && !!onPath('helm', env);
  const key = cacheFile ? timed('report-key', () => reportKey(files, opts, kcVersion, helmOnPath, (f) => readPlainFile(path.join(files.root, f)))) : undefined;
  const hit = key ? loadCachedReport(cacheFile, key) : undefined;
  if (hit) {
    parallel?.stop();
    reportTimes('validate');
    return { exitCode: hit.exitCode, stdout: hit.stdout, stderr: '' };
  }
  if (parallel && files.bytes) parallel.send({ paths: files.manifests.map((m) => m.path), offsets: files.bytes.offsets, bytes: files.bytes.buffer, all: files.all });
  progress.start('checking resources', files.manifests.length);
  const classified = classifyManifests(files.manifests, files.all, opts);
  // The simulation reads only the parsed resources and the index: with a worker it runs while
  // the worker checks; its findings still come after the checks' (the report's order).
  const simulate = async () => {
    progress.start('simulating Argo CD');
    const { simulateValidated } = await import('../simulate/on-disk.ts');
    return timed('simulate', () => simulateValidated(classified, files.root, opts.repoUrl, files.manifests));
  };
  const early = parallel && opts.simulate ? await simulate() : undefined;
  const checks = (parallel && (await timedAsync('wait-worker', () => parallel!.result()))) || runChecks(classified, opts);
  const result = pipelineResult(classified, checks, opts);
  const findings: Finding[] = [...result.findings];
  const validators: CheckReport['validators'] = [];

  validators.push({
    name: 'embedded-schema',
    ran: true,
    note: `strict schemas from npm packages${result.handSchemaKinds.length ? `; best-effort hand schema for ${result.handSchemaKinds.join(', ')}` : ''}`,
  });

  // kustomize: build with the real tool when asked and available; the path checks ran anyway.
  let build: KustomizeBuildResult | undefined;
  const kustomizations = result.repo.kustomizations.size;
  if (kustomizations === 0) validators.push({ name: 'kustomize', ran: false, note: 'no kustomization in the checked folders' });
  else {
    const tool = opts.kustomize ? await findKustomizeTool(env) : undefined;
    if (tool) {
      const texts = new Map(files.manifests.map((m) => [m.path, m.content]));
      const read = (file: string) => texts.get(file) ?? readQuietly(path.join(files.root, file));
      progress.start(`building kustomizations (${tool.name})`);
      build = await buildKustomizations(files.root, result.repo, tool, { env, read, onProgress: (done, total) => progress.update(done, total) });
      mergeBuildFailures(findings, build.findings);
      findings.push(...builtSchemaFindings(build, result, findings));
      const how = [build.cached ? `${build.cached} from the build cache` : '', build.covered ? (build.covered === 1 ? '1 base built through its overlays' : `${build.covered} bases built through their overlays`) : ''].filter(Boolean).join(', ');
      validators.push({ name: 'kustomize', ran: true, note: `${tool.name}: ${build.built} built${how ? ` (${how})` : ''}, ${build.remoteSkipped} with remote bases skipped; referenced paths checked` });
    } else {
      const why = opts.kustomize ? 'neither kustomize nor kubectl is installed' : 'builds disabled';
      validators.push({ name: 'kustomize', ran: true, note: `${why}: referenced local paths checked, ${result.remoteKustomizeRefs} remote refs skipped` });
    }
  }
  validators.push({ name: 'xref', ran: true });
  // Helm sources rendered with helm template when helm is installed (generators/manifests).
  const { checkChartSources } = await import('../manifests/validate-charts.ts');
  const charts = await checkChartSources({
    resources: result.resources,
    root: files.root,
    model: () => chartModel(result, files.root, opts.repoUrl),
    read: (file) => readQuietly(path.join(files.root, file))?.toString('utf8'),
    schemaOptions: result.schemaOptions,
    env,
    enabled: opts.helm !== false,
  });
  findings.push(...charts.findings);
  validators.push(charts.validator);
  if (opts.simulate) {
    const sim = early ?? (await simulate());
    findings.push(...sim.findings);
    validators.push({ name: 'simulate', ran: sim.ran, note: sim.note });
  } else validators.push({ name: 'simulate', ran: false, note: 'skipped (--no-simulate)' });

  if (kcVersion) {
    progress.start('kubeconform');
    const kc = await runKubeconform({
      paths: paths.map((p) => p),
      root: files.root,
      skip: opts.skip,
      reject: opts.reject,
      ignoreMissingSchemas: opts.ignoreMissingSchemas,
      ignoreFiles: [...result.patchFiles, ...result.dataFiles, ...result.ignoredFiles],
      resources: result.resources,
      env,
    });
    findings.push(...kc.findings);
    validators.push({ name: 'kubeconform', ran: true, note: `${kcVersion}${kc.summary ? `: valid ${kc.summary.valid}, invalid ${kc.summary.invalid}, errors ${kc.summary.errors}, skipped ${kc.summary.skipped}` : ''}` });
  } else {
    validators.push({ name: 'kubeconform', ran: false, note: opts.kubeconform === 'never' ? 'disabled (--kubeconform never)' : 'not installed' });
  }

  const report: CheckReport = { validators, resources: result.documents, files: result.manifestFiles, findings };
  const stdout = timed('format', () => formatReport(report, opts.output, { toolName: 'gitops-scaffold validate' }));
  reportTimes('validate');
  const errors = findings.some((f) => f.severity === 'error');
  // Stored only when the report is a function of the files, the options and helm's absence from
  // PATH alone: no kubeconform, no kustomize build possible, no Helm chart source rendered (nor
  // left unrendered by a helm on PATH that failed to start).
  const pure = !kcVersion && !build && !(kustomizations > 0 && opts.kustomize) && !charts.validator.ran && !(helmOnPath && charts.validator.note.startsWith('helm is not installed'));
  if (key && pure) saveCachedReport(cacheFile, key, { exitCode: errors ? 1 : 0, stdout });
  return { exitCode: errors ? 1 : 0, stdout, stderr: '' };
}

/** The repository model for the Helm check (every Application, ApplicationSets expanded), loaded only when a chart is there. */
async function chartModel(result: ReturnType<typeof runPipeline>, root: string, repoUrl?: string) {
  const [{ buildRepoModel }, { diskReader }, { defaultExpander }] = await Promise.all([import('../simulate/model.ts'), import('../simulate/on-disk.ts'), import('../simulate/expander.ts')]);
  return buildRepoModel({ resources: result.resources, repo: result.repo, read: diskReader(root), repoUrl, expand: defaultExpander() });
}

/** A regular file's bytes (never a FIFO's or a device's: reading one may block or never end). */
function readPlainFile(file: string): Buffer | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? readQuietly(file) : undefined;
}

function readQuietly(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * A kustomization with a missing path fails to build, and the path check already said where:
 * the tool's error text is added to that finding instead of repeating it.
 */
function mergeBuildFailures(findings: Finding[], failures: Finding[]) {
  for (const f of failures) {
    const pathFinding = findings.find((p) => p.rule === 'kustomize/missing-path' && p.file === f.file);
    if (pathFinding) pathFinding.message += ` (${f.message.slice(f.message.indexOf(':') + 2)})`;
    else findings.push(f);
  }
}

/** Schema findings in what the kustomizations build, minus those the source files already show. */
function builtSchemaFindings(build: KustomizeBuildResult, source: ReturnType<typeof runPipeline>, existing: Finding[]): Finding[] {
  const key = (f: Finding) => `${f.rule}|${f.resource?.kind}|${f.path}|${f.message.replace(f.resource?.name ?? '\0', '')}`;
  const seen = new Set(existing.map(key));
  const built = validateSchemas(build.resources, { ...source.schemaOptions, partialFiles: new Set() });
  return built.findings
    .filter((f) => {
      const k = key(f);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((f) => ({ ...f, source: 'kustomize', message: `${f.message} (in the output of ${build.tool?.name} ${f.file?.replace(/\/?[^/]*$/, '') || '.'})` }));
}
