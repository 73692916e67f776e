// The `helm template` command line Argo CD v3.5.1's repo-server runs for a Helm source
// (reposerver/repository helmTemplate + util/helm/cmd.go template), computed from the
// Application alone. Pure: the caller passes where this repository's files are on disk and the
// file holding inline values, and runs helm (helm.ts).
//
// What Argo CD does, and so what this does:
//   - release name: `helm.releaseName`, else the Application's name; namespace: `helm.namespace`,
//     else the source's destination namespace;
//   - value files in order, `$ref/path` resolved against the repository of the source whose
//     `ref` is `ref` (getResolvedRefValueFile), plain ones relative to the source path; then the
//     inline `valuesObject` / `values` as the last `--values` (templateOpts.ExtraValues);
//   - `parameters` as --set / --set-string, `fileParameters` as --set-file;
//   - `--include-crds` unless `skipCrds`, `--skip-tests` with `skipTests`,
//     `--skip-schema-validation` with `skipSchemaValidation`;
//   - a chart from an OCI registry is written without a scheme (`ghcr.io/acme/charts`): with
//     `oci://` in repoURL, Argo CD 3.x takes the source for an OCI artifact (ApplicationSource
//     IsOCI), not a chart (util/helm IsHelmOciRepo: no host when parsed as a URL).
import path from 'node:path';

export interface HelmSource {
  repoURL: string;
  chart?: string;
  path?: string;
  targetRevision?: string;
  helm?: any;
}

export interface HelmTemplateInput {
  appName: string;
  destinationNamespace?: string;
  source: HelmSource;
  /** Every source of the Application (to resolve `$ref/` value files). */
  sources: readonly any[];
  /** Folder of this repository on disk, for a ref or path source of this repository. */
  ownRepoRoot?: string;
  isOwnRepo(url: unknown): boolean;
  /** File holding the inline values (`valuesObject` / `values`), when there are any. */
  inlineValuesFile?: string;
}

export type HelmArgs = { ok: true; args: string[]; chartRef: string } | { ok: false; reason: string };

/** A Helm OCI repository as Argo CD 3.x spells it (no scheme, util/helm IsHelmOciRepo). */
export function isHelmOciRepo(repoURL: string): boolean {
  if (!repoURL) return false;
  try {
    return new URL(repoURL).host === '';
  } catch {
    // Go's url.Parse takes `ghcr.io/acme/charts` as a path (no scheme, no host), where the WHATWG
    // parser throws; Go fails only on control characters and spaces.
    return !/[\s\x00-\x1f\x7f]/.test(repoURL);
  }
}

/** The inline values Argo CD writes to a temporary file: `valuesObject` wins over `values`. */
export function inlineValues(helm: any): unknown | string | undefined {
  if (helm?.valuesObject && typeof helm.valuesObject === 'object' && Object.keys(helm.valuesObject).length) return helm.valuesObject;
  if (typeof helm?.values === 'string' && helm.values.trim()) return helm.values;
  return undefined;
}

export function helmTemplateArgs(input: HelmTemplateInput): HelmArgs {
  const { source } = input;
  const h = source.helm ?? {};
  const args: string[] = ['template'];
  let chartRef: string;
  let chartDir: string | undefined;
  if (source.chart) {
    if (isHelmOciRepo(source.repoURL)) chartRef = `oci://${source.repoURL.replace(/\/+$/, '')}/${source.chart}`;
    else chartRef = source.chart;
  } else if (input.isOwnRepo(source.repoURL) && input.ownRepoRoot && typeof source.path === 'string') {
    chartDir = path.join(input.ownRepoRoot, source.path);
    chartRef = chartDir;
  } else return { ok: false, reason: 'a Helm chart in another Git repository (not read offline)' };
  args.push(chartRef, '--name-template', h.releaseName || input.appName);
  const namespace = h.namespace || input.destinationNamespace;
  if (namespace) args.push('--namespace', namespace);
  for (const p of Array.isArray(h.parameters) ? h.parameters : []) if (p?.name && !p.forceString) args.push('--set', `${p.name}=${p.value ?? ''}`);
  for (const p of Array.isArray(h.parameters) ? h.parameters : []) if (p?.name && p.forceString) args.push('--set-string', `${p.name}=${p.value ?? ''}`);
  const refs = new Map<string, any>();
  for (const s of input.sources) if (typeof s?.ref === 'string' && s.ref) refs.set(`$${s.ref}`, s);
  const resolve = (file: string): { path?: string; reason?: string } => {
    if (/^https?:\/\//i.test(file)) return { path: file };
    if (file.startsWith('$')) {
      const ref = refs.get(file.split('/')[0]);
      if (!ref) return { reason: `value file ${file} names no source with ref ${file.split('/')[0].slice(1)}` };
      if (!input.isOwnRepo(ref.repoURL) || !input.ownRepoRoot) return { reason: `value file ${file} is in another repository (not read offline)` };
      const rel = file.slice(file.indexOf('/') + 1);
      const abs = path.resolve(input.ownRepoRoot, rel);
      if (!abs.startsWith(path.resolve(input.ownRepoRoot) + path.sep)) return { reason: `value file ${file} leaves the repository` };
      return { path: abs };
    }
    if (!chartDir) return { reason: `value file ${file} is relative to a chart not in this repository` };
    return { path: path.resolve(chartDir, file) };
  };
  for (const p of Array.isArray(h.fileParameters) ? h.fileParameters : []) {
    if (!p?.name || typeof p.path !== 'string') continue;
    const r = resolve(p.path);
    if (!r.path) return { ok: false, reason: r.reason! };
    args.push('--set-file', `${p.name}=${r.path}`);
  }
  for (const f of Array.isArray(h.valueFiles) ? h.valueFiles : []) {
    if (typeof f !== 'string') continue;
    const r = resolve(f);
    if (!r.path) return { ok: false, reason: r.reason! };
    args.push('--values', r.path);
  }
  if (input.inlineValuesFile) args.push('--values', input.inlineValuesFile);
  for (const v of Array.isArray(h.apiVersions) ? h.apiVersions : []) if (typeof v === 'string') args.push('--api-versions', v);
  if (!h.skipCrds) args.push('--include-crds');
  if (h.skipSchemaValidation) args.push('--skip-schema-validation');
  if (h.skipTests) args.push('--skip-tests');
  if (source.chart) {
    if (source.targetRevision) args.push('--version', source.targetRevision);
    if (!isHelmOciRepo(source.repoURL)) args.push('--repo', source.repoURL);
  }
  return { ok: true, args, chartRef };
}
