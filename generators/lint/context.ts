// Builds the LintContext: indexes over the parsed repo, the namespace resolver (a GitOps repo
// rarely writes metadata.namespace; kustomize or the Argo CD Application supplies it), and the
// production matcher.

import path from 'node:path';
import type { ParsedResource } from '../check/resources.ts';
import type { LintConfig, LintContext, LintOptions } from './types.ts';
import { kustomizeGraph, type KustomizeGraph } from './util/kustomize.ts';
import { allPods } from './util/pods.ts';
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

export const normalizeDir = (p: string) => posix.normalize(p).replace(/\/$/, '') || '.';

export function buildContext(
  input: readonly ParsedResource[],
  config: LintConfig = {},
  ruleRef: LintContext['ruleRef'] = () => undefined,
  overrides: { hasPods?: (r: ParsedResource) => boolean; kustomization?: (r: ParsedResource) => Obj | undefined } = {},
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

  const allFiles = [...new Set(input.map((r) => r.file))];
  let graph: KustomizeGraph | undefined;
  const kustomize = () => (graph ??= kustomizeGraph(input, overrides.kustomization));
  let filesByDir: Map<string, string[]> | undefined;
  /** Files an Argo CD source path deploys: what its kustomization includes, else its folder. */
  const filesOfSource = (sourcePath: string, recurse: boolean): Set<string> => {
    const dir = normalizeDir(sourcePath);
    if (kustomize().has(dir)) return new Set(kustomize().filesOf(dir));
    if (!filesByDir) {
      filesByDir = new Map();
      for (const f of allFiles) {
        const d = posix.dirname(f);
        if (!filesByDir.has(d)) filesByDir.set(d, []);
        filesByDir.get(d)!.push(f);
      }
    }
    if (!recurse) return new Set(filesByDir.get(dir) ?? []);
    return new Set([...filesByDir].filter(([d]) => dir === '.' || d === dir || d.startsWith(dir + '/')).flatMap(([, files]) => files));
  };
  let appNs: Map<string, Set<string>> | undefined;
  /** File -> destination namespaces of the literal Applications that deploy it. */
  const applicationNamespaces = () => {
    if (appNs) return appNs;
    appNs = new Map();
    for (const app of ofKind('Application')) {
      const spec = asObj(app.obj.spec);
      const ns = str(asObj(spec.destination).namespace);
      if (!ns || isTemplated(ns)) continue;
      for (const src of [spec.source, ...asArray(spec.sources)].filter(isObj)) {
        const p = str(src.path);
        if (p === undefined || isTemplated(p)) continue;
        for (const f of filesOfSource(p, asObj(src.directory).recurse === true)) {
          if (!appNs.has(f)) appNs.set(f, new Set());
          appNs.get(f)!.add(ns);
        }
      }
    }
    return appNs;
  };
  const namespacesOf = (r: ParsedResource): string[] => {
    const fromKustomize = kustomize().namespacesOf(r.file);
    if (fromKustomize.length) return fromKustomize;
    const own = str(r.obj?.metadata?.namespace);
    if (own) return [own];
    return [...(applicationNamespaces().get(posix.normalize(r.file)) ?? [])].sort();
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

  const sharedValues = new Map<string, unknown>();
  const ctx: LintContext = {
    resources,
    options,
    ofKind,
    configMap,
    namespacesOf,
    filesOfSource,
    isProductionName,
    isProduction: isProductionRaw,
    managesArgoCd: () => !!configMap('argocd-cm') || !!configMap('argocd-rbac-cm') || ofKind('AppProject').length > 0,
    ruleRef,
    hasPods: overrides.hasPods ?? ((r) => allPods([r]).length > 0),
    shared: <T>(key: string, compute: (all: LintContext) => T): T => {
      if (!sharedValues.has(key)) sharedValues.set(key, compute(ctx));
      return sharedValues.get(key) as T;
    },
  };
  return ctx;
}
