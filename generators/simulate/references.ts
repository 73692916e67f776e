// Whole-repository reference checks: what a deployed object needs must be created by something
// (an Application of the repository, the bootstrap commands, a pinned upstream component, or a
// declared prerequisite) on the same cluster. The bootstrap walk checks the order; these checks
// find what nothing creates at all, so one broken step early in the walk hides none of them.
import type { Finding } from '../check/finding.ts';
import type { Placed } from './deployment.ts';
import type { DeployedObject } from './inventory.ts';
import { perResource, type ResourceMemo } from './resource-memo.ts';
import { describeApp, simFinding } from './findings.ts';
import { groupKind, isBuiltInGroup } from './kube.ts';
import { LOCAL_SERVER, producedSecret } from './argo/secrets.ts';
import { appliesTo, type Prerequisite } from './prerequisites.ts';
import type { RepoModel } from './model.ts';

export interface ReferenceContext {
  model: RepoModel;
  placed: readonly Placed[];
  /** Clusters by server: Argo CD name, for prerequisites matching. */
  clusterNames: Map<string, string>;
  /** Per cluster server: sources deployed there that the simulation cannot see into. */
  unmodelled?: Map<string, string[]>;
  /** Facts of unchanged files from earlier runs (the pre-write check's cache). */
  memo?: ResourceMemo;
}

const where = (p: Placed) => (p.app ? describeApp(p.app) : p.by);
const at = (p: Placed) => ({ file: p.obj.file, path: p.obj.pointer ?? '', line: p.obj.line });

const prerequisitesByServer = new WeakMap<ReferenceContext, Map<string, Prerequisite[]>>();
/** The prerequisites declared for a cluster (once per cluster: asked for every placed object). */
export function prerequisitesOn(ctx: ReferenceContext, server: string): Prerequisite[] {
  let byServer = prerequisitesByServer.get(ctx);
  if (!byServer) prerequisitesByServer.set(ctx, (byServer = new Map()));
  let list = byServer.get(server);
  if (!list) {
    const name = ctx.clusterNames.get(server) ?? (server === LOCAL_SERVER ? 'in-cluster' : server);
    byServer.set(server, (list = ctx.model.prerequisites.items.filter((p) => appliesTo(p, { name, server }))));
  }
  return list;
}

export function checkReferences(ctx: ReferenceContext): Finding[] {
  return [...kindsInstalled(ctx), ...serviceAccounts(ctx), ...secretStores(ctx), ...argocdSecretRefs(ctx), ...istioInjection(ctx)];
}

/** Kinds used but installed by nobody (and declared by no prerequisite). */
function kindsInstalled(ctx: ReferenceContext): Finding[] {
  const installed = new Map<string, Set<string>>();
  for (const p of ctx.placed) if (p.obj.defines) (installed.get(p.cluster) ?? installed.set(p.cluster, new Set()).get(p.cluster)!).add(groupKind(p.obj.defines.group, p.obj.defines.kind));
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const p of ctx.placed) {
    if (isBuiltInGroup(p.obj.group) || !p.obj.kind) continue;
    const gk = groupKind(p.obj.group, p.obj.kind);
    if (installed.get(p.cluster)?.has(gk)) continue;
    // Argo CD's own kinds where Argo CD runs: installed with it, or it could not be simulated.
    if (p.cluster === LOCAL_SERVER && p.obj.group === 'argoproj.io' && ['Application', 'ApplicationSet', 'AppProject'].includes(p.obj.kind)) continue;
    if (prerequisitesOn(ctx, p.cluster).some((q) => q.crds.some((c) => c.group === p.obj.group && c.kinds.includes(p.obj.kind)))) continue;
    const key = `${gk}|${p.cluster}|${p.obj.file}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const { file, path, line } = at(p);
    // Sources the simulation cannot see into (another repository, a chart outside the component
    // table) may install it: then it is a warning, not a certainty.
    const unseen = ctx.unmodelled?.get(p.cluster) ?? [];
    const message = `${p.obj.kind} ${p.obj.name} (${gk}), deployed by ${where(p)} to ${ctx.clusterNames.get(p.cluster) ?? p.cluster}: no Application, bootstrap step or pinned component installs its CRD there and no prerequisite declares it${unseen.length ? ` (unless ${unseen.slice(0, 3).join(', ')}${unseen.length > 3 ? ', ...' : ''}, which the simulation cannot read, does)` : ''}; the sync fails with "the server could not find the requested resource"`;
    out.push(simFinding('kind-not-installed', unseen.length ? 'warning' : 'error', file, path, message, `Install the CRD from the repository, or declare it in .gitops-scaffold/prerequisites.yaml (provides.crds) if the cluster comes with it.`, line));
  }
  return out;
}

function findServiceAccountRefs(value: unknown, pointer: string, out: { pointer: string; name: string; namespace?: string }[]) {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v, i) => findServiceAccountRefs(v, `${pointer}/${i}`, out));
  for (const [k, v] of Object.entries(value)) {
    if (k === 'serviceAccountRef' && v && typeof (v as any).name === 'string') out.push({ pointer: `${pointer}/${k}`, name: (v as any).name, namespace: (v as any).namespace });
    else findServiceAccountRefs(v, `${pointer}/${k}`, out);
  }
}

const POD_SPEC: Record<string, string> = {
  Deployment: '/spec/template/spec', StatefulSet: '/spec/template/spec', DaemonSet: '/spec/template/spec', Job: '/spec/template/spec',
  ReplicaSet: '/spec/template/spec', CronJob: '/spec/jobTemplate/spec/template/spec', Rollout: '/spec/template/spec',
};

const pick = (obj: any, pointer: string) => pointer.split('/').slice(1).reduce((o, k) => (o == null ? undefined : o[k]), obj);

type ServiceAccountRef = { pointer: string; name: string; namespace?: string };
const refsByObject = new WeakMap<DeployedObject, ServiceAccountRef[]>();
/** What an object names, once per object (a fleet places each one on several clusters). */
const isRefList = (v: unknown): v is ServiceAccountRef[] => Array.isArray(v) && v.every((x) => !!x && typeof x === 'object' && typeof x.pointer === 'string' && typeof x.name === 'string' && (x.namespace === undefined || typeof x.namespace === 'string'));
function serviceAccountRefsOf(o: DeployedObject, memo: ResourceMemo | undefined): ServiceAccountRef[] {
  let refs = refsByObject.get(o);
  if (refs) return refs;
  refs = o.file === undefined ? refsIn(o) : perResource(memo, 'serviceaccount-refs', o.file, o.docIndex, () => refsIn(o), isRefList);
  refsByObject.set(o, refs);
  return refs;
}

function refsIn(o: DeployedObject): ServiceAccountRef[] {
  const refs: ServiceAccountRef[] = [];
  if (o.group === 'external-secrets.io' && (o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore')) findServiceAccountRefs(o.obj.spec?.provider, '/spec/provider', refs);
  const podSpec = o.group === 'apps' || o.group === 'batch' || o.group === 'argoproj.io' ? POD_SPEC[o.kind] : undefined;
  if (podSpec) {
    const sa = pick(o.obj, `${podSpec}/serviceAccountName`);
    if (typeof sa === 'string' && sa && sa !== 'default') refs.push({ pointer: `${podSpec}/serviceAccountName`, name: sa });
  }
  return refs;
}

/** ServiceAccounts that stores (serviceAccountRef) and pods (serviceAccountName) name must exist. */
function serviceAccounts(ctx: ReferenceContext): Finding[] {
  const have = new Set(ctx.placed.filter((p) => p.obj.kind === 'ServiceAccount' && p.obj.group === '').map((p) => `${p.cluster}|${p.namespace}|${p.obj.name}`));
  const out: Finding[] = [];
  for (const p of ctx.placed) {
    if (!p.obj.obj) continue;
    for (const ref of serviceAccountRefsOf(p.obj, ctx.memo)) {
      const ns = ref.namespace ?? p.namespace;
      if (have.has(`${p.cluster}|${ns}|${ref.name}`)) continue;
      const isStore = p.obj.kind.endsWith('SecretStore');
      out.push(simFinding('serviceaccount-missing', 'error', p.obj.file, ref.pointer, `${p.obj.kind} ${p.obj.name} (${where(p)}) uses ServiceAccount ${ns}/${ref.name}, which nothing creates on ${ctx.clusterNames.get(p.cluster) ?? p.cluster}; ${isStore ? 'the store never becomes Ready and every ExternalSecret reading through it fails' : 'its pods are never created (serviceaccount not found)'}`, `Create ServiceAccount ${ref.name} in ${ns} (with the identity the provider expects), or reference one that exists.`, p.obj.lineOf?.(ref.pointer) ?? p.obj.line));
    }
  }
  return out;
}

/** ExternalSecrets read through a store that must exist on the same cluster. */
function secretStores(ctx: ReferenceContext): Finding[] {
  const stores = new Set(ctx.placed.filter((p) => p.obj.group === 'external-secrets.io' && p.obj.kind.endsWith('SecretStore')).map((p) => `${p.cluster}|${p.obj.kind}|${p.obj.kind === 'SecretStore' ? p.namespace : ''}|${p.obj.name}`));
  const out: Finding[] = [];
  for (const p of ctx.placed) {
    if (p.obj.group !== 'external-secrets.io' || p.obj.kind !== 'ExternalSecret' || !p.obj.obj) continue;
    const ref = p.obj.obj.spec?.secretStoreRef;
    if (!ref?.name) continue;
    const kind = ref.kind ?? 'SecretStore';
    if (stores.has(`${p.cluster}|${kind}|${kind === 'SecretStore' ? p.namespace : ''}|${ref.name}`)) continue;
    out.push(simFinding('secret-store-missing', 'error', p.obj.file, '/spec/secretStoreRef/name', `ExternalSecret ${p.obj.name} (${where(p)}) reads through ${kind} ${ref.name}, which nothing creates on ${ctx.clusterNames.get(p.cluster) ?? p.cluster}; External Secrets never creates the Secret ${p.obj.obj.spec?.target?.name ?? p.obj.name}`, `Create the ${kind} on that cluster, or reference one that exists.`, p.obj.lineOf?.('/spec/secretStoreRef/name') ?? p.obj.line));
  }
  return out;
}

/**
 * `$<secret>:<key>` in argocd-cm (oidc.config, dex.config, ...): util/settings reads the key from
 * Secret <secret> in Argo CD's namespace, which must carry app.kubernetes.io/part-of: argocd.
 */
function argocdSecretRefs(ctx: ReferenceContext): Finding[] {
  const { argocd } = ctx.model;
  if (!argocd.cmFile) return [];
  const secrets = ctx.placed
    .filter((p) => p.cluster === LOCAL_SERVER)
    .map((p) => ({ p, s: producedSecret(p.obj) }))
    .filter((x) => x.s && (x.s.namespace ?? x.p.namespace) === argocd.namespace);
  const out: Finding[] = [];
  for (const [key, value] of Object.entries(argocd.cm)) {
    for (const m of value.matchAll(/\$([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([-._a-zA-Z0-9]+)/g)) {
      const [, secret, , field] = m;
      const found = secrets.find((x) => x.s!.name === secret);
      const path = `/data/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!found)
        out.push(simFinding('argocd-secret-missing', 'error', argocd.cmFile, path, `argocd-cm ${key} reads $${secret}:${field}, but nothing in the repository creates Secret ${argocd.namespace}/${secret}; Argo CD cannot resolve it and the feature (SSO login for oidc.config) fails`, `Create Secret ${secret} in ${argocd.namespace} (an ExternalSecret, SealedSecret or SOPS-encrypted Secret) with key ${field} and label app.kubernetes.io/part-of: argocd.`, argocd.cmLineOf?.(path)));
      else if (found.s!.labels['app.kubernetes.io/part-of'] !== 'argocd')
        out.push(simFinding('argocd-secret-label', 'error', found.p.obj.file, found.s!.producer === 'Secret' ? '/metadata/labels' : found.s!.producer === 'ExternalSecret' ? '/spec/target/template/metadata/labels' : '/spec/template/metadata/labels', `Secret ${argocd.namespace}/${secret}, read by argocd-cm ${key}, lacks the label app.kubernetes.io/part-of: argocd; Argo CD ignores Secrets without it`, 'Add the label to the Secret the object produces.'));
    }
  }
  return out;
}

/**
 * A namespace that both enforces Pod Security `restricted` and asks for Istio sidecar injection:
 * istio-init needs NET_ADMIN and NET_RAW, which restricted refuses, so every pod is rejected,
 * unless the cluster runs Istio CNI (no init container) or ambient mode (no sidecar).
 */
function istioInjection(ctx: ReferenceContext): Finding[] {
  const out: Finding[] = [];
  for (const p of ctx.placed) {
    if (p.obj.kind !== 'Namespace' || p.obj.group !== '' || !p.obj.obj) continue;
    const labels = p.obj.obj.metadata?.labels ?? {};
    const injected = labels['istio-injection'] === 'enabled' || typeof labels['istio.io/rev'] === 'string';
    if (!injected || labels['pod-security.kubernetes.io/enforce'] !== 'restricted') continue;
    const caps = prerequisitesOn(ctx, p.cluster).flatMap((q) => q.capabilities);
    if (caps.includes('istio-cni') || caps.includes('istio-ambient')) continue;
    out.push(simFinding('istio-injection-restricted', 'error', p.obj.file, labels['istio-injection'] ? '/metadata/labels/istio-injection' : '/metadata/labels/istio.io~1rev', `Namespace ${p.obj.name} on ${ctx.clusterNames.get(p.cluster) ?? p.cluster} enforces Pod Security restricted and asks for Istio sidecar injection: istio-init needs NET_ADMIN and NET_RAW, so the admission controller rejects every pod, unless the cluster runs Istio CNI or ambient mode, and no prerequisite declares either`, 'Declare the istio-cni (or istio-ambient) capability for this cluster in .gitops-scaffold/prerequisites.yaml and install it, or drop the injection label.', p.obj.lineOf?.(labels['istio-injection'] ? '/metadata/labels/istio-injection' : '/metadata/labels/istio.io~1rev') ?? p.obj.line));
  }
  return out;
}
