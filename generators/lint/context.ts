// Builds the LintContext: indexes over the parsed repo, the namespace resolver (a GitOps repo
// rarely writes metadata.namespace; kustomize or the Argo CD Application supplies it), and the
// production matcher.

import path from 'node:path';
import type { ParsedResource } from '../check/resources.ts';
import type { LintConfig, LintContext, LintOptions } from './types.ts';
import { asArray, asObj, isObj, isTemplated, labelsOf, str, type Obj } from './util/values.ts';

/**
 * `prod` or `production` as a word of its own (`payments-prod`, `overlays/prod`, `prod-eu`), but
 * not `product`, `preprod`, `non-prod` or `pre-prod`.
 */
export const DEFAULT_PRODUCTION_MATCH = ['(?<![a-z0-9])(?<!non-)(?<!pre-)prod(uction)?(?![a-z0-9])'];
export const DEFAULT_PRODUCTION_LABEL_KEYS = ['env', 'environment', 'stage'];

export function resolveOptions(config: LintConfig = {}): LintOptions {
  return {
    production: {
      match: config.production?.match ?? DEFAULT_PRODUCTION_MATCH,
      labelKeys: config.production?.labelKeys ?? DEFAULT_PRODUCTION_LABEL_KEYS,
    },
    argocdNamespace: config.argocdNamespace ?? 'argocd',
    adminProjects: config.adminProjects ?? [],
    adminRoles: config.adminRoles ?? ['role:admin'],
  };
}

const posix = path.posix;
const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const REMOTE_REF = /^(https?:\/\/|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)/;

const isKustomization = (r: ParsedResource) =>
  KUSTOMIZATION_FILE.test(r.file) &&
  (r.obj?.kind === undefined || r.obj?.kind === 'Kustomization' || r.obj?.kind === 'Component');

/**
 * Namespaces per file, as kustomize would set them: the outermost kustomization with a
 * `namespace` wins (kustomize applies the outer namespace transformer last). A base shared by
 * several overlays lands in every overlay's namespace.
 */
function kustomizeNamespaces(all: readonly ParsedResource[]): Map<string, Set<string>> {
  const kusts = new Map<string, Obj>(); // folder -> kustomization
  for (const r of all) if (isKustomization(r) && isObj(r.obj)) kusts.set(posix.dirname(r.file), r.obj);
  const fileNs = new Map<string, Set<string>>();
  const included = new Set<string>();
  const entriesOf = (k: Obj) => [...asArray(k.resources), ...asArray(k.bases), ...asArray(k.components)].filter((e) => typeof e === 'string' && !REMOTE_REF.test(e)) as string[];
  for (const [dir, k] of kusts) for (const e of entriesOf(k)) {
    const target = posix.normalize(posix.join(dir, e));
    if (kusts.has(target)) included.add(target);
  }
  const walk = (dir: string, outer: string | undefined, seen: Set<string>) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const k = kusts.get(dir)!;
    const ns = outer ?? str(k.namespace);
    for (const e of entriesOf(k)) {
      const target = posix.normalize(posix.join(dir, e));
      if (kusts.has(target)) walk(target, ns, seen);
      else if (ns) {
        if (!fileNs.has(target)) fileNs.set(target, new Set());
        fileNs.get(target)!.add(ns);
      }
    }
    seen.delete(dir);
  };
  for (const dir of kusts.keys()) if (!included.has(dir)) walk(dir, undefined, new Set());
  return fileNs;
}

/** Folder -> destination namespaces of Applications whose (literal) source path is that folder. */
function applicationNamespaces(apps: readonly ParsedResource[]): Map<string, { ns: string; recurse: boolean }[]> {
  const out = new Map<string, { ns: string; recurse: boolean }[]>();
  for (const app of apps) {
    const spec = asObj(app.obj.spec);
    const ns = str(asObj(spec.destination).namespace);
    if (!ns || isTemplated(ns)) continue;
    for (const src of [spec.source, ...asArray(spec.sources)].filter(isObj)) {
      const p = str(src.path);
      if (p === undefined || isTemplated(p)) continue;
      const dir = posix.normalize(p).replace(/\/$/, '') || '.';
      const list = out.get(dir) ?? [];
      list.push({ ns, recurse: asObj(src.directory).recurse === true });
      out.set(dir, list);
    }
  }
  return out;
}

export function buildContext(
  input: readonly ParsedResource[],
  config: LintConfig = {},
  ruleRef: LintContext['ruleRef'] = () => undefined,
): LintContext {
  const options = resolveOptions(config);
  const resources = input.filter((r) => isObj(r.obj) && typeof r.obj.kind === 'string');
  const byKind = new Map<string, ParsedResource[]>();
  for (const r of resources) {
    const list = byKind.get(r.obj.kind) ?? [];
    list.push(r);
    byKind.set(r.obj.kind, list);
  }
  const ofKind = (...kinds: string[]) => kinds.flatMap((k) => byKind.get(k) ?? []);
  const configMap = (name: string) => ofKind('ConfigMap').find((r) => r.obj.metadata?.name === name);

  let fileNs: Map<string, Set<string>> | undefined;
  let appNs: Map<string, { ns: string; recurse: boolean }[]> | undefined;
  const namespacesOf = (r: ParsedResource): string[] => {
    fileNs ??= kustomizeNamespaces(input);
    const fromKustomize = fileNs.get(posix.normalize(r.file));
    if (fromKustomize?.size) return [...fromKustomize].sort();
    const own = str(r.obj?.metadata?.namespace);
    if (own) return [own];
    appNs ??= applicationNamespaces(ofKind('Application'));
    const dir = posix.dirname(r.file);
    const found = new Set<string>();
    for (const [appDir, entries] of appNs) for (const e of entries)
      if (dir === appDir || (e.recurse && (appDir === '.' || dir.startsWith(appDir + '/')))) found.add(e.ns);
    return [...found].sort();
  };

  const matchers = options.production.match.map((m) => new RegExp(m, 'i'));
  const isProductionName = (text: string | undefined) => !!text && matchers.some((m) => m.test(text));
  const envLabelValues = (obj: Obj) =>
    Object.entries(labelsOf(obj))
      .filter(([k]) => options.production.labelKeys.includes(k.split('/').pop()!))
      .map(([, v]) => str(v));

  const appStrings = (obj: Obj, file: string): (string | undefined)[] => {
    const spec = asObj(obj.spec);
    const dest = asObj(spec.destination);
    const sources = [spec.source, ...asArray(spec.sources)].filter(isObj);
    return [str(obj.metadata?.name), ...envLabelValues(obj), str(dest.namespace), str(dest.name), str(dest.server), ...sources.map((s) => str(s.path)), file];
  };
  /** Every scalar of the generators: list elements, git file paths, cluster selectors. */
  const generatorStrings = (gens: unknown): string[] => {
    const out: string[] = [];
    const visit = (v: unknown) => {
      if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) v.forEach(visit);
      else if (isObj(v)) Object.values(v).forEach(visit);
    };
    visit(gens);
    return out;
  };
  const productionProjects = new Set<string>();
  const isProductionRaw = (r: ParsedResource): boolean => {
    const obj = r.obj;
    switch (obj.kind) {
      case 'Application':
        return appStrings(obj, r.file).some(isProductionName);
      case 'ApplicationSet': {
        const t = asObj(asObj(obj.spec).template);
        return [...appStrings(t, r.file), ...generatorStrings(asObj(obj.spec).generators)].some(isProductionName);
      }
      case 'AppProject': {
        const spec = asObj(obj.spec);
        const dests = asArray(spec.destinations).filter(isObj).flatMap((d) => [str(d.namespace), str(d.server), str(d.name)]);
        return [str(obj.metadata?.name), ...envLabelValues(obj), ...dests, r.file].some(isProductionName) || productionProjects.has(str(obj.metadata?.name) ?? '');
      }
      default:
        return [...namespacesOf(r), ...envLabelValues(obj), r.file].some(isProductionName);
    }
  };
  for (const app of ofKind('Application', 'ApplicationSet')) {
    const project = app.obj.kind === 'Application' ? str(app.obj.spec?.project) : str(app.obj.spec?.template?.spec?.project);
    if (project && !isTemplated(project) && isProductionRaw(app)) productionProjects.add(project);
  }

  return {
    resources,
    options,
    ofKind,
    configMap,
    namespacesOf,
    isProductionName,
    isProduction: isProductionRaw,
    managesArgoCd: () => !!configMap('argocd-cm') || !!configMap('argocd-rbac-cm') || ofKind('AppProject').length > 0,
    ruleRef,
  };
}
