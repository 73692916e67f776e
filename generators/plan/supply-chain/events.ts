// Argo Events: a push to a service's source repository starts that service's pipeline.
//
//   Git host --webhook--> EventSource "git" --EventBus (JetStream)--> tenant's Sensor --create--> Workflow
//
// Everything lives in the restricted `<ci>-events` namespace, apart from the Workflows the
// Sensor creates in the build namespace. The Sensor uses a plain Kubernetes `create` trigger
// (not the argoWorkflow trigger, which shells out to the `argo` CLI bundled in the sensor image
// and whose documented RBAC is `*` on workflows and templates): it needs exactly one permission,
// `create` on `workflows` in the build namespace. The Workflow references the WorkflowTemplate,
// so everything the pipeline does is defined there, not in the trigger.

import type { Platform, Service } from '../../model/types.ts';
import { ciLabels, WORKFLOW_PARAMETERS } from './ci-workflow.ts';
import { builtServices, ciNames, exactRegex, SENSOR_POD_LABELS, sensorName, type CiNames } from './settings.ts';

type Obj = Record<string, unknown>;

export const WEBHOOK_PORT = 12000;
export const WEBHOOK_ENDPOINT = '/push';

const restrictedPod = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };
const restrictedContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
const natsContainer = { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
const podResources = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });
const syncAfterCrds = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };

/** `https://host/owner/name(.git)` or `git@host:owner/name(.git)` -> owner and name. */
export function repoPath(url: string): { owner: string; name: string } | undefined {
  const m = /^(?:https?:\/\/[^/]+\/|ssh:\/\/[^/]+\/|[\w.-]+@[\w.-]+:)(.+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return m ? { owner: m[1], name: m[2] } : undefined;
}

export function eventBus(p: Platform): Obj {
  const n = ciNames(p);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'EventBus',
    metadata: { name: 'default', namespace: n.eventsNamespace, labels: ciLabels('ci-events'), annotations: syncAfterCrds },
    spec: {
      jetstream: {
        // Must be a version the Argo Events controller's config lists (see versions.ts).
        version: p.pins.eventBusJetStream,
        replicas: 3,
        persistence: { accessMode: 'ReadWriteOnce', volumeSize: '10Gi' },
        securityContext: restrictedPod,
        // Not read-only: NATS and its config reloader keep state and a PID file on local paths.
        containerTemplate: { resources: podResources('100m', '256Mi', '512Mi'), securityContext: natsContainer },
        reloaderContainerTemplate: { resources: podResources('10m', '32Mi', '64Mi'), securityContext: natsContainer },
        metricsContainerTemplate: { resources: podResources('10m', '32Mi', '64Mi'), securityContext: natsContainer },
      },
    },
  };
}

/** Push events from GitHub (HMAC-signed with the webhook secret) or any Git host (bearer token). */
export function eventSource(p: Platform): Obj {
  const n = ciNames(p);
  const webhook = { endpoint: WEBHOOK_ENDPOINT, port: String(WEBHOOK_PORT), method: 'POST' };
  const secretRef = { name: n.secrets.webhook, key: 'secret' };
  let source: Obj;
  if (p.ci.gitProvider === 'github') {
    // No apiToken: the hook is registered by hand (platform/ci/README.md), so no GitHub token
    // sits in the cluster; GitHub signs every delivery with the webhook secret, which is checked.
    const byOwner = new Map<string, Set<string>>();
    for (const s of builtServices(p)) {
      const path = repoPath(p.ci.sources[s.name].repo);
      if (!path) continue;
      byOwner.set(path.owner, (byOwner.get(path.owner) ?? new Set()).add(path.name));
    }
    source = {
      github: {
        [n.eventName]: {
          webhook,
          events: ['push'],
          webhookSecret: secretRef,
          contentType: 'json',
          active: true,
          insecure: false,
          // Required by the GitHub source (one of the two): the services' repositories, or the
          // platform repository's owner when no source URL names one.
          ...(byOwner.size
            ? { repositories: [...byOwner].sort().map(([owner, names]) => ({ owner, names: [...names].sort() })) }
            : { organizations: [repoPath(p.repo.url)?.owner ?? p.name] }),
        },
      },
    };
  } else {
    source = { webhook: { [n.eventName]: { ...webhook, authSecret: secretRef } } };
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'EventSource',
    metadata: { name: n.eventSource, namespace: n.eventsNamespace, labels: ciLabels('ci-events'), annotations: syncAfterCrds },
    spec: {
      eventBusName: 'default',
      replicas: 1,
      template: {
        serviceAccountName: 'ci-webhook',
        securityContext: restrictedPod,
        container: { resources: podResources('50m', '64Mi', '128Mi'), securityContext: restrictedContainer },
      },
      // The controller creates this ClusterIP Service; expose it to the Git host with the
      // cluster's ingress (platform/ci/README.md).
      service: { ports: [{ name: 'webhook', port: WEBHOOK_PORT, targetPort: WEBHOOK_PORT, protocol: 'TCP' }] },
      ...source,
    },
  };
}

/** The data filters that pick one service's pushes out of every delivery. */
function serviceFilters(p: Platform, s: Service) {
  const src = p.ci.sources[s.name];
  const path = repoPath(src.repo);
  return [
    { path: 'body.ref', type: 'string', value: [exactRegex(`refs/heads/${src.branch}`)] },
    // GitHub, Gitea and Forgejo send repository.full_name; value strings are regular expressions.
    ...(path ? [{ path: 'body.repository.full_name', type: 'string', value: [exactRegex(`${path.owner}/${path.name}`)] }] : []),
    // A deleted branch still sends a push (with an all-zero `after`): nothing to build.
    { path: 'body.deleted', type: 'bool', value: ['false'] },
  ];
}

/** The parameters a service's Workflow starts with; `revision` is filled from the push (`body.after`). */
export function serviceParameters(p: Platform, s: Service): Record<(typeof WORKFLOW_PARAMETERS)[number], string> {
  const src = p.ci.sources[s.name];
  return {
    revision: '',
    repo: src.repo,
    service: s.name,
    tenant: s.tenant,
    image: s.image,
    context: src.context,
    dockerfile: src.dockerfile,
    'test-target': src.testTarget,
  };
}

function trigger(p: Platform, n: CiNames, s: Service): Obj {
  const params = serviceParameters(p, s);
  return {
    template: {
      name: `build-${s.name}`,
      conditions: s.name,
      k8s: {
        operation: 'create',
        source: {
          resource: {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Workflow',
            metadata: {
              generateName: `${s.name}-`,
              namespace: n.namespace,
              labels: { ...ciLabels('ci'), 'gitops-scaffold.dev/service': s.name, 'gitops-scaffold.dev/tenant': s.tenant },
            },
            spec: {
              workflowTemplateRef: { name: n.workflowTemplate },
              arguments: { parameters: WORKFLOW_PARAMETERS.map((name) => ({ name, value: params[name] })) },
            },
          },
        },
        parameters: [{ src: { dependencyName: s.name, dataKey: 'body.after' }, dest: `spec.arguments.parameters.${WORKFLOW_PARAMETERS.indexOf('revision')}.value` }],
      },
    },
    // The API server may be briefly unavailable; a lost event means a lost build.
    retryStrategy: { steps: 3, duration: '10s', factor: 2 },
  };
}

/**
 * The Sensor of one tenant: a dependency and a trigger per built service of the tenant. One per
 * tenant, not one for the platform: a single Sensor grows ~1.3 KB of JSON per service and would
 * pass etcd's request limit (1.5 MiB with its managed fields) at a fleet of about a thousand
 * services; a tenant's broken trigger cannot hold up another tenant's builds; and adding a
 * service rewrites its tenant's Sensor only.
 */
export function sensor(p: Platform, tenant: string, services: readonly Service[]): Obj {
  const n = ciNames(p);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Sensor',
    metadata: { name: sensorName(n, tenant), namespace: n.eventsNamespace, labels: { ...ciLabels('ci-events'), 'gitops-scaffold.dev/tenant': tenant }, annotations: syncAfterCrds },
    spec: {
      eventBusName: 'default',
      replicas: 1,
      template: {
        metadata: { labels: { ...SENSOR_POD_LABELS } },
        serviceAccountName: n.sensorSa,
        securityContext: restrictedPod,
        container: { resources: podResources('50m', '64Mi', '256Mi'), securityContext: restrictedContainer },
      },
      dependencies: services.map((s) => ({ name: s.name, eventSourceName: n.eventSource, eventName: n.eventName, filters: { data: serviceFilters(p, s) } })),
      triggers: services.map((s) => trigger(p, n, s)),
    },
  };
}

/** The built services by tenant, tenants in model order (a tenant without built services has no Sensor). */
export function sensorsByTenant(p: Platform): { tenant: string; services: Service[] }[] {
  const byTenant = new Map<string, Service[]>();
  for (const s of builtServices(p)) byTenant.set(s.tenant, [...(byTenant.get(s.tenant) ?? []), s]);
  return p.tenants.filter((t) => byTenant.has(t.name)).map((t) => ({ tenant: t.name, services: byTenant.get(t.name)! }));
}

/** Service accounts and the one grant the Sensors need. */
export function eventsRbac(p: Platform): Obj[] {
  const n = ciNames(p);
  const labels = ciLabels('ci-events');
  return [
    // The webhook receiver never calls the API: no token.
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci-webhook', namespace: n.eventsNamespace, labels }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n.sensorSa, namespace: n.eventsNamespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'ci-sensor-create-workflows', namespace: n.namespace, labels },
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'ci-sensor-create-workflows', namespace: n.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ci-sensor-create-workflows' },
      subjects: [{ kind: 'ServiceAccount', name: n.sensorSa, namespace: n.eventsNamespace }],
    },
  ];
}
