// Admission: the Sigstore policy-controller refuses, in every namespace of a protected
// environment, images from the CI registry that do not carry the pipeline's signature, its SBOM
// attestation and its scan attestation.
//
// Why policy-controller and not Kyverno verifyImages: it does one thing (verify Sigstore
// signatures and attestations) and nothing else runs as an admission webhook; namespaces opt in
// with `policy.sigstore.dev/include: "true"`, which the generator already puts on the namespaces
// of protected environments (clusters.ts), so dev namespaces are never blocked by a missing
// signature. Kyverno would add a general-purpose policy engine with cluster-wide mutating and
// validating webhooks to every protected cluster for this one rule.

import type { Platform } from '../../model/types.ts';
import { SCAN_ATTESTATION_TYPE } from './ci-workflow.ts';
import { POLICY_CONTROLLER_NAMESPACE, POLICY_INCLUDE_LABEL, signedImageGlobs, signingIdentity } from './settings.ts';

type Obj = Record<string, unknown>;

export const CLUSTER_IMAGE_POLICY = 'ci-signed-images';
/** Secret in the policy-controller namespace holding `cosign.pub`, key mode without an inline key. */
export const COSIGN_PUBLIC_KEY_SECRET = 'ci-cosign-public-key';

/** The authority matching how the pipeline signs (settings.signingIdentity). */
export function authority(p: Platform): Obj {
  const id = signingIdentity(p);
  const attestations = [
    ...(p.ci.sbom ? [{ name: 'sbom', predicateType: 'spdxjson' }] : []),
    { name: 'vulnerability-scan', predicateType: SCAN_ATTESTATION_TYPE },
  ];
  if (id.mode === 'keyless')
    return {
      name: 'ci-keyless',
      keyless: {
        url: id.fulcioUrl,
        // Exact issuer and subject: any other cluster or service account gets a certificate from
        // the same Fulcio too, so a pattern here would let them sign for this platform.
        identities: [{ issuer: id.issuer, subject: id.subject }],
      },
      ctlog: { url: id.rekorUrl },
      attestations,
    };
  const key = id.publicKey ? { data: id.publicKey } : id.kms ? { kms: id.kms } : { secretRef: { name: COSIGN_PUBLIC_KEY_SECRET, namespace: POLICY_CONTROLLER_NAMESPACE } };
  return { name: 'ci-key', key: { ...key, hashAlgorithm: 'sha256' }, ctlog: { url: p.ci.keyless.rekorUrl }, attestations };
}

export function clusterImagePolicy(p: Platform): Obj {
  return {
    apiVersion: 'policy.sigstore.dev/v1beta1',
    kind: 'ClusterImagePolicy',
    metadata: {
      name: CLUSTER_IMAGE_POLICY,
      labels: { 'app.kubernetes.io/part-of': 'gitops-scaffold', 'app.kubernetes.io/component': 'admission' },
      annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    },
    spec: {
      images: signedImageGlobs(p).map((glob) => ({ glob })),
      mode: 'enforce',
      authorities: [authority(p)],
    },
  };
}

/** Helm values of the policy-controller add-on. */
export function policyControllerValues(): Obj {
  return {
    webhook: {
      // Images outside the CI registry (Istio's proxy, vendor charts) match no policy: admitted
      // with a warning rather than refused; images under it must satisfy ci-signed-images.
      configData: { 'no-match-policy': 'warn' },
      failurePolicy: 'Fail',
      namespaceSelector: { matchExpressions: [{ key: POLICY_INCLUDE_LABEL, operator: 'In', values: ['true'] }] },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    },
  };
}
