// validate's Helm check: every Helm source an Application (written or generated) deploys is
// rendered with `helm template` as Argo CD's repo-server runs it (helm-args.ts) and what it
// renders goes through the strict schema layer, as kustomize output does. helm needs the chart,
// so this reaches the chart repository: without helm (or with --no-helm) validate says how many
// chart sources it did not render, and a chart that cannot be fetched counts as not rendered,
// not as a failure. Renders are shared by Applications that would run the same command.
import { createHash } from 'node:crypto';
import type { Finding } from '../check/finding.ts';
import type { ParsedResource } from '../check/resources.ts';
import type { AppRecord, RepoModel } from '../simulate/model.ts';
import { isOwnRepo, sourcesOf } from '../simulate/model.ts';
import { validateSchemas, type SchemaLayerOptions } from '../validate/schema-layer.ts';
import { helmTemplateArgs, inlineValues } from './helm-args.ts';
import { findHelm, helmTemplate } from './helm.ts';

export interface ChartCheckInput {
  resources: readonly ParsedResource[];
  root: string;
  /** The repository model (expanded Applications), built only when there is a chart to render. */
  model: () => Promise<RepoModel>;
  read: (file: string) => string | undefined;
  schemaOptions: SchemaLayerOptions;
  env: NodeJS.ProcessEnv;
  /** --no-helm */
  enabled: boolean;
}

export interface ChartCheckResult {
  validator: { name: 'helm'; ran: boolean; note: string };
  findings: Finding[];
}

const specOf = (r: ParsedResource) => (r.obj?.kind === 'Application' ? r.obj?.spec : r.obj?.kind === 'ApplicationSet' ? r.obj?.spec?.template?.spec : undefined);

/** Chart sources written in the repository (one per Application or ApplicationSet template). */
export function countChartSources(resources: readonly ParsedResource[]): number {
  let n = 0;
  for (const r of resources) if (r.origin === 'file') for (const { source } of sourcesOf(specOf(r))) if (source?.chart) n++;
  return n;
}

export async function checkChartSources(input: ChartCheckInput): Promise<ChartCheckResult> {
  const written = countChartSources(input.resources);
  if (!written) return { validator: { name: 'helm', ran: false, note: 'no Helm chart source' }, findings: [] };
  const tool = input.enabled ? await findHelm(input.env) : undefined;
  if (!tool) return { validator: { name: 'helm', ran: false, note: `${input.enabled ? 'helm is not installed' : 'turned off (--no-helm)'}: ${written} chart source${written === 1 ? '' : 's'} not rendered` }, findings: [] };

  const model = await input.model();
  const isOwn = (u: unknown) => isOwnRepo(model, u);
  // What makes two renders the same: the command line, with inline values by content and the
  // value files by what they hold.
  const jobs = new Map<string, { app: AppRecord; source: any; sources: any[]; apps: string[] }>();
  for (const app of model.applications) {
    const sources = sourcesOf(app.manifest?.spec).map((s) => s.source);
    for (const source of sources) {
      if (!source?.chart) continue;
      const args = helmTemplateArgs({ appName: app.name, destinationNamespace: app.manifest?.spec?.destination?.namespace, source, sources, ownRepoRoot: input.root, isOwnRepo: isOwn });
      const values = inlineValues(source.helm);
      const files = args.ok ? args.args.filter((_, i) => args.args[i - 1] === '--values').map((f) => (f.startsWith(input.root) ? input.read(f.slice(input.root.length + 1)) ?? '' : f)) : [];
      const key = createHash('sha256').update(JSON.stringify([args.ok ? args.args : args.reason, values ?? null, files])).digest('hex');
      const job = jobs.get(key);
      if (job) job.apps.push(app.name);
      else jobs.set(key, { app, source, sources, apps: [app.name] });
    }
  }

  const findings: Finding[] = [];
  let rendered = 0;
  const notFetched: string[] = [];
  const outputs: ParsedResource[] = [];
  const what = (s: any) => `chart ${s.chart}@${s.targetRevision ?? '?'}`;
  for (const job of jobs.values()) {
    const { app, source, sources } = job;
    const out = await helmTemplate(tool, { appName: app.name, destinationNamespace: app.manifest?.spec?.destination?.namespace, source, sources, ownRepoRoot: input.root, isOwnRepo: isOwn }, input.env);
    const apps = job.apps.length > 1 ? `${job.apps[0]} (and ${job.apps.length - 1} more)` : job.apps[0];
    if (out.ok) {
      rendered++;
      out.docs.forEach((obj, docIndex) => {
        if (obj && typeof obj === 'object') outputs.push({ file: app.file, docIndex, line: app.line ?? 1, obj, origin: 'helm-template', lineOf: undefined });
      });
      continue;
    }
    if (out.offline) notFetched.push(`${what(source)}: ${out.error}`);
    else
      findings.push({
        rule: 'helm/template-failed',
        severity: 'error',
        source: 'helm',
        file: app.file,
        ...(app.line ? { line: app.line } : {}),
        message: `Application ${apps}: helm template of ${what(source)} from ${source.repoURL} failed: ${out.error}; the repo-server fails the same way (ComparisonError)`,
        fix: 'Fix the chart version, the values or the value files the Application names.',
      });
  }
  // The rendered objects through the strict schemas; kinds the chart itself defines have none.
  const seen = new Set<string>();
  for (const f of validateSchemas(outputs, { ...input.schemaOptions, ignoreMissingSchemas: true, partialFiles: new Set() }).findings) {
    const k = `${f.file}|${f.rule}|${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    findings.push({ ...f, source: 'helm', message: `${f.message} (in the output of helm template)` });
  }
  const note = `${tool.name}: ${rendered} chart render${rendered === 1 ? '' : 's'} for ${[...jobs.values()].reduce((n, j) => n + j.apps.length, 0)} Applications${notFetched.length ? `; ${notFetched.length} not fetched (${notFetched[0]})` : ''}`;
  return { validator: { name: 'helm', ran: true, note }, findings };
}
