// Argo CD itself: installed from the upstream kustomize manifests pinned to a release tag and
// configured by patches (argocd-cm, -rbac-cm, -cmd-params-cm, -notifications-cm), managed by
// Argo CD from this repository after the first `kubectl apply -k bootstrap`.
//
// Why the kustomize remote base and not the Helm chart: the configuration stays plain
// ConfigMaps that reviewers, `gitops-scaffold lint` and kubeconform read as they are, the version
// is the upstream Git tag itself (no chart-to-app version mapping), and upgrading is one line.

import type { Platform, Tenant } from '../model/types.ts';
import { applicationBand, bandText, fleetPlan, type FleetPlan } from './fleet.ts';
import type { PlannedFile } from './types.ts';
import { OIDC_SECRET, oidcSecretAvailable } from './argocd-secrets.ts';
import { KSOPS_COMPONENT } from './supply-chain/sops.ts';

const dir = 'argocd/install';

export function remoteArgoCdBase(p: Platform) {
  const flavour = p.argocd.ha ? 'manifests/ha/cluster-install' : 'manifests/cluster-install';
  return `${p.pins.argocd.repo}//${flavour}?ref=${p.argocd.version}`;
}

/**
 * One field of a policy.csv line. Argo CD reads each line with Go's encoding/csv (util/rbac
 * loadPolicyLine, TrimLeadingSpace): a field holding a comma (an LDAP DN such as
 * `cn=ops,ou=groups`), a double quote or surrounding spaces must be quoted, quotes doubled;
 * unquoted, the line splits into too many fields and the whole policy fails to load.
 */
export const csvField = (value: string) => (/[",]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A role assignment line: SSO group -> role. */
const assign = (group: string, role: string) => `g, ${csvField(group)}, ${role}`;

/** policy.csv lines: platform admins, per-tenant roles bound to SSO groups, a CI role for syncs. */
export function rbacPolicy(p: Platform): string[] {
  const lines: string[] = [];
  // Only groups platform.yaml names: no group is ever invented.
  const admins = p.argocd.sso?.adminGroups ?? [];
  if (admins.length) lines.push('# Platform team: full control.', ...admins.map((g) => assign(g, 'role:admin')));
  if (p.argocd.sso?.readonlyGroups.length) {
    lines.push('# Auditors: read-only on everything.');
    for (const g of p.argocd.sso.readonlyGroups) lines.push(assign(g, 'role:readonly'));
  }
  lines.push('# CI (local account "ci", API key only): may read and sync tenant applications, nothing else.');
  for (const t of p.tenants) {
    lines.push(`p, role:ci, applications, get, ${t.name}/*, allow`, `p, role:ci, applications, sync, ${t.name}/*, allow`);
  }
  lines.push('g, ci, role:ci');
  for (const t of p.tenants) lines.push(...tenantPolicy(t));
  return lines;
}

function tenantPolicy(t: Tenant): string[] {
  const n = t.name;
  const scope = `${n}/*`;
  return [
    `# Tenant ${n}: admins sync, roll back and run resource actions; developers sync; viewers read.`,
    `p, role:${n}-admin, applications, get, ${scope}, allow`,
    `p, role:${n}-admin, applications, sync, ${scope}, allow`,
    `p, role:${n}-admin, applications, action/*, ${scope}, allow`,
    `p, role:${n}-admin, applications, delete/*/Pod/*/*, ${scope}, allow`,
    `p, role:${n}-admin, logs, get, ${scope}, allow`,
    `p, role:${n}-admin, projects, get, ${n}, allow`,
    `p, role:${n}-developer, applications, get, ${scope}, allow`,
    `p, role:${n}-developer, applications, sync, ${scope}, allow`,
    `p, role:${n}-developer, logs, get, ${scope}, allow`,
    `p, role:${n}-developer, projects, get, ${n}, allow`,
    `p, role:${n}-viewer, applications, get, ${scope}, allow`,
    `p, role:${n}-viewer, projects, get, ${n}, allow`,
    ...t.groups.admin.map((g) => assign(g, `role:${n}-admin`)),
    ...t.groups.developer.map((g) => assign(g, `role:${n}-developer`)),
    ...t.groups.readonly.map((g) => assign(g, `role:${n}-viewer`)),
  ];
}

/**
 * Strategic-merge patches sizing the upstream install for the fleet (plan/fleet.ts): the
 * application controller's shards (StatefulSet replicas, repeated in ARGOCD_CONTROLLER_REPLICAS as
 * upstream's HA guide requires) and resources, the repo-server's replicas and resources.
 */
export function scalingPatches(fleet: FleetPlan): object[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'argocd-application-controller' },
      spec: {
        replicas: fleet.controller.shards,
        template: { spec: { containers: [{ name: 'argocd-application-controller', env: [{ name: 'ARGOCD_CONTROLLER_REPLICAS', value: String(fleet.controller.shards) }], resources: fleet.controller.resources }] } },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'argocd-repo-server' },
      spec: { replicas: fleet.repoServer.replicas, template: { spec: { containers: [{ name: 'argocd-repo-server', resources: fleet.repoServer.resources }] } } },
    },
  ];
}

export function planArgoCd(p: Platform): PlannedFile[] {
  const ns = p.argocd.namespace;
  const fleet = fleetPlan(p);
  const sso = p.argocd.sso;
  // The OIDC client secret is never part of this folder (argocd-secrets.ts): Argo CD's own
  // Application must not wait for External Secrets, which Argo CD installs after itself.
  const oidc = sso && oidcSecretAvailable(p) ? sso : undefined;
  const files: PlannedFile[] = [
    {
      path: `${dir}/kustomization.yaml`,
      owner: 'managed',
      template: 'argocd/install-kustomization.yaml.hbs',
      // SOPS backend: the KSOPS Component (supply-chain/sops.ts) makes the repo-server decrypt.
      data: { namespace: ns, remoteBase: remoteArgoCdBase(p), extraResources: [], scaling: scalingPatches(fleet), clusters: String(fleet.clusters), applications: bandText(applicationBand(fleet.clusters, fleet.applications, fleet.redisHa)), shards: String(fleet.controller.shards), repoServers: String(fleet.repoServer.replicas), components: p.secrets.backend === 'sops' ? [KSOPS_COMPONENT] : [] },
    },
    { path: `${dir}/namespace.yaml`, owner: 'managed', template: 'argocd/namespace.yaml.hbs', data: { namespace: ns } },
    {
      path: `${dir}/argocd-cm.yaml`,
      owner: 'managed',
      template: 'argocd/argocd-cm.yaml.hbs',
      data: {
        namespace: ns,
        url: p.argocd.url,
        adminEnabled: sso ? 'false' : 'true',
        oidc: oidc
          ? {
              name: 'SSO',
              issuer: oidc.issuer,
              clientID: oidc.clientId,
              // A reference to a Secret key, resolved by Argo CD at run time; never the value.
              clientSecret: `$${OIDC_SECRET}:clientSecret`,
              requestedScopes: oidc.scopes,
              requestedIDTokenClaims: { groups: { essential: true } },
            }
          : null,
      },
    },
    { path: `${dir}/argocd-rbac-cm.yaml`, owner: 'managed', template: 'argocd/argocd-rbac-cm.yaml.hbs', data: { namespace: ns, policyLines: rbacPolicy(p) } },
    {
      path: `${dir}/argocd-cmd-params-cm.yaml`,
      owner: 'managed',
      template: 'argocd/argocd-cmd-params-cm.yaml.hbs',
      data: {
        namespace: ns,
        // The controller's queues and the repo-server's renders scale with the fleet (plan/fleet.ts).
        statusProcessors: String(fleet.controller.statusProcessors),
        operationProcessors: String(fleet.controller.operationProcessors),
        repoParallelism: String(fleet.repoServer.parallelism),
        shardingAlgorithm: fleet.shardingAlgorithm,
      },
    },
    {
      path: `${dir}/argocd-notifications-cm.yaml`,
      owner: 'managed',
      template: 'argocd/argocd-notifications-cm.yaml.hbs',
      data: {
        namespace: ns,
        url: p.argocd.url,
        slack: p.argocd.notifications.slack?.channel ?? null,
        webhook: p.argocd.notifications.webhook?.url ?? null,
        subscriptions: subscriptions(p),
      },
    },
    { path: `${dir}/networkpolicies.yaml`, owner: 'managed', template: 'argocd/networkpolicies.yaml.hbs', data: { namespace: ns } },
  ];
  return files;
}

function subscriptions(p: Platform) {
  const recipients = [
    ...(p.argocd.notifications.slack ? [`slack:${p.argocd.notifications.slack.channel}`] : []),
    ...(p.argocd.notifications.webhook ? ['platform'] : []),
  ];
  return recipients.length ? [{ recipients, triggers: ['on-sync-failed', 'on-health-degraded'] }] : null;
}
