// Types of the policy linter: a rule is a small named object with a `check(ctx)` that looks at the
// whole parsed repository and returns what it found. The engine (engine.ts) turns those raw
// findings into the project's shared Finding shape, applies severity overrides and suppressions.

import type { Severity } from '../check/finding.ts';
import type { ParsedResource } from '../check/resources.ts';

/** What a rule reports: the resource, where inside it, what is wrong and how to fix it. */
export interface RuleFinding {
  resource: ParsedResource;
  /** JSON pointer inside the resource (`/spec/syncPolicy/automated`); rendered in the message. */
  path?: string;
  /** What is wrong, without the location (the engine prefixes kind/name and field path). */
  message: string;
  /** How to fix this occurrence; defaults to the rule's `fix`. */
  fix?: string;
  /** 1-based line, when the rule knows better than the path (a line inside a block scalar). */
  line?: number;
}

export interface Rule {
  /** Stable id, e.g. `ACD008`. Findings carry it as `rule`. */
  id: string;
  /** Kebab-case name, usable instead of the id in suppressions and config. */
  name: string;
  severity: Severity;
  /** One documentation line: what the rule flags. */
  description: string;
  /** The general fix, one sentence (a finding may give a more specific one). */
  fix: string;
  /** Where the rule comes from (research notes section, upstream doc, CVE). */
  source: string;
  /** Why the severity differs from the research notes' mapping, when it does. */
  severityNote?: string;
  /**
   * What a finding of this rule depends on, so the pre-write check can re-lint only what changed
   * (check/incremental.ts). Leave it out when unsure: `repo` is always right, only slower.
   * - `resource`: only the resource it is about (and the lint options). The rule is run file by
   *   file with a context that holds nothing but that file's resources.
   * - `targets`: the resources of `ctx.resources` it iterates, plus what it asks the context
   *   (`ofKind`, `namespacesOf`, `shared`, ...) about the rest of the repository. Run file by file
   *   with `ctx.resources` = that file's resources and every other question answered for the
   *   whole repository; the answers are recorded and a cached result is reused only while every
   *   recorded answer is still the same.
   * - `repo` (default): anything; run over the whole repository on every check.
   * test/lint/scope.test.ts holds every rule to its declared scope on all fixtures.
   */
  scope?: 'resource' | 'targets' | 'repo';
  check(ctx: LintContext): RuleFinding[];
}

/** Which environments count as production. */
export interface ProductionOptions {
  /**
   * Case-insensitive regular expressions. A resource is production when one of them matches its
   * destination namespace, cluster name or server, source path, file path, name, or the value of
   * one of `labelKeys`.
   */
  match: string[];
  /** Label keys whose values name an environment. */
  labelKeys: string[];
}

export interface LintOptions {
  production: ProductionOptions;
  /** Namespace Argo CD runs in. */
  argocdNamespace: string;
  /** AppProjects that administer the platform itself and may target any namespace or cluster. */
  adminProjects: string[];
  /** RBAC subjects (policy.csv) that are administrators and may hold any permission. */
  adminRoles: string[];
}

/** The repo config file (`.gitops-scaffold/lint.yaml`) after parsing. */
export interface LintConfig {
  /** Per rule (id or name): `off`, or a severity that replaces the rule's own. */
  rules?: Record<string, Severity | 'off'>;
  /** Findings of `rule` (id, name or `*`) in files matching the `path` glob are dropped. */
  ignore?: { rule: string; path: string; reason: string }[];
  production?: Partial<ProductionOptions>;
  argocdNamespace?: string;
  adminProjects?: string[];
  adminRoles?: string[];
}

/** Everything a rule may look at: all resources of the repo, indexes over them, and options. */
export interface LintContext {
  /** Every resource with an object body and a kind (empty documents are left out). */
  resources: readonly ParsedResource[];
  options: LintOptions;
  /** The resources that hold a pod spec (`hasPods`), in input order. */
  withPods(): readonly ParsedResource[];
  /** Resources of one kind (`Application`, `AppProject`, ...), in input order. */
  ofKind(...kinds: string[]): ParsedResource[];
  /** A ConfigMap by name (`argocd-cm`, `argocd-rbac-cm`, ...), first one wins. */
  configMap(name: string): ParsedResource | undefined;
  /**
   * Namespaces a resource lands in: `metadata.namespace`, or the namespace set by the outermost
   * kustomization that includes its file. Empty when it cannot be known from the repo.
   */
  namespacesOf(resource: ParsedResource): string[];
  /**
   * Files an Argo CD source `path` deploys: what the kustomization in that folder includes, else
   * the folder's own files (and subfolders' with `directory.recurse`).
   */
  filesOfSource(sourcePath: string, recurse: boolean): Set<string>;
  /** True when `text` names a production environment (see ProductionOptions). */
  isProductionName(text: string | undefined): boolean;
  /** True when an Application, ApplicationSet or AppProject deploys to production. */
  isProduction(resource: ParsedResource): boolean;
  /** True when the repo manages Argo CD itself (argocd-cm, argocd-rbac-cm or AppProjects). */
  managesArgoCd(): boolean;
  /** The registered rule an id or name refers to (case-insensitive), for suppression checks. */
  ruleRef(ref: string): { id: string; name: string } | undefined;
  /** True when the resource holds a pod spec (util/pods.ts `allPods` finds one in it). */
  hasPods(resource: ParsedResource): boolean;
  /**
   * A value computed once per lint run from the whole repository (`compute` gets the context of
   * the whole repository), e.g. an index that `targets` rules look up. It must be plain data
   * (objects, arrays, strings, numbers, booleans): the incremental check records it.
   */
  shared<T>(key: string, compute: (all: LintContext) => T): T;
}
