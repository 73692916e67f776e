import type { Rule, RuleFinding } from '../../types.ts';
import { projectName } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, str } from '../../util/values.ts';

/** Hosts shared by everyone: an organisation wildcard there admits strangers' repositories. */
const PUBLIC_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'dev.azure.com', 'ssh.dev.azure.com', 'codeberg.org', 'ghcr.io', 'docker.io', 'registry-1.docker.io', 'quay.io', 'public.ecr.aws']);

/** Why a sourceRepos pattern admits repositories of anyone, or undefined when it is scoped. */
export function sourceRepoProblem(pattern: string): string | undefined {
  const p = pattern.trim();
  if (/^\*+$/.test(p)) return 'allows every repository';
  const scp = /^[^@/]+@([^:/]+):(.*)$/.exec(p); // git@host:org/repo
  const rest = scp ? `${scp[1]}/${scp[2]}` : p.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  const [host, org = ''] = rest.split('/');
  if (host.includes('*')) return `matches any host ("${host}")`;
  if (org.includes('*') && PUBLIC_HOSTS.has(host.toLowerCase().replace(/:\d+$/, ''))) return `matches any organisation on the shared host ${host}`;
  return undefined;
}

export const projectSourceWildcard: Rule = {
  id: 'ACD008',
  name: 'project-source-wildcard',
  severity: 'error',
  scope: 'resource',
  description: 'AppProject `sourceRepos` entry that admits any repository: `*`, a wildcard host, or a wildcard organisation on a shared host such as github.com.',
  fix: 'List the exact repositories (or one organisation: `https://github.com/acme/*`) the project may deploy from.',
  source: 'security.md §1.3, rule 8; Argo CD projects.md; app_project_types.go globMatch(..., "/")',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.ofKind('AppProject')) {
      if (projectName(p) === 'default') continue; // ACD007 reports the default project as a whole
      asArray(p.obj.spec?.sourceRepos).forEach((repo, i) => {
        const problem = typeof repo === 'string' ? sourceRepoProblem(repo) : undefined;
        if (problem) out.push(at(p, ptr('/spec/sourceRepos', i), `"${str(repo)}" ${problem}: anyone who can push such a repo can deploy through this project`));
      });
    }
    return out;
  },
};
