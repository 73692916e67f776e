// What an Application deploys on one revision, as the tools at hand build it.
import type { AppRecord, RepoModel } from '../simulate/model.ts';
import type { ClassifiedManifests } from '../validate/pipeline.ts';

export type RenderMethod = 'kustomize' | 'helm' | 'directory' | 'inventory' | 'not-rendered';

export interface SourceRendering {
  /** The source as a reader knows it: `apps/payments/payments-api/overlays/prod`, `chart redis@20.1.3 from ghcr.io/...`. */
  source: string;
  method: RenderMethod;
  /** `kubectl kustomize`, `helm v3.17.0`. */
  tool?: string;
  /** Why it was rendered this way (a tool missing, a remote base, another repository). */
  note?: string;
  /** The tool failed: its message. */
  error?: string;
}

export interface Rendering {
  objects: unknown[];
  sources: SourceRendering[];
  /** Every source was built by its own tool: the objects are what Argo CD would apply. */
  exact: boolean;
}

/** A revision of a repository: its files on disk (for the tools) and its offline model. */
export interface RenderTarget {
  /** Folder holding the revision's files. */
  root: string;
  index: ClassifiedManifests;
  model: RepoModel;
}

/** Builds what an Application deploys on one revision. */
export interface Renderer {
  render(target: RenderTarget, app: AppRecord): Promise<Rendering>;
}
