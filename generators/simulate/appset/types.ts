// The interface sim calls (agreed in /work/coord/README.md), with the optional extensions listed
// in /work/coord/status-appset.md. Everything here is data: no I/O.

/** The repository tree at the generator's revision. */
export interface RepoView {
  paths: readonly string[];
  read(path: string): string | undefined;
}

/** An Argo CD cluster Secret (`argocd.argoproj.io/secret-type: cluster`) as the controller sees it. */
export interface ClusterView {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  project?: string;
}

export interface ExpandContext {
  repo: RepoView;
  clusters: readonly ClusterView[];
  argocdNamespace: string;
  repoUrl?: string;
  /**
   * AppProjects that exist in argocdNamespace. When given, a git generator fails when the
   * template's project does not exist (git.go reads it before generating), and a generated
   * Application referencing a missing project is rejected. When absent, neither check runs.
   */
  projects?: readonly string[];
  /** argocd-cmd-params-cm `applicationsetcontroller.enable.progressive.syncs` (default false). */
  progressiveSyncs?: boolean;
  /** argocd-cmd-params-cm `applicationsetcontroller.enable.new.git.file.globbing` (default false). */
  newGitFileGlobbing?: boolean;
  /**
   * Told each listing a git generator makes of the repository (what `pattern` selected, or every
   * directory): with the files it reads, all the expansion takes from the repository. A caller
   * that caches expansions checks these still give the same.
   */
  observeListing?: (kind: 'files' | 'doublestar' | 'directories', pattern: string, selected: readonly string[]) => void;
}

export interface GeneratedApplication {
  name: string;
  manifest: Record<string, unknown>;
  /** The parameter set the Application was rendered from. */
  params: Record<string, unknown>;
}

export interface ExpansionProblem {
  /** JSON pointer into the ApplicationSet. */
  path: string;
  /** What the controller would say or do. */
  message: string;
  /** The ApplicationSet condition reason upstream sets, when it sets one. */
  reason?: string;
  /** For a per-Application validation problem: the Application the controller does not create. */
  application?: string;
  /**
   * 'error' (default): the controller fails (no Applications, or this Application not created).
   * 'warning': the controller carries on (an unrecognized generator it ignores), or the
   * simulation cannot reproduce something (a generator querying an external API).
   */
  severity?: 'error' | 'warning';
}

export interface ExpansionResult {
  applications: GeneratedApplication[];
  problems: ExpansionProblem[];
}
