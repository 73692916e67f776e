// The generated repository's own CI (GitHub Actions): every pull request builds every
// kustomization, validates the result with kubeconform -strict against the schemas gitops-scaffold
// exports for every kind the repository uses, and runs the gitops-scaffold linter; a second
// workflow posts `gitops-scaffold diff` (what the pull request deploys, per Application) as one
// pull-request comment it keeps up to date.

import type { Platform } from '../../model/types.ts';
import { GENERATOR_VERSION, KUBERNETES_VERSION } from '../../model/versions.ts';
import type { PlannedFile } from '../types.ts';
import { promotionBranch } from './settings.ts';

/** Where `gitops-scaffold schemas export` writes (and kubeconform reads) the strict schemas. */
export const SCHEMA_DIR = '.kubeconform/schemas';

export function planRepoCi(p: Platform): PlannedFile[] {
  const pin = (a: { action: string; sha: string; tag: string }) => `${a.action}@${a.sha} # ${a.tag}`;
  return [
    {
      path: '.github/workflows/validate.yaml',
      owner: 'managed',
      template: 'github/validate.yaml.hbs',
      data: {
        branch: promotionBranch(p),
        generatorVersion: GENERATOR_VERSION,
        kustomize: p.pins.repoCi.kustomize,
        kubeconform: p.pins.repoCi.kubeconform,
        kubernetesVersion: KUBERNETES_VERSION,
        checkoutUses: pin(p.pins.repoCi.checkout),
        setupNodeUses: pin(p.pins.repoCi.setupNode),
        nodeVersion: p.pins.repoCi.node,
        schemaDir: SCHEMA_DIR,
      },
    },
    {
      path: '.github/workflows/diff.yaml',
      owner: 'managed',
      template: 'github/diff.yaml.hbs',
      data: {
        generatorVersion: GENERATOR_VERSION,
        kustomize: p.pins.repoCi.kustomize,
        helm: p.pins.repoCi.helm,
        checkoutUses: pin(p.pins.repoCi.checkout),
        setupNodeUses: pin(p.pins.repoCi.setupNode),
        nodeVersion: p.pins.repoCi.node,
      },
    },
  ];
}
