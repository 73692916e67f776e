// SOPS: Secrets committed encrypted. `.sops.yaml` tells `sops --encrypt` who may decrypt each
// file (age recipients, AWS KMS keys) and to encrypt only `data`/`stringData`, so reviewers still
// see names and keys. Argo CD decrypts at render time with KSOPS, a kustomize exec plugin
// installed into the repo-server by an init container, the age key mounted from a Secret that is
// created by hand once (never committed).

import type { Platform } from '../../model/types.ts';
import { imageRef } from '../../model/versions.ts';
import { toYaml } from '../../render/yaml.ts';
import type { PlannedFile } from '../types.ts';
import { ciCredentials } from './ci-secrets.ts';

/** Files sops encrypts and KSOPS decrypts: `*.sops.yaml` anywhere under the deployable folders. */
export const SOPS_PATH_REGEX = '^(apps|platform|clusters)/.*\\.sops\\.ya?ml$';
export const SOPS_AGE_SECRET = 'sops-age';

/** `.sops.yaml`: one creation rule for the repository's encrypted files. */
export function sopsConfig(p: Platform): string | undefined {
  const { age, kms } = p.secrets.sops;
  if (!age.length && !kms.length) return undefined;
  const rule: Record<string, string> = { path_regex: SOPS_PATH_REGEX, encrypted_regex: '^(data|stringData)$' };
  if (age.length) rule.age = age.join(',');
  if (kms.length) rule.kms = kms.join(',');
  return toYaml({ creation_rules: [rule] });
}

/**
 * JSON patches (RFC 6902) that add KSOPS to Argo CD's upstream repo-server Deployment: an init
 * container copies the ksops binary (and the kustomize build it ships with) into a shared
 * emptyDir, the repo-server finds them on its PATH, and reads the age key from `sops-age`.
 */
export function ksopsRepoServerPatch(p: Platform): unknown[] {
  const c = '/spec/template/spec/containers/0';
  return [
    {
      op: 'add',
      path: '/spec/template/spec/initContainers/-',
      value: {
        name: 'install-ksops',
        image: imageRef(p.pins.ksops),
        command: ['/bin/sh', '-c'],
        // The image's working directory holds both binaries (KSOPS README, Argo CD integration).
        args: ['cp ksops kustomize /custom-tools/'],
        // The repo-server's own user (999): the image's default user may be root.
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 999, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
        volumeMounts: [{ name: 'custom-tools', mountPath: '/custom-tools' }],
      },
    },
    { op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'custom-tools', emptyDir: {} } },
    { op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'sops-age', secret: { secretName: SOPS_AGE_SECRET, optional: true } } },
    { op: 'add', path: `${c}/volumeMounts/-`, value: { name: 'custom-tools', mountPath: '/usr/local/bin/kustomize', subPath: 'kustomize' } },
    { op: 'add', path: `${c}/volumeMounts/-`, value: { name: 'custom-tools', mountPath: '/usr/local/bin/ksops', subPath: 'ksops' } },
    { op: 'add', path: `${c}/volumeMounts/-`, value: { name: 'sops-age', mountPath: '/.config/sops/age', readOnly: true } },
    { op: 'add', path: `${c}/env/-`, value: { name: 'XDG_CONFIG_HOME', value: '/.config' } },
    { op: 'add', path: `${c}/env/-`, value: { name: 'SOPS_AGE_KEY_FILE', value: '/.config/sops/age/keys.txt' } },
  ];
}

export const KSOPS_COMPONENT_DIR = 'argocd/install/ksops';
/** How argocd/install/kustomization.yaml lists the Component (relative to it). */
export const KSOPS_COMPONENT = 'ksops';
/** argocd-cm: kustomize may run exec plugins (KSOPS is one), as the KSOPS README's Argo CD integration sets it. */
export const KUSTOMIZE_BUILD_OPTIONS_KEY = 'kustomize.buildOptions';
export const KUSTOMIZE_BUILD_OPTIONS = '--enable-alpha-plugins --enable-exec';

/**
 * The Component (KSOPS README, "Argo CD Integration"): the repo-server patch, and argocd-cm letting
 * kustomize run exec plugins. The age key Secret is optional so the repo-server starts before it is
 * created (KMS-only setups never create it); decryption needs it.
 */
export function ksopsComponent(p: Platform) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    patches: [
      { target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'argocd-repo-server' }, patch: toYaml(ksopsRepoServerPatch(p)) },
      // A strategic merge, not a JSON `add`: the upstream argocd-cm has no `data` to add a key to
      // (components run before this kustomization's own argocd-cm.yaml patch).
      // The target lets the Component build on its own (a patch without one must match something).
      { target: { version: 'v1', kind: 'ConfigMap', name: 'argocd-cm' }, patch: toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data: { [KUSTOMIZE_BUILD_OPTIONS_KEY]: KUSTOMIZE_BUILD_OPTIONS } }) },
    ],
  };
}

/** Files of the SOPS backend: `.sops.yaml`, the repo-server patch, the user's secrets folder, docs. */
export function planSops(p: Platform): PlannedFile[] {
  const config = sopsConfig(p);
  return [
    ...(config ? [{ path: '.sops.yaml', owner: 'managed' as const, text: config }] : []),
    // A kustomize Component, listed under `components:` of argocd/install/kustomization.yaml.
    {
      path: `${KSOPS_COMPONENT_DIR}/kustomization.yaml`,
      owner: 'managed',
      template: 'ci/manifests.yaml.hbs',
      data: {
        header: ['KSOPS for Argo CD (SOPS backend): the repo-server decrypts *.sops.yaml files while rendering, with the age key from the Secret sops-age.', 'Included by argocd/install/kustomization.yaml under components:.'],
        documents: [{ comment: null, body: ksopsComponent(p) }],
      },
    },
    // The user's: encrypted files and the KSOPS generator that lists them (README).
    { path: 'platform/ci/secrets/kustomization.yaml', owner: 'seed', template: 'clusters/kustomization.yaml.hbs', data: { resources: [] } },
    {
      path: 'platform/ci/secrets/README.md',
      owner: 'managed',
      template: 'secrets/sops-README.md.hbs',
      data: {
        hasRecipients: !!config,
        pathRegex: SOPS_PATH_REGEX,
        ageSecret: SOPS_AGE_SECRET,
        argocdNamespace: p.argocd.namespace,
        credentials: ciCredentials(p).map((c) => ({ secret: c.secret, namespace: c.namespace, keys: c.keys.join(', '), purpose: c.purpose, file: `${c.secret}.sops.yaml` })),
      },
    },
  ];
}
