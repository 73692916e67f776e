import type { Rule } from '../../types.ts';
import { atPolicy, grants, isAdminSubject } from '../../util/rbac.ts';

/** Why a grant is too wide for a non-admin subject, or undefined. */
function tooWide(resource: string, action: string, object: string): string | undefined {
  if (resource === '*') return 'every resource (including exec, clusters and projects)';
  if (resource === 'applications') {
    if (action === '*') return 'every application action (the glob also matches override, delete/* and action/*)';
    if (action === 'override') return 'override, which syncs arbitrary local manifests (CVE-2022-24768, CVE-2023-50726)';
    if (/^(update|delete)\/\*/.test(action) && (object === '*' || object === '*/*')) return `${action} on every application's resources`;
  }
  if (resource === 'applicationsets' && (action === 'create' || action === '*')) return `applicationsets ${action}, which creates Applications in any project named by the object`;
  if (resource === 'clusters' && (action === 'update' || action === '*')) return `clusters ${action} (CVE-2023-23947: update on one cluster reached all)`;
  if (resource === 'repositories' && action === '*') return 'every repository action, including credentials';
  if (resource === 'projects' && (action === 'update' || action === '*')) return `projects ${action}, which lets the subject widen its own project`;
  return undefined;
}

export const rbacPermissiveGrant: Rule = {
  id: 'ACD015',
  name: 'rbac-permissive-grant',
  severity: 'error',
  description: 'Non-admin RBAC subject (argocd-rbac-cm or project role) allowed `*` resources, `applications, *`, `override`, `update/*`/`delete/*` on all apps, `applicationsets, create`, `clusters, update`, `repositories, *` or `projects, update`.',
  fix: 'Grant the specific actions a role needs (get, sync, logs get) on its own project\'s apps; keep wide grants on admin roles listed in `adminRoles`.',
  source: 'security.md §1.4, rule 15; Argo CD rbac.md; CVE-2022-24768, CVE-2023-50726, CVE-2023-23947',
  check(ctx) {
    return grants(ctx).flatMap(({ line, subject, resource, action, object }) => {
      if (isAdminSubject(ctx, subject)) return [];
      const why = tooWide(resource, action, object);
      return why ? [atPolicy(line, `${subject} is granted ${why}`)] : [];
    });
  },
};
