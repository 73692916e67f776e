// JSON Schema of platform.yaml (the model as written). Published as schema/platform.schema.json
// for editor completion (the generated platform.yaml references it on its first line) and used
// by validateSpec() for structure. Cross-field rules (references, uniqueness, composed name
// lengths) live in rules.ts because JSON Schema cannot say them with useful messages.

const dnsLabel = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
const str = { type: 'string', minLength: 1 };
const strList = { type: 'array', items: str };
const url = { type: 'string', minLength: 1, description: 'An absolute URL (https:// or ssh/git@ for Git).' };
/** OCI distribution-spec tag grammar: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. */
const imageTag = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$' };
/** Free text (descriptions): reaches comments and annotations, so it stays short. */
const freeText = { type: 'string', maxLength: 1024 };
const quantity = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$' };
const closed = (properties: Record<string, unknown>, required: string[] = [], description?: string) => ({
  type: 'object',
  additionalProperties: false,
  ...(description ? { description } : {}),
  properties,
  ...(required.length ? { required } : {}),
});

const environment = closed(
  {
    name: { ...dnsLabel, description: 'Environment name, e.g. dev, staging, prod (promotion order is list order).' },
    syncWindow: { enum: ['always', 'business-hours', 'no-nights'], description: 'When automatic syncs may run. Default: always for the first environments, no-nights for the last.' },
    caution: { enum: ['fast', 'standard', 'careful'], description: 'How careful deliveries are: canary steps, analysis, promotion.' },
    timeZone: { ...str, description: 'IANA time zone of the sync windows. Default: UTC.' },
    protected: { type: 'boolean', description: 'Require signed images and manual promotion. Default: true for the last environment.' },
    analysis: closed(
      { noData: { enum: ['pass', 'fail', 'inconclusive'], description: 'What an analysis concludes when Prometheus has no samples of the new version (no traffic): pass, fail (abort and roll back) or inconclusive (pause for a human). Default: fail in protected environments, pass elsewhere.' } },
      [],
      'Canary and blue-green analysis in this environment.',
    ),
  },
  ['name'],
);

const cluster = closed(
  {
    name: dnsLabel,
    server: { ...url, description: 'Kubernetes API server URL; https://kubernetes.default.svc is the hub running Argo CD.' },
    environment: { ...dnsLabel, description: 'The environment this cluster serves.' },
    environments: { type: 'array', items: dnsLabel, minItems: 1, description: 'Several environments on one cluster (separate namespaces).' },
    region: str,
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    auth: closed(
      {
        type: { enum: ['token', 'aws', 'gke', 'aks'], description: 'aws: EKS with Argo CD\'s IAM role (awsAuthConfig); gke: Workload Identity; aks: Azure workload identity; token: a ServiceAccount token (from the secret store, or sealed). Default: token.' },
        clusterName: { ...str, description: 'aws: the EKS cluster name. Default: the cluster\'s name.' },
        roleArn: { ...str, pattern: '^arn:aws[-a-z]*:iam::', description: 'aws: an IAM role Argo CD assumes for this cluster.' },
        clientId: { ...str, description: 'aks: client ID of the Azure workload identity Argo CD uses.' },
        tenantId: { ...str, description: 'aks: Azure tenant ID.' },
        sealedToken: { ...str, pattern: '^[A-Za-z0-9+/=]+$', description: 'token + sealed-secrets: the bearer token sealed for <argocd namespace>/cluster-<name> (written by --seal-values).' },
      },
      ['type'],
      'How Argo CD authenticates to this spoke.',
    ),
    caData: { ...str, pattern: '^[A-Za-z0-9+/=]+$', description: 'Base64 PEM of the API server CA (public). Required for aws/gke/aks and a sealed token.' },
  },
  ['name', 'server'],
);

const tenant = closed(
  {
    name: dnsLabel,
    description: freeText,
    namespaces: { type: 'array', items: dnsLabel, minItems: 1 },
    repos: { type: 'array', items: url },
    groups: closed({ admin: strList, developer: strList, readonly: strList }),
    quota: closed({ cpu: quantity, memory: quantity, pods: { type: 'integer', minimum: 1 } }),
    environments: { type: 'array', items: dnsLabel },
    clusters: { type: 'array', items: dnsLabel },
  },
  ['name'],
);

const service = closed(
  {
    name: dnsLabel,
    tenant: dnsLabel,
    namespace: dnsLabel,
    description: freeText,
    image: { ...str, description: 'Image repository without tag, e.g. ghcr.io/acme/payments-api.' },
    tag: { ...imageTag, description: 'Pinned image tag (never latest).' },
    digest: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    strategy: { enum: ['canary', 'blueGreen', 'rolling'] },
    environments: { type: 'array', items: dnsLabel },
    replicas: { type: 'integer', minimum: 1, maximum: 1000 },
    cpu: quantity,
    memory: quantity,
    healthPath: { type: 'string', pattern: '^/' },
    host: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    migration: closed(
      {
        command: { type: 'array', items: str, minItems: 1 },
        image: { ...str, description: 'Full image reference with a pinned tag or digest. Default: the service image.' },
      },
      ['command'],
      'Database migration run as an Argo CD hook Job before the new version rolls out.',
    ),
    smokeTest: closed({ path: { type: 'string', pattern: '^/' } }, [], 'HTTP check of the new version: a rollout analysis step and a PostSync hook Job.'),
    secrets: {
      type: 'array',
      items: closed(
        {
          name: dnsLabel,
          key: str,
          // Each property becomes a key of the Secret and a file under /etc/secrets/<name>/.
          properties: { type: 'array', items: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253 }, minItems: 1 },
        },
        ['name', 'key', 'properties'],
      ),
    },
    automountServiceAccountToken: { type: 'boolean' },
    overrides: {
      type: 'object',
      additionalProperties: closed({
        tag: imageTag,
        digest: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' },
        replicas: { type: 'integer', minimum: 1, maximum: 1000 },
        cpu: quantity,
        memory: quantity,
        host: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
        values: { type: 'object', description: 'Chart services: Helm values of this environment, over the service\'s values.' },
        chartVersion: { ...str, description: 'Chart services: the exact chart version this environment runs. Default: chart.version.' },
      }),
    },
    chart: closed(
      {
        repo: { ...str, description: 'Chart repository: oci://registry/path or an https:// Helm repository.' },
        name: { ...str, description: 'Chart name in that repository.' },
        version: { ...str, description: 'Exact chart version (never a range).' },
      },
      ['repo', 'name', 'version'],
      'Deploy a Helm chart as this service (configured through values); image and the workload fields are then not used. image and tag are required without it.',
    ),
    values: { type: 'object', description: 'Chart services: Helm values for every environment.' },
  },
  ['name', 'tenant'],
);

export const platformSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://gitops-scaffold.dev/schema/platform.schema.json',
  title: 'gitops-scaffold platform model',
  description: 'The single source of truth of a gitops-scaffold repository. Edit it, then run `gitops-scaffold render`.',
  ...closed(
    {
      $schema: { type: 'string' },
      apiVersion: { const: 'gitops-scaffold.dev/v1alpha1' },
      kind: { const: 'Platform' },
      name: { ...dnsLabel, description: 'Platform name, used in resource names.' },
      repo: closed(
        {
          url: { ...url, description: 'URL of this GitOps repository, as Argo CD clones it.' },
          revision: { ...str, description: 'Branch or tag Argo CD tracks. Default: main.' },
          changes: { enum: ['write', 'pr'], description: 'How writing commands deliver a change: `write` into the checkout, or `pr`, a branch pushed to the remote with a pull request (as --pr). Promotions into protected environments always go through a pull request. Default: write.' },
          tenantRevision: { ...str, description: 'Branch the tenants\' workloads track and promotions merge into. Default: revision when it is a branch, else main (a platform pinned to a release tag still deploys merged promotions).' },
          private: { type: 'boolean', description: 'Argo CD needs credentials to read it: the bootstrap adds them before the root app. Default: true.' },
        },
        ['url'],
      ),
      argocd: closed({
        namespace: dnsLabel,
        version: { type: 'string', pattern: '^v[0-9]+\\.[0-9]+\\.[0-9]+$', description: 'Exact Argo CD release, e.g. v3.5.1.' },
        url: url,
        ha: { type: 'boolean' },
        sso: closed(
          { issuer: url, clientId: str, scopes: strList, adminGroups: strList, readonlyGroups: strList, sealedClientSecret: { ...str, pattern: '^[A-Za-z0-9+/=]+$', description: 'Sealed Secrets backend: the OIDC client secret sealed for <argocd namespace>/argocd-oidc (written by --seal-values).' } },
          ['issuer', 'clientId'],
        ),
        notifications: closed({
          slack: closed({ channel: str }, ['channel']),
          webhook: closed({ url }, ['url']),
        }),
      }),
      environments: { type: 'array', items: environment, minItems: 1 },
      clusters: { type: 'array', items: cluster, minItems: 1 },
      tenants: { type: 'array', items: tenant },
      delivery: closed({
        strategy: { enum: ['canary', 'blueGreen', 'rolling'] },
        router: { enum: ['istio', 'nginx', 'alb', 'gateway-api', 'none'] },
        prometheus: url,
        istio: closed(
          { dataPlane: { enum: ['sidecar-cni', 'ambient'], description: 'sidecar-cni: sidecars with the Istio CNI node agent (no NET_ADMIN init container, so Pod Security restricted admits the pods); ambient: no sidecars (ztunnel, a waypoint per tenant namespace). Default: sidecar-cni.' } },
          [],
          'Istio router: how tenant pods join the mesh.',
        ),
      }),
      secrets: closed({
        backend: { enum: ['external-secrets', 'sealed-secrets', 'sops'] },
        provider: { enum: ['vault', 'aws', 'gcp', 'azure'] },
        vault: closed({ server: url, path: str, authMountPath: str }, ['server']),
        aws: closed({ region: str, roleArn: { ...str, description: 'IAM role the stores\' ServiceAccounts assume (IRSA); {identity} is replaced by platform, ci or the tenant name.' } }, ['region']),
        gcp: closed({ projectId: str, clusterLocation: str, clusterName: str, serviceAccount: { ...str, description: 'Google service account of the stores (Workload Identity); {identity} is replaced. Default: eso-{identity}@<projectId>.iam.gserviceaccount.com.' } }, ['projectId']),
        azure: closed({ vaultUrl: url, tenantId: str, clientId: { ...str, description: 'Workload identity client ID of the stores\' ServiceAccounts; {identity} is replaced.' } }, ['vaultUrl']),
        identities: { type: 'object', additionalProperties: str, description: 'Per store identity (platform, ci, a tenant name): the role ARN / service account / client ID its ServiceAccount uses.' },
        sops: closed(
          {
            age: { type: 'array', items: { type: 'string', pattern: '^age1[0-9a-z]+$' }, description: 'age recipients (public keys).' },
            kms: { type: 'array', items: { type: 'string', pattern: '^arn:aws[-a-z]*:kms:' }, description: 'AWS KMS key ARNs.' },
          },
          [],
          'SOPS backend: who can decrypt the *.sops.yaml files (written to .sops.yaml).',
        ),
      }),
      ci: closed({
        registry: { ...str, description: 'Registry (and path prefix) the pipeline pushes to; admission verifies signatures of every image under it.' },
        signing: { enum: ['keyless', 'key'], description: 'keyless: Fulcio certificate for the pipeline\'s service account; key: a cosign key (KMS or from the secret store).' },
        sbom: { type: 'boolean', description: 'Generate an SPDX SBOM with syft and attest it. Default: true.' },
        failOn: { enum: ['negligible', 'low', 'medium', 'high', 'critical'], description: 'grype fails the build at this severity or above. Default: high.' },
        gitProvider: { enum: ['github', 'generic'], description: 'Where pushes come from: a GitHub webhook (HMAC-checked) or a generic webhook with a bearer token.' },
        namespace: { ...dnsLabel, description: 'Namespace of the build pipeline. Default: ci.' },
        keyless: closed(
          {
            issuer: { ...url, description: 'OIDC issuer of the build cluster\'s service-account tokens (EKS/GKE/AKS issuer URL for public Fulcio).' },
            fulcioUrl: url,
            rekorUrl: url,
          },
          [],
          'Keyless signing settings.',
        ),
        key: closed(
          {
            kms: { ...str, pattern: '^(awskms|gcpkms|azurekms|hashivault)://', description: 'KMS key to sign with (no key material in the cluster).' },
            publicKey: { ...str, pattern: '^-----BEGIN PUBLIC KEY-----', description: 'PEM public key admission verifies with.' },
          },
          [],
          'Key signing settings.',
        ),
        artifacts: closed({ bucket: str, endpoint: str, region: str }, [], 'S3-compatible bucket for workflow artifacts.'),
        promotion: { enum: ['commit', 'pull-request'], description: 'How the new image lands in the first environment. Default: pull-request on GitHub, commit otherwise.' },
        policyGate: { type: 'boolean', description: 'Run the conftest Dockerfile policy gate before promotion. Default: true.' },
        sources: {
          type: 'object',
          description: 'Per service name: its source repository and build settings.',
          additionalProperties: closed({
            repo: url,
            branch: str,
            context: str,
            dockerfile: str,
            testTarget: { type: 'string', description: 'Dockerfile stage running the unit tests; empty skips them. Default: test.' },
          }),
        },
      }),
      services: { type: 'array', items: service },
    },
    ['name', 'repo', 'environments', 'clusters'],
  ),
} as const;
