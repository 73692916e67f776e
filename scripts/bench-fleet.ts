// The 500-service fleet model the benchmarks use, built in memory in the shape of
// examples/enterprise/platform.yaml: 25 tenants, 12 clusters (a hub and spokes), 3 environments,
// a mix of canary / blue-green / rolling services, some with secrets, migrations, smoke tests
// and hosts. Deterministic: the same arguments give the same model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpecText } from '../generators/model/serialize.ts';
import type { ClusterSpec, PlatformSpec, ServiceSpec, TenantSpec } from '../generators/model/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];
const STRATEGIES = ['canary', 'blueGreen', 'rolling'] as const;

function fleetClusters(n: number): ClusterSpec[] {
  const clusters: ClusterSpec[] = [{ name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev', region: 'eu-west-1', labels: { role: 'hub' } }];
  for (let i = 1; i < n; i++) {
    // After the hub (dev): roughly a quarter dev, a third staging, the rest prod.
    const env = i <= Math.floor((n - 1) / 4) ? 'dev' : i <= Math.floor((n - 1) / 4) + Math.ceil((n - 1) / 3) ? 'staging' : 'prod';
    const region = REGIONS[i % REGIONS.length];
    const name = `${env}-${region.replace(/-\d$/, '')}-${i}`;
    clusters.push({ name, server: `https://${name}.k8s.acme.example.com`, environment: env, region, labels: { tier: i % 2 ? 'general' : 'compute' } });
  }
  return clusters;
}

function fleetTenants(n: number): TenantSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `team-${String(i).padStart(2, '0')}`;
    const t: TenantSpec = {
      name,
      description: `Team ${i}`,
      namespaces: i % 3 === 0 ? [name, `${name}-jobs`] : [name],
      groups: { admin: [`${name}-leads`], developer: [`${name}-devs`], ...(i % 4 === 0 ? { readonly: [`${name}-support`] } : {}) },
    };
    if (i % 2 === 0) t.repos = [`https://github.com/acme/${name}-config.git`];
    if (i % 5 === 0) t.quota = { cpu: '16', memory: '32Gi', pods: 100 };
    if (i % 7 === 3) t.environments = ['dev', 'staging']; // not in production yet
    return t;
  });
}

export function fleetService(i: number, tenants: TenantSpec[]): ServiceSpec {
  const tenant = tenants[i % tenants.length];
  const name = `svc-${String(i).padStart(3, '0')}`;
  const strategy = STRATEGIES[i % STRATEGIES.length];
  const s: ServiceSpec = {
    name,
    tenant: tenant.name,
    description: `Service ${i} of ${tenant.name}`,
    image: `ghcr.io/acme/${name}`,
    tag: `1.${i % 40}.${i % 7}`,
    port: i % 4 === 0 ? 9090 : 8080,
    strategy,
    healthPath: i % 2 ? '/healthz' : '/health/ready',
  };
  if (i % 3 === 0) s.replicas = 2 + (i % 3);
  if (i % 5 === 0) Object.assign(s, { cpu: '250m', memory: '384Mi' });
  if (i % 6 === 0) s.digest = `sha256:${(i.toString(16).padStart(4, '0') + '4b1c3f0e8a9d2c7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c').slice(0, 64)}`;
  if (strategy !== 'rolling' && i % 2 === 0) s.host = `${name}.acme.example.com`;
  if (i % 4 === 1) s.secrets = [{ name: `${name}-db`, key: `${tenant.name}/${name}/database`, properties: ['username', 'password'] }];
  if (i % 20 === 1) s.secrets!.push({ name: `${name}-api`, key: `${tenant.name}/${name}/api`, properties: ['api-key'] });
  if (i % 8 === 2) s.migration = { command: [`/app/${name}`, 'migrate', 'up'] };
  if (strategy !== 'rolling' && i % 5 === 2) s.smokeTest = { path: '/smoke' };
  if (i % 9 === 0) s.overrides = { dev: { replicas: 1, tag: `1.${(i % 40) + 1}.0-rc.1` }, ...(tenant.environments ? {} : { prod: { replicas: 4, cpu: '1', memory: '1Gi' } }) };
  if (tenant.environments) s.environments = tenant.environments;
  return s;
}

export function fleetSpec(services: number, tenantCount: number, clusterCount: number): PlatformSpec {
  const enterprise = parseSpecText(readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8'), 'enterprise') as PlatformSpec;
  const tenants = fleetTenants(tenantCount);
  return {
    ...enterprise,
    name: 'fleet',
    repo: { url: 'https://github.com/acme/fleet-gitops.git', revision: 'v2026.11.0' },
    environments: ENVIRONMENTS.map((name) => enterprise.environments.find((e) => e.name === name)!),
    clusters: fleetClusters(clusterCount),
    tenants,
    services: Array.from({ length: services }, (_, i) => fleetService(i, tenants)),
    // delivery (istio canary), secrets (external-secrets + vault), ci: the enterprise example's.
  };
}


/** The service `add service` benchmarks add to the fleet. */
export const ADDED_SERVICE: ServiceSpec = {
  name: 'svc-new',
  tenant: 'team-01',
  description: 'The one added service',
  image: 'ghcr.io/acme/svc-new',
  tag: '0.1.0',
  port: 8080,
  strategy: 'canary',
  host: 'svc-new.acme.example.com',
  secrets: [{ name: 'svc-new-db', key: 'team-01/svc-new/database', properties: ['password'] }],
};
