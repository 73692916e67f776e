// Sigstore policy-controller ClusterImagePolicy (policy.sigstore.dev/v1beta1). No npm package
// ships it; written by hand from the v1beta1 schema in policy-controller's
// config/300-clusterimagepolicy.yaml. That CRD lists no required fields and no enums, so neither
// does this schema; the documented values of `mode` (enforce, warn) are left unenforced like upstream.
import { arr, bool, type CoreLookup, obj, resource, str, map, freeObject } from './dsl.ts';

export function clusterImagePolicy(core: CoreLookup) {
  const keyRef = () => obj({ data: str(), hashAlgorithm: str(), kms: str(), secretRef: obj({ name: str(), namespace: str() }) });
  const policy = () =>
    obj({
      configMapRef: obj({ key: str(), name: str(), namespace: str() }),
      data: str(),
      fetchConfigFile: bool(),
      includeObjectMeta: bool(),
      includeSpec: bool(),
      includeTypeMeta: bool(),
      remote: obj({ sha256sum: str(), url: str() }),
      type: str(),
    });
  const authority = obj({
    name: str(),
    key: keyRef(),
    keyless: obj({
      'ca-cert': keyRef(),
      identities: arr(obj({ issuer: str(), issuerRegExp: str(), subject: str(), subjectRegExp: str() })),
      insecureIgnoreSCT: bool(),
      trustRootRef: str(),
      url: str(),
    }),
    ctlog: obj({ trustRootRef: str(), url: str() }),
    rfc3161timestamp: obj({ trustRootRef: str() }),
    signatureFormat: str(),
    source: arr(obj({ oci: str(), signaturePullSecrets: arr(obj({ name: str() })), tagPrefix: str() })),
    static: obj({ action: str(), message: str() }),
    attestations: arr(obj({ name: str(), policy: policy(), predicateType: str() })),
  });
  return resource(core, 'policy.sigstore.dev/v1beta1', 'ClusterImagePolicy', {
    spec: obj({
      images: arr(obj({ glob: str() })),
      authorities: arr(authority),
      match: arr(
        obj({
          group: str(),
          resource: str(),
          version: str(),
          selector: obj({ matchExpressions: arr(obj({ key: str(), operator: str(), values: arr(str()) })), matchLabels: map() }),
        }),
      ),
      mode: str(),
      policy: policy(),
    }),
    status: freeObject(),
  });
}
