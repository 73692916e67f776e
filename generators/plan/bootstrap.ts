// bootstrap/: what a person applies once to a new hub cluster.

import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';

export const planBootstrap = (p: Platform): PlannedFile[] => [
  { path: 'bootstrap/kustomization.yaml', owner: 'managed', template: 'clusters/kustomization.yaml.hbs', data: { resources: ['../argocd/install'] } },
  { path: 'bootstrap/root-app.yaml', owner: 'managed', template: 'argocd/root-app.yaml.hbs', data: { namespace: p.argocd.namespace, repoUrl: p.repo.url, revision: p.repo.revision } },
];
