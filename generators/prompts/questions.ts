// The questions of `init`, shared by the interactive CLI and the plop generator `platform`, and
// the validators every prompt uses. A validator checks one answer when it is given (inquirer
// shows the message and asks again), so a mistake costs one answer, not the whole session.
// Validators accept the raw string (plop bypass) and the filtered value (inquirer) alike. Choices
// (strategies, routers) are read from the model's JSON Schema, so a new value appears here by itself.

import { DNS_LABEL, MAX_LABEL, RESERVED_PROJECTS } from '../model/names.ts';
import { platformSchema } from '../model/schema.ts';

export type Validator = (v: unknown, answers?: Record<string, any>) => true | string;

export const splitList = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x).trim()) : String(v ?? '').split(',').map((s) => s.trim())).filter(Boolean);

export const isLabel: Validator = (v) => (typeof v === 'string' && DNS_LABEL.test(v) && v.length <= MAX_LABEL) || `lowercase letters, digits and "-", at most ${MAX_LABEL}${typeof v === 'string' && v ? ` (e.g. "${suggestLabel(v)}")` : ''}`;

export const suggestLabel = (v: string) => v.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX_LABEL) || 'name';

/** A list of distinct names; `min` of them at least. */
export const labelList =
  (min: number, what = 'names'): Validator =>
  (v) => {
    const items = splitList(v);
    if (items.length < min) return `at least ${min} ${what}, comma-separated (e.g. dev, staging, prod)`;
    const bad = items.find((i) => isLabel(i) !== true);
    if (bad) return `"${bad}": ${isLabel(bad)}`;
    const twice = items.find((i, k) => items.indexOf(i) !== k);
    return twice ? `"${twice}" is given twice` : true;
  };

/** A Git repository URL as Argo CD takes it: https://, ssh://, or scp-like git@host:path. */
export const isRepoUrl: Validator = (v) => {
  const s = typeof v === 'string' ? v.trim() : '';
  if (/^[\w.-]+@[\w.-]+:[\w./~-]+$/.test(s)) return true;
  try {
    const u = new URL(s);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol)) return `${u.protocol} is not a Git transport: use https://, ssh:// or git@host:org/repo.git`;
    if (!u.hostname) return 'no host: e.g. https://github.com/acme/platform-gitops.git';
    if (u.username || u.password) return 'no credentials in the URL: Argo CD gets them from a repository Secret';
    return true;
  } catch {
    return 'an absolute URL, e.g. https://github.com/acme/platform-gitops.git or git@github.com:acme/platform-gitops.git';
  }
};

/** A Kubernetes API server URL: https with a host (http only for a local test cluster). */
export const isServerUrl: Validator = (v) => {
  try {
    const u = new URL(typeof v === 'string' ? v.trim() : '');
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'an https:// URL of the Kubernetes API server, e.g. https://prod-eu-1.k8s.example.com';
    if (!u.hostname) return 'no host: e.g. https://prod-eu-1.k8s.example.com';
    if (u.pathname !== '/' || u.search || u.hash || u.username) return 'the server URL alone (scheme, host and port), e.g. https://prod-eu-1.k8s.example.com:6443';
    return true;
  } catch {
    return 'an https:// URL of the Kubernetes API server, e.g. https://prod-eu-1.k8s.example.com';
  }
};

/** A branch or tag name Git accepts (git check-ref-format, the parts that matter here). */
export const isRevision: Validator = (v) => {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) return 'a branch or tag, e.g. main or v1.0.0';
  if (/[\s~^:?*[\\]|\.\.|@\{|^[-/.]|[/.]$|\.lock$|\/\//.test(s)) return `"${s}" is not a Git branch or tag name`;
  return true;
};

/** The schema node at a path of field names (lists are walked through their items). */
export function schemaNode(...path: string[]): any {
  let node: any = platformSchema;
  for (const key of path) {
    if (node?.type === 'array') node = node.items;
    node = node?.properties?.[key];
  }
  return node;
}

/** The values the model's schema allows at a path, e.g. ['delivery', 'strategy']. */
export function schemaChoices(...path: string[]): string[] {
  const node = schemaNode(...path);
  return Array.isArray(node?.enum) ? node.enum : [];
}

/** A value that matches the pattern the schema gives the field (caData, roleArn), or empty when optional. */
export const matchesSchema =
  (optional: boolean, hint: string, ...path: string[]): Validator =>
  (v) => {
    const s = String(v ?? '').trim();
    if (!s) return optional || `required: ${hint}`;
    const pattern = schemaNode(...path)?.pattern;
    return !pattern || new RegExp(pattern).test(s) || hint;
  };

/** What "accept defaults for everything else" means, said once for the prompt and the spec. */
export const INIT_DEFAULTS = {
  environments: ['dev', 'staging', 'prod'],
  revision: 'main',
  strategy: 'rolling',
  router: 'none',
  hubName: 'hub',
  hubServer: 'https://kubernetes.default.svc',
} as const;

export const tenantList: Validator = (v) => {
  const ok = labelList(0, 'tenant names')(v);
  if (ok !== true) return ok;
  const reserved = splitList(v).find((t) => RESERVED_PROJECTS.includes(t));
  return reserved ? `"${reserved}" is the platform's own AppProject; choose another tenant name` : true;
};

/**
 * The flat questions of init, in order (plop bypass and tests use them; askPlatform asks them one
 * at a time and adds the spoke-cluster loop and the list choices that depend on earlier answers).
 */
export const platformQuestions = [
  { type: 'input', name: 'name', message: 'Platform name (used in resource names)', validate: isLabel },
  { type: 'input', name: 'repoUrl', message: 'URL of this GitOps repository', validate: isRepoUrl },
  { type: 'input', name: 'revision', message: 'Branch or tag Argo CD tracks', default: INIT_DEFAULTS.revision, validate: isRevision },
  { type: 'input', name: 'environments', message: 'Environments in promotion order (comma-separated)', default: INIT_DEFAULTS.environments.join(', '), validate: labelList(1, 'environments'), filter: splitList },
  { type: 'input', name: 'hubEnvironments', message: 'Environments the hub cluster (the one running Argo CD) serves', default: INIT_DEFAULTS.environments.join(', '), validate: labelList(1, 'environments'), filter: splitList },
  { type: 'input', name: 'tenants', message: 'Tenants (teams), comma-separated (may be empty)', default: '', validate: tenantList, filter: splitList },
  { type: 'list', name: 'strategy', message: 'Default delivery style', choices: schemaChoices('delivery', 'strategy'), default: INIT_DEFAULTS.strategy },
  { type: 'list', name: 'router', message: 'Traffic router', choices: schemaChoices('delivery', 'router'), default: INIT_DEFAULTS.router },
];

/** Flat prompt answers -> platform.yaml shape. */
export function answersToSpec(a: Record<string, any>): Record<string, any> {
  const environments = splitList(a.environments ?? INIT_DEFAULTS.environments);
  return {
    name: a.name,
    repo: { url: a.repoUrl, revision: a.revision || INIT_DEFAULTS.revision },
    environments: environments.map((name) => ({ name })),
    clusters: [{ name: INIT_DEFAULTS.hubName, server: INIT_DEFAULTS.hubServer, environments: a.hubEnvironments === undefined ? environments : splitList(a.hubEnvironments) }, ...(a.spokes ?? [])],
    ...(splitList(a.tenants).length ? { tenants: splitList(a.tenants).map((name) => ({ name })) } : {}),
    delivery: { strategy: a.strategy ?? INIT_DEFAULTS.strategy, router: a.router ?? INIT_DEFAULTS.router },
  };
}
