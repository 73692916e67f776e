// Every upstream release the generated repository pins, in one place, so an upgrade is one
// reviewed diff. Argo projects are installed from their upstream kustomize manifests pinned to a
// release tag (the same mechanism Argo CD uses to manage itself); charts are pinned exactly.

export * from './components.ts';

import packageJson from '../../package.json' with { type: 'json' };

/**
 * The version of this tool, from package.json (the one place it is written; the bundle inlines
 * it). The generated repository pins it: its CI installs exactly this version, its README and the
 * SARIF reports name it.
 */
export const GENERATOR_VERSION: string = packageJson.version;

/** The tool's page for this exact version (SARIF informationUri, generated READMEs). */
export const GENERATOR_URL = `https://www.npmjs.com/package/gitops-scaffold/v/${GENERATOR_VERSION}`;

export const pins = {
  argocd: { version: 'v3.5.1', repo: 'https://github.com/argoproj/argo-cd' },
  argoRollouts: { version: 'v1.9.1', repo: 'https://github.com/argoproj/argo-rollouts' },
  argoWorkflows: { version: 'v4.1.2', repo: 'https://github.com/argoproj/argo-workflows' },
  argoEvents: { version: 'v1.9.11', repo: 'https://github.com/argoproj/argo-events' },
  externalSecrets: { chart: 'external-secrets', version: '2.9.0', repo: 'https://charts.external-secrets.io' },
  sealedSecrets: { chart: 'sealed-secrets', version: '2.17.9', repo: 'https://bitnami-labs.github.io/sealed-secrets' },
  policyController: { chart: 'policy-controller', version: '0.10.5', repo: 'https://sigstore.github.io/helm-charts' },
  /**
   * NATS server version of the JetStream EventBus: must be one the Argo Events controller's
   * config lists. 2.10.29 is the explicit entry of the release-1.9 line (argoproj/argo-events#4037
   * quotes it from the release manifests; argoproj/argo-helm#4045 syncs the chart to it).
   */
  eventBusJetStream: '2.10.29',
} as const;

/**
 * Images the pinned upstream kustomize bases reference by a floating tag (read at each tag:
 * argo-rollouts v1.9.1 manifests/base sets `newTag: latest` for quay.io/argoproj/argo-rollouts;
 * argo-workflows v4.1.2 manifests/base uses workflow-controller:latest and argocli:latest, and the
 * executor image defaults to the controller's own version; argo-events v1.9.11 manifests/base
 * already sets newTag v1.9.11). A kustomization using the base must pin each one with `images:`.
 */
type UpstreamPins = { [K in 'argoRollouts' | 'argoWorkflows' | 'argoEvents']: { version: string; repo: string } };

/** The images of the upstream bases at the releases `set` pins (a repository's recorded pins). */
export const upstreamBaseImages = (set: UpstreamPins = pins): { repo: string; version: string; images: { name: string; newTag: string; floatingUpstream: boolean }[] }[] => [
  { repo: set.argoRollouts.repo, version: set.argoRollouts.version, images: [{ name: 'quay.io/argoproj/argo-rollouts', newTag: set.argoRollouts.version, floatingUpstream: true }] },
  {
    repo: set.argoWorkflows.repo,
    version: set.argoWorkflows.version,
    images: [
      { name: 'quay.io/argoproj/workflow-controller', newTag: set.argoWorkflows.version, floatingUpstream: true },
      { name: 'quay.io/argoproj/argocli', newTag: set.argoWorkflows.version, floatingUpstream: true },
    ],
  },
  { repo: set.argoEvents.repo, version: set.argoEvents.version, images: [{ name: 'quay.io/argoproj/argo-events', newTag: set.argoEvents.version, floatingUpstream: false }] },
];

/** At this tool's pins (what the simulation knows the upstream bases by). */
export const UPSTREAM_BASE_IMAGES = upstreamBaseImages();

/** The `images:` a kustomization using the upstream base at `repo` (pinned tag, from `set`) needs. */
export const upstreamImagePins = (repo: string, set: UpstreamPins = pins) => (upstreamBaseImages(set).find((b) => b.repo === repo)?.images ?? []).map(({ name, newTag }) => ({ name, newTag }));

export interface ImagePin {
  image: string;
  tag: string;
  /** Index digest, only where two independent sources agree on it; otherwise the exact tag stands alone. */
  digest?: string;
  /** Where the pin was read. */
  source: string;
  /**
   * The image's ENTRYPOINT. Argo Workflows' emissary executor must know a container's command: a
   * step without one makes the controller look the entrypoint up in the registry for every pod
   * (workflowpod.go), which needs pull access and fails for private registries.
   */
  entrypoint?: readonly string[];
}

/** The images the CI WorkflowTemplate runs. Never `latest`; `ref()` adds the digest when known. */
export const ciImages = {
  /** Alpine with git and openssh (the kustomize image): the clone step. */
  git: { image: 'registry.k8s.io/kustomize/kustomize', tag: 'v5.7.1', source: 'kubernetes-sigs/kustomize kustomize.Dockerfile (alpine + git + openssh)' },
  /** osscontainertools/kaniko, the maintained fork of the archived GoogleContainerTools/kaniko. */
  kaniko: { image: 'docker.io/martizih/kaniko', tag: 'v1.27.6', entrypoint: ['/kaniko/executor'], source: 'osscontainertools/kaniko CHANGELOG.md, release 2026-06-05' },
  syft: { image: 'docker.io/anchore/syft', tag: 'v1.51.1', entrypoint: ['/syft'], digest: 'sha256:95fe0835e5bebc6f8b1f8acef68d47d63d594ef4c0f25c097ff853b23cbac74c', source: 'digest quoted identically by two unrelated repositories pinning anchore/syft:v1.51.1' },
  grype: { image: 'docker.io/anchore/grype', tag: 'v0.118.0', entrypoint: ['/grype'], digest: 'sha256:8a93fc48da96bd6ec5981279d099b69de11541dc68fdf222fb9161f8ff284af7', source: 'digest quoted identically by three unrelated repositories pinning anchore/grype:v0.118.0' },
  cosign: { image: 'ghcr.io/sigstore/cosign/cosign', tag: 'v3.0.6', entrypoint: ['/ko-app/cosign'], digest: 'sha256:de9c65609e6bde17e6b48de485ee788407c9502fa08b8f4459f595b21f56cd00', source: 'digest quoted identically by two unrelated repositories pinning cosign v3.0.6' },
  /**
   * Node.js (Debian bookworm, which carries git, openssh and curl) for the promote step, which runs
   * `npx gitops-scaffold@<this version> promote`. Node 24 is the LTS line the generated CI uses;
   * the tag is rebuilt by Docker for Debian fixes, so no single digest is quoted for it.
   */
  node: { image: 'docker.io/library/node', tag: '24.11.1-bookworm', entrypoint: ['docker-entrypoint.sh'], source: 'docker-library/official-images library/node (24.11.1-bookworm)' },
  conftest: { image: 'docker.io/openpolicyagent/conftest', tag: 'v0.69.0', entrypoint: ['/conftest'], digest: 'sha256:a38ba21668929a00dce2fe6ee43d1312228340bce5fd243f47dd0ce90516e558', source: 'digest quoted identically by two unrelated repositories pinning conftest v0.69.0' },
} as const satisfies Record<string, ImagePin>;

/** `image:tag@digest` when the digest is known, else `image:tag`. */
export const imageRef = (pin: ImagePin) => `${pin.image}:${pin.tag}${pin.digest ? `@${pin.digest}` : ''}`;

/** What the generated repository's own GitHub Actions workflow downloads or uses. */
export const repoCiPins = {
  /** Actions pinned by commit SHA (the tag is only a comment). */
  checkout: { action: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', tag: 'v4.2.2' },
  setupNode: { action: 'actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', tag: 'v4.4.0' },
  /** Release archives checked against SHA-256 sums from each project's release CHECKSUMS. */
  kustomize: { version: 'v5.8.2', linuxAmd64Sha256: '06af0a202c2b831207d0173f9c9cdb1b30abceca0747cb3fbb72792d26055c95' },
  kubeconform: { version: 'v0.8.0', linuxAmd64Sha256: '9bc2bffbf71f261128533edaf912153948b7ff238f9a531ae6d34466ec287883' },
  /** The helm Argo CD v3.5.1's repo-server runs (hack/tool-versions.sh helm4_version), with the
   * SHA-256 from its hack/installers/checksums: `diff` renders chart sources with the same helm. */
  helm: { version: 'v4.2.1', linuxAmd64Sha256: '479dca836e5b45e8bd222400c5591b0e3a647378f03ff96597180db97c17fdae' },
  /** Node.js of the generated CI: an LTS line in support (20 reached end of life in April 2026). */
  node: '24',
} as const;

/**
 * The Argo Rollouts traffic router plugin for the Gateway API, downloaded by the Rollouts
 * controller when it starts (argo-rollouts-config). The release publishes no checksum file we could
 * cross-check, so no `sha256` is pinned; add one (`sha256sum` of the asset) to make the controller
 * verify the download.
 */
export const GATEWAY_API_PLUGIN: { name: string; version: string; location: string; sha256?: string } = {
  name: 'argoproj-labs/gatewayAPI',
  version: 'v0.16.0',
  /** Release asset for linux/amd64 nodes; other architectures use their own asset name. */
  location: 'https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.16.0/gatewayapi-plugin-linux-amd64',
};

/**
 * curl for the services' HTTP smoke tests, pinned. The image's USER is a name (curl_user), which the
 * kubelet cannot prove non-root, so the pods that run it also set a numeric runAsUser.
 */
export const CURL_IMAGE = 'curlimages/curl:8.11.1';

/** KSOPS (kustomize exec plugin decrypting SOPS files) for the Argo CD repo-server, SOPS backend only. */
export const ksopsImage: ImagePin = { image: 'docker.io/viaductoss/ksops', tag: 'v4.5.1', source: 'viaductoss/ksops releases' };

/** Kubernetes version the strict schemas correspond to (kubernetes-models 5.1.0). */
export const KUBERNETES_VERSION = '1.36.0';
