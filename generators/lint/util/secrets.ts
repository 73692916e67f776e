// Reading Secrets as committed: `data` is base64, `stringData` is plain text. Argo CD's own
// credential Secrets are recognised by their `argocd.argoproj.io/secret-type` label.

import type { ParsedResource } from '../../check/resources.ts';
import { ptr } from './pointer.ts';
import { isObj, labelsOf, str } from './values.ts';

export const ARGOCD_SECRET_TYPE = 'argocd.argoproj.io/secret-type';
export const ARGOCD_CREDENTIAL_TYPES = new Set(['cluster', 'repository', 'repo-creds', 'repository-write', 'repo-write-creds']);

export interface SecretValue {
  key: string;
  /** Decoded text (base64 `data` decoded as UTF-8). */
  value: string;
  pointer: string;
}

const decode = (v: string) => {
  try {
    return Buffer.from(v, 'base64').toString('utf8');
  } catch {
    return v;
  }
};

export const isCoreSecret = (r: ParsedResource) => r.obj.kind === 'Secret' && (r.obj.apiVersion === 'v1' || r.obj.apiVersion === undefined);

/** Every non-empty value of a Secret's data and stringData. */
export function secretValues(r: ParsedResource): SecretValue[] {
  const out: SecretValue[] = [];
  for (const field of ['data', 'stringData'] as const) {
    const block = r.obj[field];
    if (!isObj(block)) continue;
    for (const [key, v] of Object.entries(block)) {
      const raw = str(v);
      // Empty values hold nothing; templated ones ({{ .Values.x }}) are filled in at render time.
      if (!raw || raw.includes('{{')) continue;
      out.push({ key, value: field === 'data' ? decode(raw) : raw, pointer: ptr('/', field, key) });
    }
  }
  return out;
}

export const argocdSecretType = (r: ParsedResource): string | undefined => str(labelsOf(r.obj)[ARGOCD_SECRET_TYPE]);

/** SOPS-encrypted Secrets are safe to commit: the file carries a `sops` block and ENC[...] values. */
export const isSopsEncrypted = (r: ParsedResource) =>
  isObj(r.obj.sops) || (secretValues(r).length > 0 && secretValues(r).every((v) => /^ENC\[/.test(str(r.obj.data?.[v.key]) ?? v.value)));

/** The `config` JSON of an Argo CD cluster secret, parsed; undefined when absent or not JSON. */
export function clusterConfig(values: SecretValue[]): { config: any; pointer: string } | undefined {
  const c = values.find((v) => v.key === 'config');
  if (!c) return undefined;
  try {
    return { config: JSON.parse(c.value), pointer: c.pointer };
  } catch {
    return undefined;
  }
}
