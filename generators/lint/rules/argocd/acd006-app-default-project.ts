import type { Rule } from '../../types.ts';
import { appSpecs } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { str } from '../../util/values.ts';

// The built-in `default` project allows every repo, cluster, namespace and cluster-scoped kind
// unless it has been locked down; apps placed there inherit all of that.
export const appDefaultProject: Rule = {
  id: 'ACD006',
  name: 'app-default-project',
  severity: 'error',
  scope: 'resource',
  description: 'Application or ApplicationSet template that uses the `default` project (or none).',
  fix: 'Put the Application in a dedicated AppProject with explicit sourceRepos and destinations.',
  source: 'security.md §1.3, rule 6; Kyverno argo/application-prevent-default-project; argocd-lint AR002',
  check(ctx) {
    return appSpecs(ctx).flatMap((site) => {
      const project = str(site.spec.project);
      if (project !== undefined && project !== '' && project !== 'default') return [];
      const where = project === undefined ? site.pointer : ptr(site.pointer, 'project');
      return [at(site.resource, where, project === undefined || project === '' ? 'no project set: the Application falls into the permissive `default` project' : 'uses the `default` project, which allows every repo, destination and cluster-scoped kind unless locked down')];
    });
  },
};
