// Cross-field rules of the model: references, uniqueness, reserved names and the lengths of the
// names the planners compose. Each rule is a small named function returning problems whose path
// is in the user's terms and whose message ends with how to fix it.

import { chartServiceRules } from './chart-rules.ts';
import type { PlatformSpec } from './types.ts';
import type { Problem } from './errors.ts';
import { MAX_LABEL, RESERVED_NAMESPACES, RESERVED_PROJECTS, tenantNamespace, LONGEST_SERVICE_SUFFIX, labelKeyProblem, labelValueProblem, looksLikeTag } from './names.ts';

const HUB_SERVER = 'https://kubernetes.default.svc';
const list = (xs: readonly string[]) => xs.join(', ') || '(none)';

function parsesAsUrl(value: string, { git = false } = {}): boolean {
  if (git && /^[\w.-]+@[\w.-]+:[\w./~-]+$/.test(value)) return true; // scp-like ssh: git@github.com:org/repo.git
  try {
    const u = new URL(value);
    return ['https:', 'http:', 'ssh:'].includes(u.protocol) && !!u.hostname;
  } catch {
    return false;
  }
}

type Rule = (spec: PlatformSpec) => Problem[];

const duplicates = (items: { name: string }[] | undefined, path: string, what: string): Problem[] => {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  (items ?? []).forEach((item, i) => {
    if (seen.has(item.name)) out.push({ path: `${path}[${i}].name`, message: `${what} "${item.name}" is declared twice (also ${path}[${seen.get(item.name)}])`, fix: 'give each a unique name' });
    else seen.set(item.name, i);
  });
  return out;
};

const uniqueNames: Rule = (spec) => [
  ...duplicates(spec.environments, 'environments', 'environment'),
  ...duplicates(spec.clusters, 'clusters', 'cluster'),
  ...duplicates(spec.tenants, 'tenants', 'tenant'),
  ...duplicates(spec.services, 'services', 'service'),
];

const urlsParse: Rule = (spec) => {
  const out: Problem[] = [];
  const check = (value: string | undefined, path: string, git = false) => {
    if (value !== undefined && !parsesAsUrl(value, { git })) out.push({ path, message: `${JSON.stringify(value)} is not a valid URL`, fix: git ? 'use https://host/org/repo.git or git@host:org/repo.git' : 'use an absolute https:// URL' });
  };
  check(spec.repo.url, 'repo.url', true);
  check(spec.argocd?.url, 'argocd.url');
  check(spec.argocd?.sso?.issuer, 'argocd.sso.issuer');
  check(spec.argocd?.notifications?.webhook?.url, 'argocd.notifications.webhook.url');
  check(spec.delivery?.prometheus, 'delivery.prometheus');
  check(spec.secrets?.vault?.server, 'secrets.vault.server');
  check(spec.secrets?.azure?.vaultUrl, 'secrets.azure.vaultUrl');
  spec.clusters.forEach((c, i) => check(c.server, `clusters[${i}].server`));
  spec.tenants?.forEach((t, i) => t.repos?.forEach((r, j) => check(r, `tenants[${i}].repos[${j}]`, true)));
  if (parsesAsUrl(spec.repo.url) && spec.repo.url.startsWith('http://')) out.push({ path: 'repo.url', message: 'plain http:// exposes repository content and credentials in transit', fix: 'use https:// or ssh' });
  return out;
};

const clusterEnvironments: Rule = (spec) => {
  const declared = spec.environments.map((e) => e.name);
  const out: Problem[] = [];
  spec.clusters.forEach((c, i) => {
    if (c.environment && c.environments) out.push({ path: `clusters[${i}]`, message: 'sets both environment and environments', fix: 'keep one of them' });
    if (!c.environment && !c.environments) out.push({ path: `clusters[${i}].environment`, message: `cluster "${c.name}" serves no environment`, fix: `set environment to one of: ${list(declared)}` });
    if (c.environment && !declared.includes(c.environment)) out.push({ path: `clusters[${i}].environment`, message: `"${c.environment}" is not a declared environment; declared: ${list(declared)}`, fix: 'declare it under environments or fix the name' });
    c.environments?.forEach((e, j) => {
      if (!declared.includes(e)) out.push({ path: `clusters[${i}].environments[${j}]`, message: `"${e}" is not a declared environment; declared: ${list(declared)}`, fix: 'declare it under environments or fix the name' });
    });
  });
  const served = new Set(spec.clusters.flatMap((c) => c.environments ?? (c.environment ? [c.environment] : [])));
  spec.environments.forEach((e, i) => {
    if (!served.has(e.name)) out.push({ path: `environments[${i}]`, message: `no cluster serves environment "${e.name}"`, fix: `add a cluster with environment: ${e.name}, or remove the environment` });
  });
  const hubs = spec.clusters.filter((c) => c.server.replace(/\/$/, '') === HUB_SERVER);
  if (hubs.length > 1) out.push({ path: 'clusters', message: `${hubs.length} clusters use ${HUB_SERVER} (${list(hubs.map((h) => h.name))}); only the hub running Argo CD can`, fix: 'give spokes their own API server URL' });
  return out;
};

const argocdNamespace = (spec: PlatformSpec) => spec.argocd?.namespace ?? 'argocd';

const tenantRules: Rule = (spec) => {
  const out: Problem[] = [];
  const envs = spec.environments.map((e) => e.name);
  const clusters = spec.clusters.map((c) => c.name);
  const owner = new Map<string, string>(); // composed namespace -> tenant
  const reserved = [...RESERVED_NAMESPACES, argocdNamespace(spec)];
  spec.tenants?.forEach((t, i) => {
    if (RESERVED_PROJECTS.includes(t.name)) out.push({ path: `tenants[${i}].name`, message: `"${t.name}" is reserved for the platform's own AppProject`, fix: 'choose another tenant name' });
    const tenantEnvs = t.environments ?? envs;
    t.environments?.forEach((e, j) => {
      if (!envs.includes(e)) out.push({ path: `tenants[${i}].environments[${j}]`, message: `"${e}" is not a declared environment; declared: ${list(envs)}`, fix: 'fix the name or declare the environment' });
    });
    t.clusters?.forEach((c, j) => {
      const cluster = spec.clusters.find((x) => x.name === c);
      if (!cluster) out.push({ path: `tenants[${i}].clusters[${j}]`, message: `"${c}" is not a declared cluster; declared: ${list(clusters)}`, fix: 'fix the name or declare the cluster' });
      else {
        const served = cluster.environments ?? (cluster.environment ? [cluster.environment] : []);
        if (!served.some((e) => tenantEnvs.includes(e))) out.push({ path: `tenants[${i}].clusters[${j}]`, message: `cluster "${c}" serves ${list(served)}, none of the tenant's environments (${list(tenantEnvs)})`, fix: 'pick a cluster of one of its environments' });
      }
    });
    (t.namespaces ?? [t.name]).forEach((ns, j) => {
      const nsPath = t.namespaces ? `tenants[${i}].namespaces[${j}]` : `tenants[${i}].name`;
      for (const env of tenantEnvs) {
        const composed = tenantNamespace(ns, env);
        if (composed.length > MAX_LABEL) out.push({ path: nsPath, message: `namespace "${composed}" (name-environment) is ${composed.length} characters; the limit is ${MAX_LABEL}`, fix: `shorten it to at most ${MAX_LABEL - env.length - 1} characters` });
        if (reserved.includes(composed) || reserved.includes(ns)) out.push({ path: nsPath, message: `namespace "${reserved.includes(ns) ? ns : composed}" is reserved (${list(reserved)})`, fix: 'choose another namespace name' });
        const prev = owner.get(composed);
        if (prev && prev !== t.name) out.push({ path: nsPath, message: `namespace "${composed}" already belongs to tenant "${prev}"; a namespace belongs to one tenant`, fix: 'rename one of them' });
        else owner.set(composed, t.name);
      }
    });
  });
  return out;
};

/** Mirrors normalize(): External Secrets when a provider is configured, else Sealed Secrets. */
export const effectiveBackend = (spec: PlatformSpec) => {
  const s = spec.secrets;
  return s?.backend ?? (s && (s.vault || s.aws || s.gcp || s.azure || s.provider) ? 'external-secrets' : 'sealed-secrets');
};

const secretsRules: Rule = (spec) => {
  const s = spec.secrets;
  const backend = effectiveBackend(spec);
  if (backend !== 'external-secrets') return [];
  const provider = s?.provider ?? 'vault';
  const section = { vault: s?.vault, aws: s?.aws, gcp: s?.gcp, azure: s?.azure }[provider];
  const needs = { vault: 'secrets.vault.server', aws: 'secrets.aws.region', gcp: 'secrets.gcp.projectId', azure: 'secrets.azure.vaultUrl' }[provider];
  return section ? [] : [{ path: `secrets.${provider}`, message: `the External Secrets provider is ${provider} but its settings are missing`, fix: `set ${needs}` }];
};

const serviceRules: Rule = (spec) => {
  const out: Problem[] = [];
  const envs = spec.environments.map((e) => e.name);
  spec.services?.forEach((s, i) => {
    const at = `services[${i}]`;
    const tenant = spec.tenants?.find((t) => t.name === s.tenant);
    if (!tenant) {
      out.push({ path: `${at}.tenant`, message: `"${s.tenant}" is not a declared tenant; declared: ${list((spec.tenants ?? []).map((t) => t.name))}`, fix: 'add the tenant first (gitops-scaffold add tenant) or fix the name' });
      return;
    }
    const namespaces = tenant.namespaces ?? [tenant.name];
    if (s.namespace && !namespaces.includes(s.namespace)) out.push({ path: `${at}.namespace`, message: `"${s.namespace}" is not a namespace of tenant "${tenant.name}" (${list(namespaces)})`, fix: 'use one of the tenant\'s namespaces' });
    const tenantEnvs = tenant.environments ?? envs;
    s.environments?.forEach((e, j) => {
      if (!tenantEnvs.includes(e)) out.push({ path: `${at}.environments[${j}]`, message: `"${e}" is not an environment of tenant "${tenant.name}" (${list(tenantEnvs)})`, fix: 'use one of the tenant\'s environments' });
    });
    const serviceEnvs = s.environments ?? tenantEnvs;
    Object.keys(s.overrides ?? {}).forEach((e) => {
      if (!serviceEnvs.includes(e)) out.push({ path: `${at}.overrides.${e}`, message: `"${e}" is not an environment of this service (${list(serviceEnvs)})`, fix: 'remove the override or add the environment' });
    });
    const tags = [['tag', s.tag], ...Object.entries(s.overrides ?? {}).map(([e, o]) => [`overrides.${e}.tag`, o.tag])];
    for (const [p, tag] of tags) if (tag === 'latest') out.push({ path: `${at}.${p}`, message: '"latest" is a floating tag: deployments would not be reproducible', fix: 'pin a version tag (and a digest for protected environments)' });
    if (s.image && /[:@]/.test(s.image.split('/').pop() ?? '')) out.push({ path: `${at}.image`, message: `${JSON.stringify(s.image)} includes a tag or digest`, fix: 'give the repository only; set tag and digest separately' });
    const longest = s.name.length + LONGEST_SERVICE_SUFFIX.length;
    if (longest > MAX_LABEL) out.push({ path: `${at}.name`, message: `"${s.name}" leaves no room for the names derived from it (e.g. "${s.name}${LONGEST_SERVICE_SUFFIX}", ${longest} characters > ${MAX_LABEL})`, fix: `shorten it to at most ${MAX_LABEL - LONGEST_SERVICE_SUFFIX.length} characters` });
    if (s.secrets?.length && effectiveBackend(spec) !== 'external-secrets') out.push({ path: `${at}.secrets`, message: `service secrets are delivered as ExternalSecrets but the platform's secrets backend is ${effectiveBackend(spec)}`, fix: 'create them with your backend (see secrets/README.md) and drop the list, or switch secrets.backend to external-secrets' });
    const migrationImage = s.migration?.image;
    if (migrationImage !== undefined) {
      const last = migrationImage.split('/').pop() ?? '';
      if (!migrationImage.includes('@') && !last.includes(':')) out.push({ path: `${at}.migration.image`, message: `${JSON.stringify(migrationImage)} has no tag, so it means :latest`, fix: 'pin a version tag or a digest (repo:1.2.3 or repo@sha256:...)' });
      else if (/:latest$/.test(last)) out.push({ path: `${at}.migration.image`, message: '"latest" is a floating tag: migrations would not be reproducible', fix: 'pin a version tag or a digest' });
    }
  });
  return [...out, ...serviceSecretNamesUnique(spec), ...serviceHostsUnique(spec)];
};

/** ExternalSecrets of services sharing a namespace land side by side: their Secret names must differ. */
function serviceSecretNamesUnique(spec: PlatformSpec): Problem[] {
  const out: Problem[] = [];
  const owner = new Map<string, string>(); // `<tenant>/<namespace base>/<secret>` -> where first declared
  spec.services?.forEach((s, i) => {
    const tenant = spec.tenants?.find((t) => t.name === s.tenant);
    if (!tenant) return;
    const namespace = s.namespace ?? (tenant.namespaces ?? [tenant.name])[0];
    s.secrets?.forEach((secret, j) => {
      const id = `${tenant.name}/${namespace}/${secret.name}`;
      const path = `services[${i}].secrets[${j}].name`;
      const prev = owner.get(id);
      if (prev) out.push({ path, message: `Secret "${secret.name}" is already declared at ${prev} for namespace ${namespace}; two ExternalSecrets would fight over it`, fix: 'give each secret a unique name within the namespace' });
      else owner.set(id, path);
    });
  });
  return out;
}

/** Two services routed on the same host name would take each other's traffic. */
function serviceHostsUnique(spec: PlatformSpec): Problem[] {
  const out: Problem[] = [];
  const owner = new Map<string, string>();
  const claim = (host: string | undefined, path: string) => {
    if (!host) return;
    const prev = owner.get(host);
    if (prev) out.push({ path, message: `host "${host}" is already used at ${prev}`, fix: 'give each service its own host name' });
    else owner.set(host, path);
  };
  spec.services?.forEach((s, i) => {
    claim(s.host, `services[${i}].host`);
    Object.entries(s.overrides ?? {}).forEach(([env, o]) => claim(o.host, `services[${i}].overrides.${env}.host`));
  });
  return out;
}

const ssoRules: Rule = (spec) => {
  const sso = spec.argocd?.sso;
  if (!sso) return [];
  const out: Problem[] = [];
  if (sso.scopes && !sso.scopes.includes('groups')) out.push({ path: 'argocd.sso.scopes', message: 'does not include "groups": group-based RBAC would never match', fix: 'add groups to the scopes' });
  // Admin is disabled once SSO is configured: without an admin group nobody could administer
  // Argo CD except through the break-glass path. The tool never invents a group name.
  if (!sso.adminGroups?.length) out.push({ path: 'argocd.sso.adminGroups', message: 'no SSO group administers Argo CD (the local admin is disabled with SSO, and no group name is assumed)', fix: 'list the platform team\'s group(s) from your identity provider' });
  return out;
};

/** SSO group names go into policy.csv lines and AppProject roles: one line each, no control characters. */
const groupNameRules: Rule = (spec) => {
  const out: Problem[] = [];
  const check = (groups: string[] | undefined, path: string) =>
    groups?.forEach((g, i) => {
      if (/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/.test(g)) out.push({ path: `${path}[${i}]`, message: `${JSON.stringify(g)} holds a line break or control character: policy.csv is read line by line`, fix: 'use the group name exactly as the identity provider sends it in the groups claim' });
    });
  check(spec.argocd?.sso?.adminGroups, 'argocd.sso.adminGroups');
  check(spec.argocd?.sso?.readonlyGroups, 'argocd.sso.readonlyGroups');
  spec.tenants?.forEach((t, i) => {
    check(t.groups?.admin, `tenants[${i}].groups.admin`);
    check(t.groups?.developer, `tenants[${i}].groups.developer`);
    check(t.groups?.readonly, `tenants[${i}].groups.readonly`);
  });
  return out;
};

/** Label keys the generator sets itself on every cluster registration Secret. */
const GENERATED_CLUSTER_LABELS = ['env', 'region'];

/**
 * Cluster labels and region become label values of the Argo CD cluster Secret (and selectors
 * read them): the API server rejects a key or value Kubernetes does not accept, and a user label
 * must never override what Argo CD reads (`argocd.argoproj.io/secret-type`) or what the
 * generator sets.
 */
const clusterLabelRules: Rule = (spec) => {
  const out: Problem[] = [];
  spec.clusters.forEach((c, i) => {
    if (c.region !== undefined) {
      const why = labelValueProblem(c.region);
      if (why) out.push({ path: `clusters[${i}].region`, message: `${JSON.stringify(c.region)} becomes the value of label "region": ${why}`, fix: 'use letters, digits, "-", "_" and "." (at most 63), starting and ending with a letter or digit, e.g. eu-west-1' });
    }
    const envLabel = (c.environments ?? (c.environment ? [c.environment] : [])).join('-');
    if (envLabel.length > MAX_LABEL) out.push({ path: `clusters[${i}].environments`, message: `the label env="${envLabel}" (the environments joined by "-") is ${envLabel.length} characters; label values are limited to ${MAX_LABEL}`, fix: 'shorten the environment names or serve fewer environments from one cluster' });
    for (const [key, value] of Object.entries(c.labels ?? {})) {
      const at = `clusters[${i}].labels.${key}`;
      const keyWhy = labelKeyProblem(key);
      if (keyWhy) out.push({ path: at, message: `${JSON.stringify(key)} is not a valid label key: ${keyWhy}`, fix: 'use name or prefix/name, e.g. team or acme.com/team' });
      else if (key.startsWith('argocd.argoproj.io/') || key.endsWith('.argocd.argoproj.io') || key.includes('.argocd.argoproj.io/')) out.push({ path: at, message: `"${key}" is reserved for Argo CD (it reads argocd.argoproj.io/secret-type to find cluster Secrets)`, fix: 'choose a key outside the argocd.argoproj.io prefix' });
      else if (GENERATED_CLUSTER_LABELS.includes(key)) out.push({ path: at, message: `"${key}" is set by the generator (${key === 'env' ? 'from the environments the cluster serves' : 'from clusters[].region'})`, fix: key === 'env' ? 'remove it: set environment(s) instead' : 'remove it: set region instead' });
      const valueWhy = typeof value === 'string' ? labelValueProblem(value) : 'not a string';
      if (valueWhy) out.push({ path: at, message: `${JSON.stringify(value)} is not a valid label value: ${valueWhy}`, fix: 'use letters, digits, "-", "_" and "." (at most 63), starting and ending with a letter or digit' });
    }
  });
  return out;
};

/**
 * How each spoke is registered with Argo CD: cloud IAM needs the cluster's CA (public) and
 * nothing secret; a token comes from the secret store, is sealed for the hub, or (SOPS) cannot be
 * produced by anything the repository holds.
 */
const clusterAuthRules: Rule = (spec) => {
  const out: Problem[] = [];
  const backend = effectiveBackend(spec);
  spec.clusters.forEach((c, i) => {
    const at = `clusters[${i}]`;
    const hub = c.server.replace(/\/$/, '') === HUB_SERVER;
    const auth = c.auth;
    if (hub) {
      if (auth) out.push({ path: `${at}.auth`, message: `"${c.name}" is the hub: Argo CD reaches it in-cluster with its own ServiceAccount`, fix: 'remove auth from the hub' });
      return;
    }
    const type = auth?.type ?? 'token';
    if (type !== 'token' && !c.caData) out.push({ path: `${at}.caData`, message: `${type} authentication verifies the API server against the cluster's CA, which is missing (Argo CD would fall back to the system roots and fail the TLS handshake)`, fix: "set caData to the base64 CA (kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')" });
    if (type === 'aks' && !auth?.clientId) out.push({ path: `${at}.auth.clientId`, message: 'aks authentication needs the client ID of the Azure workload identity Argo CD authenticates as', fix: 'set auth.clientId (az identity show --query clientId)' });
    if (auth?.sealedToken && (type !== 'token' || backend !== 'sealed-secrets')) out.push({ path: `${at}.auth.sealedToken`, message: `a sealed token is only read with type token and the sealed-secrets backend (this cluster: ${type}, backend ${backend})`, fix: 'remove it' });
    if (type === 'token' && backend === 'sops') out.push({ path: `${at}.auth`, message: `spoke "${c.name}" authenticates with a token, but with the sops backend nothing can render its Argo CD cluster Secret without committing the token (sops encrypts only by hand)`, fix: 'use auth.type aws, gke or aks (cloud IAM, no token), or secrets.backend external-secrets / sealed-secrets' });
    if (type === 'token' && backend === 'sealed-secrets' && auth?.sealedToken && !c.caData) out.push({ path: `${at}.caData`, message: 'the sealed token is checked against the cluster\'s CA, which is missing', fix: 'set caData to the base64 CA of the cluster' });
  });
  return out;
};

/** The stores' ServiceAccounts need a cloud identity the provider trusts (IRSA, Workload Identity). */
const storeIdentityRules: Rule = (spec) => {
  const s = spec.secrets;
  if (effectiveBackend(spec) !== 'external-secrets') return [];
  const provider = s?.provider ?? 'vault';
  if (provider === 'aws' && s?.aws && !s.aws.roleArn) return [{ path: 'secrets.aws.roleArn', message: 'the stores authenticate with their ServiceAccount (IRSA), which needs the IAM role it assumes', fix: 'set secrets.aws.roleArn, e.g. arn:aws:iam::123456789012:role/eso-{identity} ({identity}: platform, ci or the tenant; secrets.identities overrides it per store)' }];
  if (provider === 'azure' && s?.azure && !s.azure.clientId) return [{ path: 'secrets.azure.clientId', message: 'the stores authenticate with Azure workload identity, which needs the client ID their ServiceAccount is federated with', fix: 'set secrets.azure.clientId (secrets.identities overrides it per store)' }];
  return [];
};

/** Promotions are commits: the revision tenant workloads track must be a branch they can land on. */
const tenantRevisionRules: Rule = (spec) => {
  const r = spec.repo.tenantRevision;
  return r !== undefined && looksLikeTag(r)
    ? [{ path: 'repo.tenantRevision', message: `"${r}" looks like a release tag: promotions merge into a branch, and a tag never moves to a merged promotion`, fix: 'name the branch promotions merge into (e.g. main)' }]
    : [];
};

/** Names composed from ci.namespace: `<namespace>-events` holds the webhook, event bus and sensor. */
const ciNameRules: Rule = (spec) => {
  const ns = spec.ci?.namespace;
  if (ns === undefined) return [];
  const events = `${ns}-events`;
  return events.length > MAX_LABEL ? [{ path: 'ci.namespace', message: `the events namespace "${events}" is ${events.length} characters; namespace names are limited to ${MAX_LABEL}`, fix: `shorten ci.namespace to at most ${MAX_LABEL - '-events'.length} characters` }] : [];
};

/** `ci.sources` is keyed by service name: a key naming no service would configure a build that never runs. */
const ciSourceRules: Rule = (spec) => {
  const services = (spec.services ?? []).map((s) => s.name);
  return Object.keys(spec.ci?.sources ?? {})
    .filter((name) => !services.includes(name))
    .map((name) => ({ path: `ci.sources.${name}`, message: `"${name}" is not a declared service; declared: ${list(services)}`, fix: 'use the name of a service, or remove the entry' }));
};

export const crossFieldRules = (spec: PlatformSpec): Problem[] =>
  [uniqueNames, urlsParse, clusterEnvironments, clusterLabelRules, clusterAuthRules, storeIdentityRules, tenantRevisionRules, tenantRules, secretsRules, serviceRules, chartServiceRules, ciSourceRules, ciNameRules, ssoRules, groupNameRules].flatMap((rule) => rule(spec));
