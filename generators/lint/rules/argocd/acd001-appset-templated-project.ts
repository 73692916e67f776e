import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { str } from '../../util/values.ts';

// Whoever controls a generator's input (a git file, a pull request, an SCM org) picks the project,
// and with it every permission of the weakest project: the main ApplicationSet escalation path.
export const appsetTemplatedProject: Rule = {
  id: 'ACD001',
  name: 'appset-templated-project',
  severity: 'error',
  scope: 'resource',
  description: 'ApplicationSet whose `spec.template.spec.project` is templated, so generator input chooses the project.',
  fix: 'Hard-code one project per ApplicationSet; split the ApplicationSet if apps belong to different projects.',
  source: 'security.md §1.1, rule 1; Argo CD ApplicationSet Security.md "Templated project field"',
  check(ctx) {
    return ctx.ofKind('ApplicationSet').flatMap((r) => {
      const project = str(r.obj.spec?.template?.spec?.project);
      return project?.includes('{{')
        ? [at(r, '/spec/template/spec/project', `project "${project}" is templated: whoever writes the generator input chooses the project and its permissions`)]
        : [];
    });
  },
};
