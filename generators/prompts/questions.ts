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

/** The values the model's schema allows at a path, e.g. ['delivery', 'strategy'] (a copy: callers sort it). */
export function schemaChoices(...path: string[]): string[] {
  const node = schemaNode(...path);
  return Array.isArray(node?.enum) ? [...node.enum] : [];
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

/** How Argo CD on the hub reaches a spoke, in the model's terms (clusters[].auth and caData). */
export const AUTH_CHOICES: Record<string, string> = {
  aws: "aws: EKS, Argo CD's IAM role (no token anywhere)",
  gke: 'gke: GKE Workload Identity (no token anywhere)',
  aks: 'aks: AKS Azure workload identity (no token anywhere)',
  token: 'token: a ServiceAccount token, from the secret store or sealed afterwards (render --seal-values)',
};

/**
 * The questions on how Argo CD reaches a spoke, asked by init's spoke loop and by `add cluster`
 * (CLI and plop) alike. `label(answers)` starts each message ("Spoke eu: "); `applies(answers)`
 * says whether the cluster is a spoke at all (the hub is reached in-cluster). Answers:
 * authType, caData, clusterName, roleArn, clientId, tenantId (see accessFromAnswers).
 */
export function spokeAccessQuestions(label: (a: Record<string, any>) => string, applies: (a: Record<string, any>) => boolean = () => true): Record<string, any>[] {
  // Cloud identities first (no token anywhere), then the others the schema allows.
  const order = Object.keys(AUTH_CHOICES);
  const types = schemaChoices('clusters', 'auth', 'type').sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  if (!types.length) return [];
  const is = (type: string) => (a: Record<string, any>) => applies(a) && a.authType === type;
  return [
    { type: 'list', name: 'authType', message: (a: Record<string, any>) => `${label(a)}how does Argo CD authenticate to it?`, choices: types.map((t) => ({ name: AUTH_CHOICES[t] ?? t, value: t })), default: types.includes('aws') ? 'aws' : types[0], when: applies },
    {
      type: 'input',
      name: 'caData',
      message: (a: Record<string, any>) => `${label(a)}its API server CA, base64 (kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')${a.authType === 'token' ? '; may be empty' : ''}`,
      validate: (v: unknown, a: Record<string, any> = {}) => matchesSchema(a.authType === 'token', 'the base64 text of the CA certificate (one line, A-Z a-z 0-9 + / =)', 'clusters', 'caData')(v),
      filter: (v: unknown) => String(v ?? '').trim(),
      when: applies,
    },
    { type: 'input', name: 'clusterName', message: (a: Record<string, any>) => `${label(a)}EKS cluster name`, default: (a: Record<string, any>) => a.name, validate: (v: unknown) => String(v ?? '').trim() !== '' || 'the EKS cluster name', filter: (v: unknown) => String(v ?? '').trim(), when: is('aws') },
    { type: 'input', name: 'roleArn', message: (a: Record<string, any>) => `${label(a)}IAM role ARN Argo CD assumes (may be empty: its own role)`, default: '', validate: matchesSchema(true, 'an IAM role ARN, e.g. arn:aws:iam::123456789012:role/argocd', 'clusters', 'auth', 'roleArn'), filter: (v: unknown) => String(v ?? '').trim(), when: is('aws') },
    { type: 'input', name: 'clientId', message: (a: Record<string, any>) => `${label(a)}client ID of the Azure workload identity Argo CD uses`, validate: (v: unknown) => /^[0-9a-f-]{8,}$/i.test(String(v ?? '').trim()) || 'the client ID (az identity show --query clientId), a GUID', filter: (v: unknown) => String(v ?? '').trim(), when: is('aks') },
    { type: 'input', name: 'tenantId', message: (a: Record<string, any>) => `${label(a)}Azure tenant ID (may be empty)`, default: '', filter: (v: unknown) => String(v ?? '').trim(), when: is('aks') },
  ];
}

/** The answers of spokeAccessQuestions -> the cluster's `auth` and `caData` (nothing asked: nothing). */
export function accessFromAnswers(a: Record<string, any>): { auth?: Record<string, string>; caData?: string } {
  if (!a.authType) return {};
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());
  const auth: Record<string, string> = { type: String(a.authType) };
  if (a.authType === 'aws') {
    if (text(a.clusterName) && text(a.clusterName) !== a.name) auth.clusterName = text(a.clusterName);
    if (text(a.roleArn)) auth.roleArn = text(a.roleArn);
  }
  if (a.authType === 'aks') {
    if (text(a.clientId)) auth.clientId = text(a.clientId);
    if (text(a.tenantId)) auth.tenantId = text(a.tenantId);
  }
  return { auth, ...(text(a.caData) ? { caData: text(a.caData) } : {}) };
}

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
