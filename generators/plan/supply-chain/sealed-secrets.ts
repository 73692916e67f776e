// Sealed Secrets: encrypting a value for the controller's public certificate exactly the way
// kubeseal does, so the result can be committed and only the controller can open it.
//
// kubeseal's scheme (bitnami-labs/sealed-secrets pkg/crypto/crypto.go HybridEncrypt): a random
// 32-byte AES-256-GCM session key encrypts the value with an all-zero 12-byte nonce (safe: the
// key is used once); RSA-OAEP with SHA-256 encrypts the session key, with the scope label as OAEP
// label. Output: 2-byte big-endian length of the RSA ciphertext || RSA ciphertext || AES-GCM
// ciphertext and tag, base64 (standard alphabet). The label binds the ciphertext to where it may
// be unsealed (pkg/apis/sealedsecrets/v1alpha1 EncryptionLabel): "<namespace>/<name>" (strict,
// the default), "<namespace>" (namespace-wide) or "" (cluster-wide).

import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import type { Platform, PlatformSpec } from '../../model/types.ts';
import type { PlannedFile } from '../types.ts';
import { ciCredentials, type CiCredential } from './ci-secrets.ts';
import { ciNames, registryHosts } from './settings.ts';
import { InputError } from '../../model/errors.ts';

export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export interface SealInput {
  /** The controller's certificate (`kubeseal --fetch-cert`), PEM. */
  certPem: string;
  namespace: string;
  /** Name of the Secret the SealedSecret unseals into. */
  name: string;
  value: string | Buffer;
  scope?: SealingScope;
  /** Source of randomness (tests); default node:crypto randomBytes. */
  random?: (size: number) => Buffer;
}

export const encryptionLabel = (namespace: string, name: string, scope: SealingScope = 'strict'): Buffer =>
  Buffer.from(scope === 'cluster-wide' ? '' : scope === 'namespace-wide' ? namespace : `${namespace}/${name}`);

/** The controller's public key from its certificate (or from a bare PEM public key). */
function publicKeyOf(certPem: string) {
  if (certPem.includes('BEGIN CERTIFICATE')) return new X509Certificate(certPem).publicKey;
  return createPublicKey(certPem);
}

/** One value sealed as kubeseal would seal it: the base64 text that goes into `encryptedData`. */
export function sealValue({ certPem, namespace, name, value, scope = 'strict', random = randomBytes }: SealInput): string {
  const key = publicKeyOf(certPem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`sealed-secrets certificate: expected an RSA key, got ${key.asymmetricKeyType}`);
  const sessionKey = random(32);
  const rsaCiphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: encryptionLabel(namespace, name, scope) }, sessionKey);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  const sealed = Buffer.concat([cipher.update(typeof value === 'string' ? Buffer.from(value, 'utf8') : value), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsaCiphertext.length);
  return Buffer.concat([length, rsaCiphertext, sealed]).toString('base64');
}

export interface SealedSecretsOptions {
  /** The controller's certificate (the `--sealed-secrets-cert FILE` flag). */
  certPem?: string;
  /**
   * Values to seal, by Secret name then key. The tool knows none of its own: a caller that has
   * them (a future `--seal` flag) passes them here; nothing else ever reaches a file.
   */
  values?: Record<string, Record<string, string>>;
}

/** A SealedSecret document: only ciphertext, bound to its namespace and name (strict scope). */
export function sealedSecret(c: CiCredential, encryptedData: Record<string, string>) {
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: c.secret, namespace: c.namespace },
    spec: {
      encryptedData,
      template: { metadata: { name: c.secret, namespace: c.namespace }, ...(c.type ? { type: c.type } : {}) },
    },
  };
}

/** The `kubeseal` commands that create each credential, for the README. */
export function kubesealCommands(p: Platform, certPath: string | undefined): { credential: CiCredential; command: string }[] {
  const cert = certPath ? ` --cert ${certPath}` : ' --controller-name sealed-secrets-controller --controller-namespace sealed-secrets';
  return ciCredentials(p).map((c) => {
    const hosts = registryHosts(p);
    const create =
      c.type !== 'kubernetes.io/dockerconfigjson'
        ? `kubectl create secret generic ${c.secret} -n ${c.namespace} ${c.keys.map((k) => `--from-literal=${k}=<${k}>`).join(' ')} --dry-run=client -o yaml`
        : hosts.length === 1
          ? `kubectl create secret docker-registry ${c.secret} -n ${c.namespace} --docker-server=${hosts[0]} --docker-username=<user> --docker-password=<token> --dry-run=client -o yaml`
          : // Several registries: a docker config.json holding exactly these hosts' auths.
            `kubectl create secret generic ${c.secret} -n ${c.namespace} --type=kubernetes.io/dockerconfigjson --from-file=.dockerconfigjson=<config.json with auths for ${hosts.join(', ')}> --dry-run=client -o yaml`;
    return { credential: c, command: `${create} | kubeseal${cert} -o yaml > platform/ci/sealed/${c.secret}.yaml` };
  });
}

/**
 * `--seal-values` names credentials by Secret name and key; a typo would silently seal nothing,
 * so every name and every key is checked against what the CI actually reads.
 */
function checkSealValues(credentials: CiCredential[], values: Record<string, Record<string, string>>) {
  const problems: { path: string; message: string; fix: string }[] = [];
  for (const [secret, keys] of Object.entries(values)) {
    const c = credentials.find((x) => x.secret === secret);
    if (!c) {
      problems.push({ path: `--seal-values ${secret}`, message: 'no CI credential has this name', fix: `use one of: ${credentials.map((x) => x.secret).join(', ')}` });
      continue;
    }
    const given = Object.keys(keys ?? {});
    const missing = c.keys.filter((k) => !given.includes(k));
    const unknown = given.filter((k) => !c.keys.includes(k));
    if (missing.length || unknown.length)
      problems.push({ path: `--seal-values ${secret}`, message: `${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown ${unknown.join(', ')}` : ''}`, fix: `give exactly: ${c.keys.join(', ')}` });
  }
  if (problems.length) throw new InputError('--seal-values does not match the CI credentials; nothing was written', problems);
}

/** The Secret's data: a registry credential becomes the docker config the kubelet and builders read. */
function secretData(p: Platform, c: CiCredential, values: Record<string, string>): Record<string, string> {
  if (c.type !== 'kubernetes.io/dockerconfigjson') return values;
  const auth = Buffer.from(`${values.username}:${values.password}`).toString('base64');
  return { '.dockerconfigjson': JSON.stringify({ auths: Object.fromEntries(registryHosts(p).map((h) => [h, { auth }])) }) };
}

/** Where the controller's public certificate is kept once given, so later runs reuse it. */
export const CERT_PATH = 'platform/ci/sealed/sealed-secrets-cert.pem';

/**
 * Files of the Sealed Secrets backend. Without a certificate: only the README (nothing secret).
 * With one: the certificate too (public, lets anyone seal offline), and a SealedSecret for each
 * credential whose values the caller passed. Sealing is randomized, so those are `seed` files:
 * written once and never rewritten.
 */
export function planSealedSecrets(p: Platform, opts: SealedSecretsOptions = {}): { files: PlannedFile[]; sealedFiles: string[] } {
  const files: PlannedFile[] = [];
  const sealedFiles: string[] = [];
  if (opts.certPem) {
    files.push({ path: CERT_PATH, owner: 'managed', text: opts.certPem.trim() + '\n' });
    const credentials = ciCredentials(p);
    checkSealValues(credentials, opts.values ?? {});
    for (const c of credentials) {
      const values = opts.values?.[c.secret];
      if (!values) continue;
      const plain = secretData(p, c, values);
      const encrypted = Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, sealValue({ certPem: opts.certPem!, namespace: c.namespace, name: c.secret, value: v })]));
      const path = `platform/ci/sealed/${c.secret}.yaml`;
      files.push({ path, owner: 'seed', template: 'secrets/sealed-secret.yaml.hbs', data: { comment: `${c.purpose}; sealed for ${c.namespace}/${c.secret} only`, document: sealedSecret(c, encrypted) } });
      sealedFiles.push(path);
    }
  }
  // The folder's kustomization belongs to the user from the first render on: they add each
  // SealedSecret they create with kubeseal (README), and a re-render never drops one.
  files.push({ path: 'platform/ci/sealed/kustomization.yaml', owner: 'seed', template: 'clusters/kustomization.yaml.hbs', data: { resources: sealedFiles.map((f) => f.split('/').pop()!) } });
  files.push({
    path: 'platform/ci/sealed/README.md',
    owner: 'managed',
    template: 'secrets/sealed-secrets-README.md.hbs',
    data: {
      namespace: ciNames(p).namespace,
      hasCert: !!opts.certPem,
      certPath: CERT_PATH,
      commands: kubesealCommands(p, opts.certPem ? CERT_PATH : undefined).map((x) => ({ secret: x.credential.secret, namespace: x.credential.namespace, purpose: x.credential.purpose, command: x.command })),
    },
  });
  return { files, sealedFiles };
}

/** `--seal-values` names of the secrets sealed into platform.yaml itself (not CI credentials). */
export const OIDC_SEAL_NAME = 'argocd-oidc';
export const clusterSealName = (cluster: string) => `cluster-${cluster}`;

/**
 * The values of `--seal-values` that belong in the model: the OIDC client secret
 * (`argocd-oidc: {clientSecret}`) and spoke tokens (`cluster-<name>: {token}`), sealed for the Argo CD
 * namespace and written into platform.yaml (argocd.sso.sealedClientSecret,
 * clusters[].auth.sealedToken), so every later render knows them. Returns the edited spec (a
 * copy) and the values left for the CI credentials.
 */
export function sealIntoSpec(spec: PlatformSpec, opts: SealedSecretsOptions | undefined): { spec: PlatformSpec; rest: Record<string, Record<string, string>>; changed: boolean } {
  const values = opts?.values ?? {};
  const rest: Record<string, Record<string, string>> = {};
  const problems: { path: string; message: string; fix: string }[] = [];
  let changed = false;
  const next: PlatformSpec = JSON.parse(JSON.stringify(spec));
  const namespace = next.argocd?.namespace ?? 'argocd';
  const seal = (name: string, value: string) => sealValue({ certPem: opts!.certPem!, namespace, name, value });
  for (const [name, keys] of Object.entries(values)) {
    const given = Object.keys(keys ?? {});
    if (name === OIDC_SEAL_NAME) {
      if (!next.argocd?.sso) problems.push({ path: `--seal-values ${name}`, message: 'platform.yaml configures no SSO (argocd.sso)', fix: 'configure argocd.sso first, or drop the entry' });
      else if (given.join() !== 'clientSecret') problems.push({ path: `--seal-values ${name}`, message: `expected exactly clientSecret, got ${given.join(', ') || 'nothing'}`, fix: 'write argocd-oidc: {clientSecret: "..."}' });
      else {
        next.argocd.sso.sealedClientSecret = seal(OIDC_SEAL_NAME, keys.clientSecret);
        changed = true;
      }
      continue;
    }
    const cluster = name.startsWith('cluster-') ? next.clusters.find((c) => clusterSealName(c.name) === name) : undefined;
    if (!cluster) {
      rest[name] = keys;
      continue;
    }
    if ((cluster.auth?.type ?? 'token') !== 'token') problems.push({ path: `--seal-values ${name}`, message: `cluster ${cluster.name} authenticates with ${cluster.auth!.type}: there is no token to seal`, fix: 'drop the entry' });
    else if (given.join() !== 'token') problems.push({ path: `--seal-values ${name}`, message: `expected exactly token, got ${given.join(', ') || 'nothing'}`, fix: `write ${name}: {token: "..."} (and set clusters[].caData)` });
    else {
      cluster.auth = { ...(cluster.auth ?? { type: 'token' }), type: 'token', sealedToken: seal(name, keys.token) };
      changed = true;
    }
  }
  if (problems.length) throw new InputError('--seal-values does not match platform.yaml; nothing was written', problems);
  return { spec: changed ? next : spec, rest, changed };
}
