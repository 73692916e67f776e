// Every upstream release the generated repository pins, in one place, so an upgrade is one
// reviewed diff. Argo projects are installed from their upstream kustomize manifests pinned to a
// release tag (the same mechanism Argo CD uses to manage itself); charts are pinned exactly.

export const GENERATOR_VERSION = '0.1.0';

export const pins = {
  argocd: { version: 'v3.5.1', repo: 'https://github.com/argoproj/argo-cd' },
  argoRollouts: { version: 'v1.9.1', repo: 'https://github.com/argoproj/argo-rollouts' },
  argoWorkflows: { version: 'v4.1.2', repo: 'https://github.com/argoproj/argo-workflows' },
  argoEvents: { version: 'v1.9.11', repo: 'https://github.com/argoproj/argo-events' },
  externalSecrets: { chart: 'external-secrets', version: '2.9.0', repo: 'https://charts.external-secrets.io' },
  sealedSecrets: { chart: 'sealed-secrets', version: '2.17.9', repo: 'https://bitnami-labs.github.io/sealed-secrets' },
  policyController: { chart: 'policy-controller', version: '0.10.5', repo: 'https://sigstore.github.io/helm-charts' },
} as const;

/** Kubernetes version the strict schemas correspond to (kubernetes-models 5.1.0). */
export const KUBERNETES_VERSION = '1.36.0';
