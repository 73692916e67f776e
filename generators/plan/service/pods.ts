// Pod specs of a service (workload, migration Job, smoke-test Jobs), all within the Pod Security
// "restricted" profile the tenant namespaces enforce: non-root, read-only root filesystem with a
// writable emptyDir on /tmp, no privilege escalation, every capability dropped, RuntimeDefault
// seccomp, and no API token unless the service asks for one.

import type { Platform, Service } from '../../model/types.ts';
import type { Resources } from './environments.ts';
import { podLabels, selectorLabels, type Component } from './labels.ts';
import { secretMounts, secretVolumes } from './secrets.ts';

/** The only container of the workload; overlays patch its resources by index 0. */
export const APP_CONTAINER = 'app';
export const HTTP_PORT_NAME = 'http';
/** Port of every Service of the service (targetPort is the named container port). */
export const SERVICE_PORT = 80;

/** curl runs as this numeric user: its image's USER is a name the kubelet cannot prove non-root. */
const CURL_USER = 65532;

const TMP_VOLUME = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
const TMP_MOUNT = { name: 'tmp', mountPath: '/tmp' };

export const containerSecurityContext = () => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

const podSecurityContext = (runAsUser?: number) => ({
  runAsNonRoot: true,
  ...(runAsUser ? { runAsUser, runAsGroup: runAsUser } : {}),
  seccompProfile: { type: 'RuntimeDefault' },
});

export const imageRef = (image: string, tag: string, digest?: string) => `${image}:${tag}${digest ? `@${digest}` : ''}`;

const httpProbe = (path: string, periodSeconds: number, failureThreshold: number) => ({
  httpGet: { path, port: HTTP_PORT_NAME },
  periodSeconds,
  timeoutSeconds: 2,
  failureThreshold,
});

/** The workload's pod template (Rollout and Deployment alike). */
export function workloadPodTemplate(p: Platform, s: Service, image: string, resources: Resources) {
  return {
    metadata: { labels: podLabels(p, s, 'server') },
    spec: {
      serviceAccountName: s.name,
      automountServiceAccountToken: s.automountServiceAccountToken,
      // Service links put an environment variable per Service of the namespace into every container.
      enableServiceLinks: false,
      securityContext: podSecurityContext(),
      terminationGracePeriodSeconds: 30,
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selectorLabels(s) } }],
      containers: [
        {
          name: APP_CONTAINER,
          image,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: HTTP_PORT_NAME, containerPort: s.port, protocol: 'TCP' }],
          resources,
          // Up to 2.5 minutes to start before liveness applies, so slow starters are not killed.
          startupProbe: httpProbe(s.healthPath, 5, 30),
          readinessProbe: httpProbe(s.healthPath, 5, 3),
          livenessProbe: httpProbe(s.healthPath, 10, 3),
          securityContext: containerSecurityContext(),
          volumeMounts: [TMP_MOUNT, ...secretMounts(s.secrets)],
        },
      ],
      volumes: [TMP_VOLUME, ...secretVolumes(s.secrets)],
    },
  };
}

/** A run-to-completion pod: no API token, never restarted in place (the Job retries). */
function jobPodTemplate(p: Platform, s: Service, component: Component, container: Record<string, unknown>, opts: { runAsUser?: number; withSecrets: boolean }) {
  return {
    metadata: { labels: podLabels(p, s, component) },
    spec: {
      serviceAccountName: s.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: podSecurityContext(opts.runAsUser),
      containers: [{ ...container, securityContext: containerSecurityContext(), volumeMounts: [TMP_MOUNT, ...(opts.withSecrets ? secretMounts(s.secrets) : [])] }],
      volumes: [TMP_VOLUME, ...(opts.withSecrets ? secretVolumes(s.secrets) : [])],
    },
  };
}

/** The migration runs the service's image (or its own) with the service's secrets mounted. */
export function migrationPodTemplate(p: Platform, s: Service, image: string, resources: Resources) {
  return jobPodTemplate(p, s, 'migration', { name: 'migrate', image, imagePullPolicy: 'IfNotPresent', command: s.migration!.command, resources }, { withSecrets: true });
}

/** curl with retries against a URL: fails the Job on a non-2xx answer or no answer at all. */
export function smokeTestPodTemplate(p: Platform, s: Service, url: string, component: Component) {
  const command = ['curl', '--fail', '--silent', '--show-error', '--max-time', '10', '--retry', '5', '--retry-delay', '3', '--retry-all-errors', '--output', '/dev/null', url];
  return jobPodTemplate(
    p,
    s,
    component,
    { name: 'smoke-test', image: `${p.pins.curl.image}:${p.pins.curl.tag}`, imagePullPolicy: 'IfNotPresent', command, resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } } },
    { runAsUser: CURL_USER, withSecrets: false },
  );
}

/** In-namespace URL of a Service of this service. */
export const serviceUrl = (serviceName: string, path: string) => `http://${serviceName}:${SERVICE_PORT}${path}`;
