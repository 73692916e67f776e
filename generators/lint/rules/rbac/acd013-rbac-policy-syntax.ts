import type { Rule, RuleFinding } from '../../types.ts';
import { atPolicy, policyLines, type PolicyLine } from '../../util/rbac.ts';

/** Resource -> valid actions (rbac.md resource x action matrix, builtin-policy.csv). */
const ACTIONS: Record<string, string[]> = {
  applications: ['get', 'create', 'update', 'delete', 'sync', 'rollback', 'action', 'override'],
  applicationsets: ['get', 'create', 'update', 'delete'],
  clusters: ['get', 'create', 'update', 'delete'],
  projects: ['get', 'create', 'update', 'delete'],
  repositories: ['get', 'create', 'update', 'delete'],
  'write-repositories': ['get', 'create', 'update', 'delete'],
  accounts: ['get', 'update'],
  certificates: ['get', 'create', 'delete'],
  gpgkeys: ['get', 'create', 'delete'],
  logs: ['get'],
  exec: ['create'],
  extensions: ['invoke'],
};
/** Resources whose object is `<project>/<app>` (or `<project>/<namespace>/<app>`). */
const PROJECT_OBJECTS = new Set(['applications', 'applicationsets', 'logs', 'exec']);

function actionValid(resource: string, action: string): boolean {
  if (resource === '*' || action === '*') return true;
  const valid = ACTIONS[resource];
  if (!valid) return true; // unknown resources are reported on their own
  if (valid.includes(action)) return true;
  // Fine-grained application actions: update/<group>/<kind>/<ns>/<name>, delete/..., action/...
  return resource === 'applications' && /^(update|delete|action)\/./.test(action);
}

function problems(l: PolicyLine): string[] {
  const f = l.fields;
  if (f[0] === 'g') return f.length === 3 ? [] : [`"g" line has ${f.length} fields; expected 3 (g, subject, role)`];
  if (f[0] !== 'p') return [`line starts with "${f[0]}"; expected "p" (policy) or "g" (role assignment)`];
  if (f.length !== 6) return [`"p" line has ${f.length} fields; expected 6 (p, subject, resource, action, object, effect)`];
  const [, subject, resource, action, object, effect] = f;
  const out: string[] = [];
  if (effect !== 'allow' && effect !== 'deny') out.push(`effect "${effect}" must be allow or deny`);
  if (resource !== '*' && !ACTIONS[resource]) out.push(`unknown resource "${resource}" (valid: ${Object.keys(ACTIONS).join(', ')})`);
  else if (!actionValid(resource, action)) out.push(`action "${action}" is not valid for ${resource} (valid: ${ACTIONS[resource].join(', ')})`);
  if (l.project !== undefined) {
    if (subject !== `proj:${l.project}:${l.role}`) out.push(`subject "${subject}" must be "proj:${l.project}:${l.role}" in this project role`);
    if (PROJECT_OBJECTS.has(resource) && !object.startsWith(`${l.project}/`)) out.push(`object "${object}" must start with "${l.project}/": project roles only reach their own project`);
  } else if (resource === 'clusters' && object !== '*' && !object.includes('://') && !object.endsWith('*'))
    out.push(`clusters object "${object}" is not a server URL: cluster policies match the server URL, never the cluster name`);
  return out;
}

// A malformed line is ignored by Argo CD (or rejects the whole project), so a permission someone
// meant to grant or deny silently does not exist.
export const rbacPolicySyntax: Rule = {
  id: 'ACD013',
  name: 'rbac-policy-syntax',
  severity: 'error',
  description: 'Argo CD RBAC line (argocd-rbac-cm or AppProject role) with the wrong field count, effect, resource or action, a project role subject or object outside its project, or a clusters object that is not a URL.',
  fix: 'Write `p, <subject>, <resource>, <action>, <object>, <allow|deny>` or `g, <subject>, <role>` with a resource and action from the rbac.md matrix.',
  source: 'security.md §1.4, rule 13; Argo CD rbac.md; types.go validatePolicy/isValidObject; argo-cd#13244',
  check(ctx) {
    return policyLines(ctx).flatMap((l): RuleFinding[] => problems(l).map((p) => atPolicy(l, p)));
  },
};
