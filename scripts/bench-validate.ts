// Throughput of the validator on a synthetic fleet: N resources of a realistic mix (Deployments,
// Services, Rollouts, AnalysisTemplates, Applications, ExternalSecrets, NetworkPolicies, HPAs,
// ConfigMaps), built in memory as one folder of 10 documents per service, consistent so cross
// references resolve. Reports parse, schema-layer and end-to-end rates.
// Usage: node --import tsx scripts/bench-validate.ts [N=20000]
import { stringify } from 'yaml';
import { parseSources } from '../generators/check/parse.ts';
import type { SourceFile } from '../generators/check/resources.ts';
import { checkPlannedFiles } from '../generators/validate/plan-check.ts';
import { validateSchemas } from '../generators/validate/schema-layer.ts';
import { ensureSchemas } from '../generators/validate/schema-store.ts';

const N = Number(process.argv[2] ?? 20000);

const labels = (app: string) => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'fleet' });
const podSpec = (app: string, i: number) => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: app,
      image: `ghcr.io/acme/${app}:1.${i % 50}.0`,
      ports: [{ name: 'http', containerPort: 8080 }],
      env: [{ name: 'LOG_LEVEL', value: 'info' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  ],
});

/** One service's worth of resources (10 documents), consistent so cross references resolve. */
function serviceGroup(g: number): object[] {
  const ns = `team-${g % 40}`;
  const app = `svc-${g}`;
  const meta = (name: string) => ({ name, namespace: ns, labels: labels(app) });
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(app), spec: { replicas: 2, selector: { matchLabels: labels(app) }, template: { metadata: { labels: labels(app) }, spec: podSpec(app, g) } } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${app}-stable`), spec: { selector: labels(app), ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${app}-canary`), spec: { selector: labels(app), ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: meta(`${app}-ro`),
      spec: {
        replicas: 3,
        selector: { matchLabels: labels(`${app}-ro`) },
        template: { metadata: { labels: labels(`${app}-ro`) }, spec: podSpec(`${app}-ro`, g) },
        strategy: { canary: { stableService: `${app}-stable`, canaryService: `${app}-canary`, steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 50 }], analysis: { templates: [{ templateName: 'success-rate' }] } } },
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: meta('success-rate'),
      spec: { metrics: [{ name: 'success-rate', interval: '1m', successCondition: 'result[0] >= 0.95', provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[1m]))' } } }] },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: app, namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'fleet',
        source: { repoURL: 'https://github.com/acme/fleet.git', targetRevision: 'v1.0.0', path: `fleet/${app}` },
        destination: { server: 'https://kubernetes.default.svc', namespace: ns },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: { limit: 3 } },
      },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: meta(`${app}-db`),
      spec: { refreshInterval: '1h', secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, target: { name: `${app}-db` }, data: [{ secretKey: 'password', remoteRef: { key: `apps/${app}`, property: 'password' } }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(`${app}-ingress`),
      spec: { podSelector: { matchLabels: labels(app) }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(app),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app }, minReplicas: 2, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-config`), data: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'a,b,c' } },
  ];
}

const shared = [
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'fleet', namespace: 'argocd' }, spec: { sourceRepos: ['https://github.com/acme/fleet.git'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-*' }] } },
  { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'vault' }, spec: { provider: { vault: { server: 'https://vault.acme.example', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'eso' } } } } } },
];

/** n resources: one folder per service group of 10 documents, plus the shared project and store. */
function fleet(n: number): SourceFile[] {
  const files: SourceFile[] = [{ path: 'fleet/shared.yaml', content: shared.map((d) => stringify(d)).join('---\n') }];
  for (let g = 0; g * 10 < n - shared.length; g++) {
    files.push({ path: `fleet/svc-${g}/resources.yaml`, content: serviceGroup(g).map((d) => stringify(d)).join('---\n') });
  }
  return files;
}

const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} resources/s`;

const t0 = performance.now();
ensureSchemas();
const files = fleet(N);
console.log(`generated ${N} resources in ${files.length} files (${Math.round(performance.now() - t0)} ms)`);

let t = performance.now();
const parsed = parseSources(files);
const parseMs = performance.now() - t;
console.log(`parse:        ${Math.round(parseMs)} ms  ${rate(parsed.resources.length, parseMs)}`);

t = performance.now();
validateSchemas(parsed.resources.slice(0, 12)); // loads each kind's validator once
const loadMs = performance.now() - t;
t = performance.now();
const schema = validateSchemas(parsed.resources);
const schemaMs = performance.now() - t;
console.log(`schema layer: ${Math.round(schemaMs)} ms  ${rate(parsed.resources.length, schemaMs)}  (validator loading ${Math.round(loadMs)} ms, ${schema.findings.length} findings)`);

t = performance.now();
const all = checkPlannedFiles(files, { repoUrl: 'https://github.com/acme/fleet.git' });
const allMs = performance.now() - t;
const errors = all.findings.filter((f) => f.severity === 'error');
console.log(`end to end (parse + schema + kustomize paths + xref): ${Math.round(allMs)} ms  ${rate(all.resources.length, allMs)}  (${all.findings.length} findings, ${errors.length} errors)`);
