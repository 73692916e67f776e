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

/**
 * Where a context gets the repository from: resources by kind, the kustomize graph, pods. The
 * incremental check (check/incremental.ts) serves them from its index and loads a resource only
 * when asked for it; `read` hears every question a rule asks about the repository (the check
 * keeps a rule's findings while nothing it asked about changed).
 */
export interface ContextSource {
  /** Every resource with an object body and a kind, in input order. */
  resources(): readonly ParsedResource[];
  /** Those of one kind, in input order. */
  ofKind(kind: string): readonly ParsedResource[];
  /** Those that hold a pod spec, in input order. */
  withPods(): readonly ParsedResource[];
  /** Every file with a resource (kind or not), in input order. */
  files(): readonly string[];
  graph(): KustomizeGraph;
  hasPods(r: ParsedResource): boolean;
  read?: (tag: string) => void;
}

/** A context source over resources in memory. */
export function sourceOf(input: readonly ParsedResource[], overrides: { hasPods?: (r: ParsedResource) => boolean; kustomization?: (r: ParsedResource) => Obj | undefined } = {}): ContextSource {
  const resources = input.filter((r) => isObj(r.obj) && typeof r.obj.kind === 'string');
  let byKind: Map<string, ParsedResource[]> | undefined;
  const kinds = () => {
    if (byKind) return byKind;
    byKind = new Map();
    for (const r of resources) {
      const list = byKind.get(r.obj.kind) ?? [];
      list.push(r);
      byKind.set(r.obj.kind, list);
    }
    return byKind;
  };
  const hasPods = overrides.hasPods ?? ((r: ParsedResource) => allPods([r]).length > 0);
  let graph: KustomizeGraph | undefined;
  let files: string[] | undefined;
  let pods: ParsedResource[] | undefined;
  return {
    resources: () => resources,
    ofKind: (kind) => kinds().get(kind) ?? [],
    withPods: () => (pods ??= resources.filter(hasPods)),
    files: () => (files ??= [...new Set(input.map((r) => r.file))]),
    graph: () => (graph ??= kustomizeGraph(input, overrides.kustomization)),
    hasPods,
  };
}

export function buildContext(
  input: readonly ParsedResource[],
  config: LintConfig = {},
  ruleRef: LintContext['ruleRef'] = () => undefined,
  overrides: { hasPods?: (r: ParsedResource) => boolean; kustomization?: (r: ParsedResource) => Obj | undefined } = {},
): LintContext {
  return contextOver(sourceOf(input, overrides), config, ruleRef);
}

export function contextOver(source: ContextSource, config: LintConfig = {}, ruleRef: LintContext['ruleRef'] = () => undefined): LintContext {
  const options = resolveOptions(config);
  const read = source.read ?? (() => {});
  const ofKind = (...kinds: string[]) =>
    kinds.flatMap((k) => {
      read(`k:${k}`);
      return source.ofKind(k);
    });
  const configMap = (name: string) => ofKind('ConfigMap').find((r) => r.obj.metadata?.name === name);

  const kustomize = () => source.graph();
  let filesByDir: Map<string, string[]> | undefined;
  /** Files an Argo CD source path deploys: what its kustomization includes, else its folder. */
  const filesOfSource = (sourcePath: string, recurse: boolean): Set<string> => {
    read('kz');
    const dir = normalizeDir(sourcePath);
    if (kustomize().has(dir)) return new Set(kustomize().filesOf(dir));
    read('rf');
    if (!filesByDir) {
      filesByDir = new Map();
      for (const f of source.files()) {
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
    read('k:Application');
    read('kz');
    read('rf');
    if (appNs) return appNs;
    appNs = new Map();
    for (const app of source.ofKind('Application')) {
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
    read(`ns:${posix.normalize(r.file)}`);
    const fromKustomize = kustomize().namespacesOf(r.file);
    if (fromKustomize.length) return fromKustomize;
    read(`f:${r.file}`);
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
  let productionProjectsMemo: Set<string> | undefined;
  /** Projects that a production Application or ApplicationSet uses (worked out when first asked). */
  const productionProjects = () => {
    read('k:Application');
    read('k:ApplicationSet');
    if (productionProjectsMemo) return productionProjectsMemo;
    productionProjectsMemo = new Set<string>();
    for (const app of [...source.ofKind('Application'), ...source.ofKind('ApplicationSet')]) {
      const project = app.obj.kind === 'Application' ? str(app.obj.spec?.project) : str(app.obj.spec?.template?.spec?.project);
      if (project && !isTemplated(project) && isProductionRaw(app)) productionProjectsMemo.add(project);
    }
    return productionProjectsMemo;
  };
  const isProductionRaw = (r: ParsedResource): boolean => {
    read(`f:${r.file}`);
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
        return [str(obj.metadata?.name), ...envLabelValues(obj), ...dests, r.file].some(isProductionName) || productionProjects().has(str(obj.metadata?.name) ?? '');
      }
      default:
        return [...namespacesOf(r), ...envLabelValues(obj), r.file].some(isProductionName);
    }
  };

  const sharedValues = new Map<string, unknown>();
  const ctx: LintContext = {
    get resources() {
      read('all');
      return source.resources();
    },
    withPods: () => {
      read('pods');
      return source.withPods();
    },
    options,
    ofKind,
    configMap,
    namespacesOf,
    filesOfSource,
    isProductionName,
    isProduction: isProductionRaw,
    managesArgoCd: () => !!configMap('argocd-cm') || !!configMap('argocd-rbac-cm') || ofKind('AppProject').length > 0,
    ruleRef,
    hasPods: (r) => {
      read(`f:${r.file}`);
      return source.hasPods(r);
    },
    shared: <T>(key: string, compute: (all: LintContext) => T): T => {
      if (!sharedValues.has(key)) sharedValues.set(key, compute(ctx));
      return sharedValues.get(key) as T;
    },
  };
  return ctx;
}
