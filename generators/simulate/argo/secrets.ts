// Argo CD reads clusters and repository credentials from Secrets labelled
// `argocd.argoproj.io/secret-type` (util/db/cluster.go secretToCluster, util/db/repository_secrets.go).
// A repository produces such Secrets directly, or through a controller that renders them: an
// ExternalSecret (spec.target.template), a SealedSecret (spec.template). Only values in plain text
// can be read offline: a Secret's stringData / data (base64), an ExternalSecret's template data
// without templating, a SealedSecret's spec.template.data.
import type { DeployedObject } from '../inventory.ts';

export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
export const LOCAL_SERVER = 'https://kubernetes.default.svc';

/** How the Secret comes to exist: written as is, or rendered by a controller from another kind. */
export type SecretProducer = 'Secret' | 'ExternalSecret' | 'SealedSecret';

export interface ProducedSecret {
  /** Name and namespace of the Secret that ends up in the cluster. */
  name: string;
  namespace?: string;
  producer: SecretProducer;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Plain-text values readable offline (undefined: encrypted or templated). */
  value(key: string): string | undefined;
  keys: string[];
  /** ExternalSecret: the store it reads through. */
  storeRef?: { kind: string; name: string };
  object: DeployedObject;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const record = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {};
const plain = (v: unknown) => (typeof v === 'string' && !v.includes('{{') && !v.startsWith('ENC[') ? v : undefined);
const b64 = (v: unknown) => {
  if (typeof v !== 'string' || v.startsWith('ENC[')) return undefined;
  try {
    return Buffer.from(v, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
};

/** The Secret an object produces, if it produces one. */
export function producedSecret(o: DeployedObject): ProducedSecret | undefined {
  const obj = o.obj;
  if (!obj) return undefined;
  if (o.group === '' && o.kind === 'Secret') {
    const data = record(obj.data);
    const stringData = record(obj.stringData);
    return {
      name: o.name,
      namespace: o.namespace,
      producer: 'Secret',
      labels: record(obj.metadata?.labels),
      annotations: record(obj.metadata?.annotations),
      keys: [...new Set([...Object.keys(data), ...Object.keys(stringData)])],
      value: (k) => plain(stringData[k]) ?? b64(data[k]),
      object: o,
    };
  }
  if (o.group === 'external-secrets.io' && o.kind === 'ExternalSecret') {
    const target = obj.spec?.target ?? {};
    const tpl = target.template ?? {};
    const data = record(tpl.data);
    const keys = [...Object.keys(data), ...(Array.isArray(obj.spec?.data) ? obj.spec.data.map((d: any) => d?.secretKey).filter((k: unknown) => typeof k === 'string') : [])];
    return {
      name: str(target.name) ?? o.name,
      namespace: o.namespace,
      producer: 'ExternalSecret',
      labels: record(tpl.metadata?.labels),
      annotations: record(tpl.metadata?.annotations),
      keys: [...new Set(keys)],
      value: (k) => plain(data[k]),
      storeRef: obj.spec?.secretStoreRef ? { kind: String(obj.spec.secretStoreRef.kind ?? 'SecretStore'), name: String(obj.spec.secretStoreRef.name ?? '') } : undefined,
      object: o,
    };
  }
  if (o.group === 'bitnami.com' && o.kind === 'SealedSecret') {
    const tpl = obj.spec?.template ?? {};
    const data = record(tpl.data);
    return {
      name: str(tpl.metadata?.name) ?? o.name,
      namespace: str(tpl.metadata?.namespace) ?? o.namespace,
      producer: 'SealedSecret',
      labels: record(tpl.metadata?.labels),
      annotations: record(tpl.metadata?.annotations),
      keys: [...new Set([...Object.keys(record(obj.spec?.encryptedData)), ...Object.keys(data)])],
      value: (k) => plain(data[k]),
      object: o,
    };
  }
  return undefined;
}

export interface ClusterRegistration {
  /** Argo CD's cluster name (`name` key; upstream falls back to the server when it is empty). */
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  project?: string;
  secret: ProducedSecret;
}

/** util/db secretToCluster, for a Secret labelled `secret-type: cluster`. */
export function clusterOf(s: ProducedSecret): ClusterRegistration | { unreadable: string } | undefined {
  if (s.labels[SECRET_TYPE_LABEL] !== 'cluster') return undefined;
  const server = s.value('server');
  if (!server) return { unreadable: `the cluster Secret ${s.name} (${s.producer}) holds its server encrypted or templated` };
  const labels = Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== SECRET_TYPE_LABEL));
  return { name: s.value('name') || server, server: server.replace(/\/+$/, ''), labels, annotations: s.annotations, project: s.value('project'), secret: s };
}

export interface RepositoryCredential {
  /** `repository`: exactly this URL; `repo-creds`: a template for every URL it prefixes. */
  type: 'repository' | 'repo-creds';
  url: string;
  secret: ProducedSecret;
}

export function repositoryCredentialOf(s: ProducedSecret): RepositoryCredential | undefined {
  const type = s.labels[SECRET_TYPE_LABEL];
  if (type !== 'repository' && type !== 'repo-creds') return undefined;
  const url = s.value('url');
  if (!url) return undefined;
  return { type, url, secret: s };
}
