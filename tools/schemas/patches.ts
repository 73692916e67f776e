// Known differences between the kubernetes-models declarations and what the controllers accept,
// fixed after generation. Each patch names the upstream source it follows; each one was found by
// comparing the generated schema with the upstream CRD (see docs/validate.md).
import type { KindEntry } from '../../generators/validate/catalog.ts';
import { type JsonSchema, type Step, walkSchema } from '../../generators/validate/build/json-schema.ts';

export interface SchemaPatch {
  /** Which kinds it applies to. */
  applies: (e: KindEntry) => boolean;
  why: string;
  apply: (root: JsonSchema) => void;
}

const lastProp = (steps: readonly Step[]): string | undefined => {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if ('prop' in s) return s.prop;
    if (!('branch' in s)) return undefined;
  }
  return undefined;
};

/** The property that holds the node, looking through array items and map entries. */
const holderProp = (steps: readonly Step[]): string | undefined => {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if ('prop' in s) return s.prop;
  }
  return undefined;
};

const isPkg = (pkg: string) => (e: KindEntry) => e.source.type === 'package' && e.source.pkg === pkg;

/** Replaces a node, in place, by a free-form object (any keys, any values). */
const makeFreeForm = (node: JsonSchema) => {
  for (const k of Object.keys(node)) delete node[k];
  node.type = 'object';
};

/** Drops `fields` from `required` of every object held by a property named in `via`. */
const notRequiredUnder = (via: readonly string[], ...fields: string[]) => (root: JsonSchema) =>
  walkSchema(root, (node, steps) => {
    const p = holderProp(steps);
    if (p && via.includes(p) && node.required?.some((r) => fields.includes(r))) {
      node.required = node.required.filter((r) => !fields.includes(r));
      if (node.required.length === 0) delete node.required;
    }
  });

const addEnumValues = (prop: string, values: string[]) => (root: JsonSchema) =>
  walkSchema(root, (node, steps) => {
    if (lastProp(steps) === prop && node.enum) for (const v of values) if (!node.enum.includes(v)) node.enum.push(v);
  });

/** Makes every node reached through a property named `name` free-form. */
const freeFormAt = (names: readonly string[]) => (root: JsonSchema) =>
  walkSchema(root, (node, steps) => {
    const p = lastProp(steps);
    if (p && names.includes(p)) makeFreeForm(node);
  });

/**
 * Adds fields the controllers accept in newer releases than the one the npm package was generated
 * from, on every object reached through one of `via` that already has all of `identify`.
 */
const addFields = (via: readonly string[] | '*', identify: readonly string[], fields: Record<string, JsonSchema>) => (root: JsonSchema) =>
  walkSchema(root, (node, steps) => {
    const p = holderProp(steps);
    if (via !== '*' && !(p && via.includes(p))) return;
    if (!node.properties || !identify.every((f) => f in node.properties!)) return;
    for (const [k, v] of Object.entries(fields)) if (!(k in node.properties)) node.properties[k] = structuredClone(v);
  });

const str: JsonSchema = { type: 'string' };
const bool: JsonSchema = { type: 'boolean' };
const freeObject: JsonSchema = { type: 'object' };
const freeList: JsonSchema = { type: 'array', items: { type: 'object' } };

export const PATCHES: readonly SchemaPatch[] = [
  {
    applies: isPkg('@kubernetes-models/argo-workflows'),
    why:
      'ParallelSteps is declared as { steps: WorkflowStep[] }, but it serializes as a bare list ' +
      '(`steps: [[...], [...]]`, see its own doc comment); the CRD types it as an array of arrays.',
    apply: (root) =>
      walkSchema(root, (node, steps) => {
        const items = node.items as JsonSchema | undefined;
        const inner = items?.properties?.steps;
        if (lastProp(steps) === 'steps' && items && Object.keys(items.properties ?? {}).length === 1 && inner?.type === 'array') node.items = inner;
      }),
  },
  {
    applies: isPkg('@kubernetes-models/argo-workflows'),
    why: 'Argo Workflows v4.1 fields newer than the package (v4.0.5): template pendingTimeout/podResources/resourceClaims, executorPlugins, artifact http.saveStreamViaFile and s3.addressingStyle.',
    apply: (root) => {
      addFields(['templates', 'templateDefaults', 'inline'], ['name', 'container'], { pendingTimeout: str, podResources: freeObject, resourceClaims: freeList })(root);
      addFields(['spec', 'workflowSpec'], ['templates', 'entrypoint'], { executorPlugins: freeList, podResources: freeObject, resourceClaims: freeList })(root);
      addFields(['http'], ['url', 'headers'], { saveStreamViaFile: bool })(root);
      addFields(['s3'], ['bucket', 'key'], { addressingStyle: str })(root);
    },
  },
  {
    applies: isPkg('@kubernetes-models/argo-cd'),
    why: 'Argo CD 3.4/3.5 fields newer than the package (v3.3.9): source tagPrefix, directory.disableExtensionFilter, hydrator syncSource.repoURL, AppProject sourceIntegrity and syncWindows[].syncOverrun.',
    apply: (root) => {
      addFields('*', ['repoURL', 'targetRevision', 'chart'], { tagPrefix: str })(root);
      addFields(['directory'], ['recurse', 'exclude'], { disableExtensionFilter: bool })(root);
      addFields(['syncSource'], ['path', 'targetBranch'], { repoURL: str })(root);
      addFields(['spec'], ['sourceRepos', 'destinations'], { sourceIntegrity: freeObject })(root);
      addFields('*', ['kind', 'schedule', 'duration', 'manualSync'], { syncOverrun: bool })(root);
      addFields(['gitea'], ['owner', 'allBranches'], { excludeArchivedRepos: bool })(root);
      addFields(['github'], ['organization', 'allBranches'], { excludeArchivedRepos: bool })(root);
      addFields(['gitlab'], ['group', 'allBranches'], { includeArchivedRepos: bool })(root);
    },
  },
  {
    applies: isPkg('@kubernetes-models/argo-rollouts'),
    why: 'Argo Rollouts 1.9 fields the package lacks: datadog requestTimeout, web/prometheus authentication.basicAuth.',
    apply: (root) => {
      addFields(['datadog'], ['query', 'interval'], { requestTimeout: str })(root);
      addFields(['authentication'], ['sigv4'], { basicAuth: { type: 'object', properties: { username: str, password: str } } })(root);
    },
  },
  {
    applies: isPkg('@kubernetes-models/external-secrets'),
    why:
      'External Secrets v2 fields newer than the package (v0.16.2 APIs): nullBytePolicy, rewrite merge, syncWindows, target.manifest, ' +
      'template metadata.finalizers, templateFrom valuesDecodingStrategy, creationPolicy CreateOrMerge, ClusterExternalSecret dataTo.',
    apply: (root) => {
      addFields('*', ['conversionStrategy', 'decodingStrategy'], { nullBytePolicy: str })(root);
      addFields('*', ['regexp', 'transform'], { merge: freeObject })(root);
      addFields(['spec', 'externalSecretSpec'], ['secretStoreRef', 'target'], { syncWindows: freeObject })(root);
      addFields(['target'], ['creationPolicy', 'deletionPolicy'], { manifest: freeObject })(root);
      addFields(['metadata'], ['annotations', 'labels', 'finalizers'], {})(root);
      addFields(['metadata'], ['annotations', 'labels'], { finalizers: { type: 'array', items: str } })(root);
      addFields('*', ['configMap', 'secret', 'target'], { valuesDecodingStrategy: str })(root);
      addFields(['spec'], ['externalSecretSpec', 'namespaceSelector'], { dataTo: freeList })(root);
      addFields(['spec'], ['secretStoreRefs', 'selector'], { dataTo: freeList })(root);
      addEnumValues('creationPolicy', ['CreateOrMerge'])(root);
      walkSchema(root, (node, steps) => {
        // generatorRef.kind: generator kinds added after the package's release.
        if (lastProp(steps) === 'kind' && node.enum?.includes('VaultDynamicSecret'))
          for (const k of ['BeyondtrustWorkloadCredentialsDynamicSecret', 'CloudsmithAccessToken', 'GitlabDeployToken', 'MFA', 'SSHKey'])
            if (!node.enum.includes(k)) node.enum.push(k);
      });
    },
  },
  {
    applies: isPkg('@kubernetes-models/external-secrets'),
    why:
      'External Secrets v2 SecretStore providers and provider fields newer than the package (accepted, checked shallowly), ' +
      'refreshInterval as int-or-string, and required fields upstream made optional (webhook result, pulumi accessToken, ' +
      'secretserver username/password, doppler auth.secretRef).',
    apply: (root) => {
      addFields(['provider'], ['vault', 'aws'], Object.fromEntries(
        ['barbican', 'beyondtrustworkloadcredentials', 'crd', 'dvls', 'nebiusmysterybox', 'ngrok', 'onepasswordSDK', 'openBao', 'ovh', 'volcengine'].map((n) => [n, freeObject]),
      ))(root);
      addFields(['vault'], ['server', 'path', 'version'], { checkAndSet: freeObject })(root);
      addFields(['auth'], ['kubernetes', 'appRole', 'tokenSecretRef'], { gcp: freeObject })(root);
      addFields(['cert'], ['clientCert', 'secretRef'], { path: str, vaultRole: str })(root);
      addFields(['aws'], ['service', 'region'], { customSessionTags: freeObject, sessionTagsPolicy: str })(root);
      addFields(['azurekv'], ['vaultUrl'], { customCloudConfig: freeObject, useAzureSDK: bool })(root);
      addFields(['gcpsm'], ['projectID'], { secretVersionSelectionPolicy: str })(root);
      addFields(['auth'], ['workloadIdentity', 'secretRef'], { workloadIdentityFederation: freeObject })(root);
      addFields(['github'], ['appID', 'installationID'], { orgSecretVisibility: str })(root);
      addEnumValues('service', ['CertificateManager'])(root);
      addEnumValues('environmentType', ['AzureStackCloud'])(root);
      walkSchema(root, (node, steps) => {
        if (lastProp(steps) === 'refreshInterval' && steps.length === 2 && node.type === 'integer') node.type = ['integer', 'string'];
      });
      notRequiredUnder(['webhook'], 'result')(root);
      notRequiredUnder(['pulumi'], 'accessToken')(root);
      notRequiredUnder(['secretserver'], 'username', 'password')(root);
      notRequiredUnder(['auth'], 'secretRef')(root);
    },
  },
  {
    applies: isPkg('@kubernetes-models/istio'),
    why:
      'Istio fields newer than the package: connectionPool.http.http2KeepAlive, loadBalancer.zoneAwareLbSetting, ' +
      'outlierDetection.outlierDetectionHttpErrorCodes, retryBudget.budgetInterval, server tls.insecureSkipVerify, ' +
      'redirect.prefixRewrite, source trustDomains/notTrustDomains.',
    apply: (root) => {
      addFields(['http'], ['http1MaxPendingRequests', 'http2MaxRequests'], { http2KeepAlive: freeObject })(root);
      addFields(['loadBalancer'], ['localityLbSetting'], { zoneAwareLbSetting: freeObject })(root);
      addFields(['outlierDetection'], ['consecutive5xxErrors', 'interval'], { outlierDetectionHttpErrorCodes: { type: 'array', items: { type: 'integer' } } })(root);
      addFields(['retryBudget'], ['minRetryConcurrency', 'percent'], { budgetInterval: str })(root);
      addFields(['tls'], ['mode', 'credentialName'], { insecureSkipVerify: bool })(root);
      addFields(['redirect'], ['uri', 'authority'], { prefixRewrite: str })(root);
      addFields(['source'], ['principals', 'namespaces'], { trustDomains: { type: 'array', items: str }, notTrustDomains: { type: 'array', items: str } })(root);
    },
  },
  {
    applies: isPkg('@kubernetes-models/argo-workflows'),
    why:
      'argo-workflows models take template container/script from corev1.Container, where name is required; ' +
      'the Argo Workflows v4 CRD requires no name there (templates name their container "main").',
    apply: (root) => {
      // lastProp, not holderProp: containerSet.containers[] and sidecars[] do require a name.
      walkSchema(root, (node, steps) => {
        const p = lastProp(steps);
        if ((p === 'container' || p === 'script') && node.required?.includes('name')) {
          node.required = node.required.filter((r) => r !== 'name');
          if (node.required.length === 0) delete node.required;
        }
      });
    },
  },
  {
    applies: (e) => e.source.type === 'package',
    why:
      'An embedded PersistentVolumeClaim (volumeClaimTemplates) needs no apiVersion/kind; the declarations ' +
      'reuse the top-level PersistentVolumeClaim type, where they are required.',
    apply: notRequiredUnder(['volumeClaimTemplates', 'volumeClaimTemplate'], 'apiVersion', 'kind'),
  },
  {
    applies: (e) => e.kind === 'CustomResourceDefinition',
    why:
      'JSONSchemaProps in kubernetes-models types enum/default/example/additionalProperties as objects, ' +
      'but they hold any JSON value (or a boolean); a CRD body is a schema, validated by the API server itself.',
    apply: freeFormAt(['openAPIV3Schema']),
  },
];

export function applyPatches(entry: KindEntry, root: JsonSchema): string[] {
  const applied: string[] = [];
  for (const p of PATCHES) {
    if (!p.applies(entry)) continue;
    p.apply(root);
    applied.push(p.why);
  }
  return applied;
}
