// The supply chain of the generated platform, as planned files:
//   platform/ci/          the pipeline (WorkflowTemplate), its triggers (Argo Events), namespaces,
//                         RBAC, configuration and credentials, on the build cluster
//   platform/policy/      the ClusterImagePolicy enforcing the pipeline's signatures
//   .github/workflows/    the repository's own validation
//   .sops.yaml, platform/ci/sealed|secrets/   the Sealed Secrets and SOPS alternatives
// The add-ons that install Argo Workflows, Argo Events and the policy-controller, and the
// ApplicationSets that deploy these folders, come from apps.ts (addons.ts feeds it).

import type { Platform } from '../../model/types.ts';
import type { PlannedFile } from '../types.ts';
import { usesExternalSecrets } from '../context.ts';
import { CLUSTER_IMAGE_POLICY, clusterImagePolicy } from './admission-policy.ts';
import { CI_DIR, POLICY_DIR } from './addons.ts';
import { ciCredentials, ciSecretResources } from './ci-secrets.ts';
import { pipelineSteps, SCAN_ATTESTATION_TYPE, workflowTemplate } from './ci-workflow.ts';
import { eventBus, eventSource, eventsRbac, sensor, sensorsByTenant, serviceParameters, WEBHOOK_ENDPOINT, WEBHOOK_PORT } from './events.ts';
import { artifactRepository, buildRbac, conftestPolicies, namespaces, networkPolicies } from './namespaces.ts';
import { planRepoCi } from './repo-ci.ts';
import { planSealedSecrets, type SealedSecretsOptions } from './sealed-secrets.ts';
import { planSops } from './sops.ts';
import { buildCluster, builtServices, ciNames, firstOverlayDir, protectedClusters, signingIdentity } from './settings.ts';

export interface SupplyChainOptions {
  /** Sealed Secrets backend: the controller certificate (`--sealed-secrets-cert FILE`) and values to seal. */
  sealedSecrets?: SealedSecretsOptions;
}

type Obj = Record<string, unknown>;
const doc = (body: Obj, comment: string | null = null) => ({ comment, body });
const manifests = (path: string, header: string[], documents: { comment: string | null; body: Obj }[]): PlannedFile => ({ path, owner: 'managed', template: 'ci/manifests.yaml.hbs', data: { header, documents } });
const kustomization = (path: string, resources: string[]): PlannedFile => ({ path, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources } });

/** One line per DAG step, for the README. */
const STEP_DOCS: Record<string, string> = {
  clone: 'clones the service at the pushed commit (read-only Git credentials) into a compressed artifact.',
  test: 'runs the unit tests: the Dockerfile stage `ci.sources.<service>.testTarget` (default `test`), built and thrown away; memoized per commit.',
  build: 'builds and pushes the image with kaniko (osscontainertools fork, root with baseline capabilities, never privileged) and records its digest.',
  sbom: 'generates an SPDX JSON SBOM of the pushed image with syft.',
  sign: 'signs the image by digest with cosign.',
  'attest-sbom': 'attaches the SBOM as a signed attestation (`cosign attest --type spdxjson`).',
  scan: 'scans with grype and fails the workflow at `ci.failOn` or above (exit 2, never retried).',
  'attest-scan': 'attaches the scan report as a signed attestation, so admission can require a passed scan.',
  policy: 'checks the Dockerfile with conftest (no `:latest` base images, a non-root final USER).',
  promote: 'runs `gitops-scaffold promote SERVICE --tag <commit> --digest <digest>` at the exact version that rendered this repository: the new image goes into the service\'s first environment in `platform.yaml` and its overlay is re-rendered; then a commit is pushed, or a branch with a pull request (see the promotion section of the top-level README).',
};

function planCiFolder(p: Platform, opts: SupplyChainOptions): PlannedFile[] {
  const n = ciNames(p);
  const services = builtServices(p);
  const files: PlannedFile[] = [];
  const resources: string[] = [];
  const add = (f: PlannedFile) => {
    files.push(f);
    resources.push(f.path.slice(CI_DIR.length + 1));
  };
  add(
    manifests(`${CI_DIR}/namespaces.yaml`, [`The pipeline's namespaces: ${n.namespace} (builds, Pod Security baseline for the builder) and ${n.eventsNamespace} (webhook, event bus, sensor; restricted).`, 'Both deny all traffic except what is listed here.'], [
      ...namespaces(p).map((b) => doc(b)),
      ...networkPolicies(p).map((b) => doc(b)),
    ]),
  );
  add(manifests(`${CI_DIR}/rbac.yaml`, ['Service accounts and roles of the build namespace: step pods get no API token; the executor may only report results.'], buildRbac(p).map((b) => doc(b))));
  add(
    manifests(`${CI_DIR}/config.yaml`, ['Where workflow artifacts go (S3-compatible bucket, compressed tarballs) and the conftest policy gate.'], [
      doc(artifactRepository(p)),
      ...(p.ci.policyGate ? [doc(conftestPolicies(p))] : []),
    ]),
  );
  const wt = workflowTemplate(p);
  const steps = pipelineSteps(p).map((s) => s.name);
  add({
    path: `${CI_DIR}/workflow-template.yaml`,
    owner: 'managed',
    template: 'ci/workflow-template.yaml.hbs',
    data: {
      ...wt,
      name: n.workflowTemplate,
      chain: steps.join(' -> '),
      signing: p.ci.signing,
      failOn: p.ci.failOn,
      promotion: p.ci.promotion === 'pull-request' ? 'pull request' : 'commit',
      eventsNamespace: n.eventsNamespace,
    },
  });
  // A Sensor needs at least one trigger: the event plumbing comes with the first service.
  if (services.length)
    add({
      path: `${CI_DIR}/events.yaml`,
      owner: 'managed',
      template: 'events/events.yaml.hbs',
      data: {
        provider: p.ci.gitProvider === 'github' ? 'GitHub' : 'Git host',
        eventSource: n.eventSource,
        sensor: `${n.sensor}-<tenant>`,
        buildNamespace: n.namespace,
        jetstream: p.pins.eventBusJetStream,
        webhookPath: `${WEBHOOK_ENDPOINT} (port ${WEBHOOK_PORT})`,
        documents: [
          doc(eventBus(p), 'The event bus of the namespace (NATS JetStream, three replicas).'),
          doc(eventSource(p), p.ci.gitProvider === 'github' ? 'GitHub push deliveries, HMAC-checked with the webhook secret.' : 'Push deliveries from the Git host, accepted with the bearer token only.'),
          ...eventsRbac(p).map((b) => doc(b)),
        ],
      },
    });
  for (const { tenant, services: built } of sensorsByTenant(p))
    add(manifests(`${CI_DIR}/sensors/${tenant}.yaml`, [`The builds of tenant ${tenant}: one dependency and one trigger per service; a push to its branch creates a Workflow from the template.`], [doc(sensor(p, tenant, built))]));
  if (usesExternalSecrets(p))
    add(manifests(`${CI_DIR}/external-secrets.yaml`, ['The pipeline\'s credentials, rendered by External Secrets from the secret store (store `ci`, readable from the CI namespaces only).'], ciSecretResources(p).map((b) => doc(b))));
  if (p.secrets.backend === 'sealed-secrets') {
    files.push(...planSealedSecrets(p, opts.sealedSecrets).files);
    resources.push('sealed');
  }
  if (p.secrets.backend === 'sops') {
    files.push(...planSops(p));
    resources.push('secrets');
  }
  files.push(kustomization(`${CI_DIR}/kustomization.yaml`, resources));
  files.push(ciReadme(p, steps, files));
  return files;
}

function ciReadme(p: Platform, steps: string[], files: PlannedFile[]): PlannedFile {
  const n = ciNames(p);
  const id = signingIdentity(p);
  const what: Record<string, string> = {
    'namespaces.yaml': 'namespaces and their NetworkPolicies',
    'rbac.yaml': 'service accounts, roles and the executor token',
    'config.yaml': 'artifact repository and conftest policies',
    'workflow-template.yaml': 'the pipeline',
    'events.yaml': 'EventBus, EventSource and the Sensors\' role',
    'sensors/': 'one Sensor per tenant: a push to a service\'s branch creates its Workflow',
    'external-secrets.yaml': 'the store named ci and the credentials\' ExternalSecrets',
    'sealed/': 'your SealedSecrets (see its README)',
    'secrets/': 'your SOPS-encrypted Secrets (see its README)',
  };
  const listed = files.filter((f) => f.path.startsWith(`${CI_DIR}/`) && !f.path.endsWith('README.md') && !f.path.endsWith('.pem'));
  const names = [...new Set(listed.map((f) => f.path.slice(CI_DIR.length + 1).replace(/^(sealed|secrets|sensors)\/.*$/, '$1/')))];
  return {
    path: `${CI_DIR}/README.md`,
    owner: 'managed',
    template: 'ci/README.md.hbs',
    data: {
      buildCluster: buildCluster(p).name,
      protectedClusters: protectedClusters(p).map((c) => c.name),
      workflowTemplate: n.workflowTemplate,
      namespace: n.namespace,
      eventsNamespace: n.eventsNamespace,
      steps: steps.map((name) => ({ name, what: STEP_DOCS[name] })),
      bucket: p.ci.artifacts.bucket,
      bucketEndpoint: p.ci.artifacts.endpoint,
      bucketRegion: p.ci.artifacts.region,
      services: builtServices(p).map((s) => {
        const params = serviceParameters(p, s);
        return { name: s.name, repo: params.repo, branch: p.ci.sources[s.name].branch, image: s.image, firstEnvironment: s.environments[0], overlay: firstOverlayDir(s) };
      }),
      externalSecrets: usesExternalSecrets(p),
      sealed: p.secrets.backend === 'sealed-secrets',
      credentials: ciCredentials(p).map((c) => ({ secret: c.secret, namespace: c.namespace, remoteKey: c.remoteKey, keys: c.keys.join(', '), purpose: c.purpose })),
      // argo-events names the Service of an EventSource `<name>-eventsource-svc`.
      webhookService: `${n.eventSource}-eventsource-svc`,
      webhookPort: String(WEBHOOK_PORT),
      webhookPath: WEBHOOK_ENDPOINT,
      webhookSecret: n.secrets.webhook,
      github: p.ci.gitProvider === 'github',
      keyless: id.mode === 'keyless',
      fulcioUrl: p.ci.keyless.fulcioUrl,
      issuer: p.ci.keyless.issuer,
      subject: id.mode === 'keyless' ? id.subject : '',
      signerSa: n.signerSa,
      kms: p.ci.key.kms ?? null,
      publicKey: p.ci.key.publicKey ?? null,
      files: names.map((name) => ({ name, what: what[name] ?? (name === 'kustomization.yaml' ? 'what Argo CD applies' : '') })),
    },
  };
}

function planPolicyFolder(p: Platform): PlannedFile[] {
  if (!protectedClusters(p).length) return [];
  const cip = clusterImagePolicy(p) as { metadata: Obj; spec: Obj };
  return [
    {
      path: `${POLICY_DIR}/${CLUSTER_IMAGE_POLICY}.yaml`,
      owner: 'managed',
      template: 'policy/cluster-image-policy.yaml.hbs',
      data: {
        metadata: cip.metadata,
        spec: cip.spec,
        environments: p.environments.filter((e) => e.protected).map((e) => e.name).join(', '),
        registry: p.ci.registry,
        signing: p.ci.signing,
        attestations: [p.ci.sbom ? 'its SBOM attestation' : null, `its scan attestation (${SCAN_ATTESTATION_TYPE})`].filter(Boolean).join(' and '),
      },
    },
    kustomization(`${POLICY_DIR}/kustomization.yaml`, [`${CLUSTER_IMAGE_POLICY}.yaml`]),
  ];
}

export function planSupplyChain(p: Platform, opts: SupplyChainOptions = {}): PlannedFile[] {
  return [...planCiFolder(p, opts), ...planPolicyFolder(p), ...planRepoCi(p)];
}

export { sealValue } from './sealed-secrets.ts';
