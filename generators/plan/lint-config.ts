// `.gitops-scaffold/lint.yaml`: the repo's lint configuration, seeded once for the team to own.
// It tells the linter what this platform means by "admin project" and "production", so
// `gitops-scaffold lint` (run by the repo's own CI and before every write) judges the generated
// repo by its own conventions instead of guessing from names.

import YAML from 'yaml';
import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';

export const LINT_CONFIG_PATH = '.gitops-scaffold/lint.yaml';
/** The AppProject of platform add-ons (argocd/projects/platform.yaml). */
const PLATFORM_PROJECT = 'platform';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The settings the pre-write check and the repo's CI share. */
export function lintSettings(p: Platform) {
  const protectedEnvs = p.environments.filter((e) => e.protected).map((e) => e.name);
  return {
    argocdNamespace: p.argocd.namespace,
    // The platform project installs add-ons and CRDs cluster-wide by design; tenants never do.
    adminProjects: [PLATFORM_PROJECT],
    ...(protectedEnvs.length ? { production: { match: protectedEnvs.map((e) => `(^|[-_/.])${escapeRegExp(e)}($|[-_/.])`), labelKeys: ['env', 'environment'] } } : {}),
  };
}

export function planLintConfig(p: Platform): PlannedFile[] {
  const body = YAML.stringify(lintSettings(p), { lineWidth: 0 });
  const text = `# gitops-scaffold lint configuration. Seeded once by gitops-scaffold; this file is yours to edit.
# Rules: gitops-scaffold lint --help, or docs/lint-rules.md in the gitops-scaffold package.
#   rules:            per rule id or name: off | error | warning | info
#   ignore:           [{rule: K8S005, path: "vendor/**", reason: "..."}]
#   production.match: regexes naming production environments (here: the protected environments)
${body}`;
  return [{ path: LINT_CONFIG_PATH, owner: 'seed', text }];
}
