// Minimal-size platform specs for every traffic router x secrets backend x delivery strategy
// (not a test file: test/plan/combinations.test.ts checks them; also used by hand to write them
// out for the referee).

type Obj = Record<string, any>;
export const ROUTERS = ['istio', 'nginx', 'alb', 'gateway-api', 'none'] as const;
export const BACKENDS = ['external-secrets', 'sealed-secrets', 'sops'] as const;
export const STRATEGIES = ['canary', 'blueGreen', 'rolling'] as const;
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');
const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const SECRETS: Record<(typeof BACKENDS)[number], Obj> = {
  'external-secrets': { backend: 'external-secrets', vault: { server: 'https://vault.example.com' } },
  'sealed-secrets': { backend: 'sealed-secrets' },
  sops: { backend: 'sops', sops: { age: [AGE] } },
};

export function combination(router: string, backend: (typeof BACKENDS)[number], strategy: string): Obj {
  return {
    name: 'combo',
    repo: { url: 'https://github.com/acme/combo-gitops.git' },
    environments: [{ name: 'dev' }, { name: 'prod' }],
    clusters: [
      { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'dev' },
      // A token spoke needs the secret store; with sealed-secrets or sops it authenticates with cloud IAM.
      { name: 'prod-1', server: 'https://prod-1.k8s.example.com', environment: 'prod', ...(backend === 'external-secrets' ? {} : { auth: { type: 'aws' }, caData: CA }) },
    ],
    tenants: [{ name: 'shop', groups: { developer: ['shop-devs'] } }],
    delivery: { router, strategy, prometheus: 'http://prometheus-operated.monitoring.svc:9090' },
    secrets: SECRETS[backend],
    services: [{ name: 'api', tenant: 'shop', image: 'ghcr.io/acme/api', tag: '1.2.3', ...(router === 'none' ? {} : { host: 'api.example.com' }) }],
  };
}

