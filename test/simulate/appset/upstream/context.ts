// Generator contexts as upstream's tests build them: an ApplicationSet named "set", a fake client
// holding the AppProjects of the case, the repo service mocked with the case's answers.
import type { AppSetInfo, GenContext } from '../../../../generators/simulate/appset/generators/context.ts';
import type { RepoService } from '../../../../generators/simulate/appset/generators/repo-service.ts';
import { ControllerError } from '../../../../generators/simulate/appset/render.ts';
import type { ClusterView } from '../../../../generators/simulate/appset/types.ts';
import { memoryRepo } from '../helpers.ts';

export interface MockRepos {
  directories?: string[];
  directoriesError?: string;
  /** Files per pattern; a function for pattern-dependent answers. */
  files?: Record<string, string> | ((pattern: string) => Record<string, string>);
  filesError?: string;
}

export function mockRepos(m: MockRepos): RepoService {
  return {
    getDirectories() {
      if (m.directoriesError) throw new ControllerError(m.directoriesError);
      return m.directories ?? [];
    },
    getFiles(_url, _rev, pattern) {
      if (m.filesError) throw new ControllerError(m.filesError);
      const files = typeof m.files === 'function' ? m.files(pattern) : (m.files ?? {});
      return new Map(Object.entries(files));
    },
  };
}

export interface UpstreamContext {
  goTemplate?: boolean;
  goTemplateOptions?: string[];
  templateProject?: string;
  projects?: string[];
  clusters?: ClusterView[];
  repos?: MockRepos;
}

export function genContext(o: UpstreamContext = {}): GenContext {
  const appSet: AppSetInfo = {
    name: 'set',
    namespace: 'namespace',
    goTemplate: o.goTemplate ?? false,
    goTemplateOptions: o.goTemplateOptions ?? [],
    templateProject: o.templateProject ?? '',
  };
  return {
    appSet,
    ctx: { repo: memoryRepo({}), clusters: o.clusters ?? [], argocdNamespace: 'namespace', projects: o.projects ?? [''] },
    repos: mockRepos(o.repos ?? {}),
    notes: [],
  };
}

/** corev1.Secret literals of the cluster tests, as the cluster generator reads them. */
export function clusterFromSecret(secret: Record<string, any>): ClusterView {
  const data = (secret.data ?? {}) as Record<string, string>;
  return {
    name: data.name ?? '',
    server: data.server ?? '',
    labels: { ...(secret.metadata?.labels ?? {}) },
    annotations: { ...(secret.metadata?.annotations ?? {}) },
    ...(data.project !== undefined ? { project: data.project } : {}),
  };
}
