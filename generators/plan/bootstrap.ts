// bootstrap/: what a person applies once to a new hub cluster, in two steps (the README's
// commands, server-side: the ApplicationSet CRD is larger than client-side apply's 256 KiB
// last-applied annotation):
//   bootstrap/       Argo CD with this repository's configuration (its CRDs among it);
//   bootstrap/root/  once the CRDs are established: the AppProjects (the root app and the early
//                    children use `platform`, which Argo CD must find before it reconciles them;
//                    the `projects` child manages the same objects afterwards) and the root app.

import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';
import { handMadeOidcSecret, OIDC_SECRET } from './argocd-secrets.ts';
import { usesExternalSecrets } from './context.ts';

export const BOOTSTRAP_ROOT = 'bootstrap/root';

export const planBootstrap = (p: Platform): PlannedFile[] => [
  { path: 'bootstrap/kustomization.yaml', owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: ['../argocd/install'] } },
  { path: `${BOOTSTRAP_ROOT}/kustomization.yaml`, owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: ['../../argocd/projects', 'root-app.yaml'] } },
  { path: `${BOOTSTRAP_ROOT}/root-app.yaml`, owner: 'managed', template: 'argocd/root-app.yaml.hbs', data: { namespace: p.argocd.namespace, repoUrl: p.repo.url, revision: p.repo.revision } },
];

/** The bootstrap commands, in order, as the README prints them (the simulation reads them back). */
export function bootstrapCommands(p: Platform): { command: string; why: string }[] {
  const ns = p.argocd.namespace;
  return [
    { command: 'kubectl apply --server-side --force-conflicts -k bootstrap', why: `installs Argo CD ${p.argocd.version} with this repository's configuration (server-side: the ApplicationSet CRD exceeds client-side apply's annotation limit)` },
    { command: 'kubectl wait --for condition=Established --timeout 120s crd/applications.argoproj.io crd/applicationsets.argoproj.io crd/appprojects.argoproj.io', why: "waits until the API server serves Argo CD's kinds" },
    ...(p.repo.private
      ? [{ command: `kubectl -n ${ns} create secret generic repo-bootstrap --from-literal=type=git --from-literal=url=${p.repo.url} --from-literal=username=<user> --from-literal=password=<read-only token> && kubectl -n ${ns} label secret repo-bootstrap argocd.argoproj.io/secret-type=repository`, why: usesExternalSecrets(p) ? 'private repository: lets Argo CD read it before its repository credentials arrive from the secret store (then delete it)' : 'private repository: the read-only credential Argo CD keeps using (nothing in the repository replaces it: rotate it here)' }]
      : []),
    ...(handMadeOidcSecret(p)
      ? [{ command: `kubectl -n ${ns} create secret generic ${OIDC_SECRET} --from-literal=clientSecret=<OIDC client secret> && kubectl -n ${ns} label secret ${OIDC_SECRET} app.kubernetes.io/part-of=argocd`, why: "SSO with the SOPS backend: the OIDC client secret argocd-cm reads, made by hand once (like the age key); nothing in the cluster could decrypt a committed copy before Argo CD runs" }]
      : []),
    { command: `kubectl apply --server-side --force-conflicts -k ${BOOTSTRAP_ROOT}`, why: 'the AppProjects and the root app: from here on Argo CD syncs the rest' },
  ];
}
