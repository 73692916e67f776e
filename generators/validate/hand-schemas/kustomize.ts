// kustomize's Kustomization (kustomize.config.k8s.io/v1beta1) and Component (v1alpha1). Not a
// cluster resource, so no CRD and no npm schema: written by hand from kustomize v5
// api/types/kustomization.go and its field types (patch.go, image.go, replica.go, labels.go,
// helmchartargs.go, configmapargs.go, secretargs.go, generatoroptions.go, replacement.go).
// Deprecated fields kustomize still reads (bases, patchesStrategicMerge, patchesJson6902, vars,
// imageTags, commonLabels) are accepted; the linter may warn about them.
import { any, arr, bool, type CoreLookup, freeObject, int, map, obj, oneOfStr, str } from './dsl.ts';

function kustomizationFields(core: CoreLookup) {
  const selector = () =>
    obj({ group: str(), version: str(), kind: str(), name: str(), namespace: str(), labelSelector: str(), annotationSelector: str() });
  const patch = obj({ path: str(), patch: str(), target: selector(), options: obj({ allowNameChange: bool(), allowKindChange: bool() }) });
  const generatorOptions = obj({ labels: map(), annotations: map(), disableNameSuffixHash: bool(), immutable: bool() });
  const generatorArgs = {
    name: str(),
    namespace: str(),
    behavior: oneOfStr('create', 'replace', 'merge'),
    files: arr(str()),
    literals: arr(str()),
    envs: arr(str()),
    env: str(),
    options: generatorOptions,
  };
  const replacementTarget = obj({
    select: selector(),
    reject: arr(selector()),
    fieldPaths: arr(str()),
    options: obj({ delimiter: str(), index: int(), create: bool() }),
  });
  const replacement = obj({
    path: str(),
    source: obj({ group: str(), version: str(), kind: str(), name: str(), namespace: str(), fieldPath: str(), options: obj({ delimiter: str(), index: int(), create: bool() }) }),
    targets: arr(replacementTarget),
  });
  return {
    apiVersion: str(),
    kind: str(),
    metadata: core('ConfigMap', 'metadata'),
    openapi: map(),
    namePrefix: str(),
    nameSuffix: str(),
    namespace: str(),
    commonLabels: map(),
    labels: arr(obj({ pairs: map(), includeSelectors: bool(), includeTemplates: bool(), fields: arr(freeObject()) })),
    commonAnnotations: map(),
    patches: arr(patch),
    patchesStrategicMerge: arr(str()),
    patchesJson6902: arr(patch),
    images: arr(obj({ name: str(), newName: str(), newTag: str(), digest: str(), tagSuffix: str() })),
    imageTags: arr(obj({ name: str(), newName: str(), newTag: str(), digest: str() })),
    replacements: arr(replacement),
    replicas: arr(obj({ name: str(), count: int() })),
    vars: arr(freeObject()),
    sortOptions: obj({ order: oneOfStr('legacy', 'fifo'), legacySortOptions: obj({ orderFirst: arr(str()), orderLast: arr(str()) }) }),
    resources: arr(str()),
    components: arr(str()),
    crds: arr(str()),
    bases: arr(str()),
    configMapGenerator: arr(obj(generatorArgs)),
    secretGenerator: arr(obj({ ...generatorArgs, type: str() })),
    generatorOptions,
    configurations: arr(str()),
    generators: arr(str()),
    transformers: arr(str()),
    validators: arr(str()),
    buildMetadata: arr(oneOfStr('managedByLabel', 'originAnnotations', 'transformerAnnotations')),
    helmGlobals: obj({ chartHome: str(), configHome: str() }),
    helmCharts: arr(
      obj({
        name: str(),
        version: str(),
        repo: str(),
        releaseName: str(),
        namespace: str(),
        additionalValuesFiles: arr(str()),
        valuesFile: str(),
        valuesInline: any(),
        valuesMerge: oneOfStr('merge', 'override', 'replace'),
        includeCRDs: bool(),
        skipHooks: bool(),
        apiVersions: arr(str()),
        kubeVersion: str(),
        nameTemplate: str(),
        skipTests: bool(),
        debug: bool(),
      }),
    ),
  };
}

export function kustomization(core: CoreLookup) {
  const f = kustomizationFields(core);
  return obj({ ...f, apiVersion: oneOfStr('kustomize.config.k8s.io/v1beta1'), kind: oneOfStr('Kustomization') });
}

export function kustomizeComponent(core: CoreLookup) {
  const f = kustomizationFields(core);
  return obj({ ...f, apiVersion: oneOfStr('kustomize.config.k8s.io/v1alpha1'), kind: oneOfStr('Component') }, ['apiVersion', 'kind']);
}
