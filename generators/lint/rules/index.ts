// The registry: every lint rule, in documentation order. Adding a rule means adding it here, plus
// a passing and a failing fixture under test/fixtures/lint/ (a test enforces both), then
// `node --import tsx scripts/gen-lint-docs.ts` to refresh docs/lint-rules.md.

import type { Rule } from '../types.ts';
import { appsetTemplatedProject } from './argocd/acd001-appset-templated-project.ts';
import { appsetGoTemplateStrict } from './argocd/acd002-appset-go-template-strict.ts';
import { appsetRollingSyncConfig } from './argocd/acd003-appset-rollingsync-config.ts';
import { appsetMatrixConstraints } from './argocd/acd004-appset-matrix-constraints.ts';
import { appDefaultProject } from './argocd/acd006-app-default-project.ts';
import { defaultProjectUnlocked } from './argocd/acd007-default-project-unlocked.ts';
import { projectSourceWildcard } from './argocd/acd008-project-source-wildcard.ts';
import { projectDestinationWildcard } from './argocd/acd009-project-destination-wildcard.ts';
import { projectClusterResourcesWildcard } from './argocd/acd010-project-cluster-resources-wildcard.ts';
import { projectControlsArgoCd } from './argocd/acd011-project-controls-argocd.ts';
import { projectSourceNamespaces } from './argocd/acd012-project-source-namespaces.ts';
import { rbacPolicySyntax } from './rbac/acd013-rbac-policy-syntax.ts';
import { rbacAdminDefaultOrAnonymous } from './rbac/acd014-rbac-admin-default-or-anonymous.ts';
import { rbacPermissiveGrant } from './rbac/acd015-rbac-permissive-grant.ts';
import { rbacExec } from './rbac/acd016-rbac-exec.ts';
import { argocdSecretInlineCreds } from './secrets/acd017-argocd-secret-inline-creds.ts';
import { insecureTransport } from './argocd/acd018-insecure-transport.ts';
import { appFloatingRevision } from './argocd/acd019-app-floating-revision.ts';
import { appValuesOutsideRepo } from './argocd/acd020-app-values-outside-repo.ts';
import { autosyncWithoutPrune } from './argocd/acd022-autosync-without-prune.ts';
import { syncWaveAndHooks } from './argocd/acd023-sync-wave-and-hooks.ts';
import { syncWindowValidity } from './argocd/acd024-sync-window-validity.ts';
import { rbacReadonlyDefault } from './rbac/acd025-rbac-readonly-default.ts';
import { productionWithoutSyncWindows } from './argocd/acd026-production-without-sync-windows.ts';
import { appMissingFinalizer } from './argocd/acd027-app-missing-finalizer.ts';
import { appOfAppsCascade } from './argocd/acd028-app-of-apps-cascade.ts';
import { dangerousSyncOptions } from './argocd/acd029-dangerous-sync-options.ts';
import { plaintextSecret } from './secrets/sec001-plaintext-secret.ts';
import { tokenInManifest } from './secrets/sec002-token-in-manifest.ts';
import { rolloutTrafficRouting } from './rollouts/ro001-rollout-traffic-routing.ts';
import { rolloutBlueGreenGate } from './rollouts/ro002-rollout-bluegreen-gate.ts';
import { rolloutCanaryAnalysis } from './rollouts/ro003-rollout-canary-analysis.ts';
import { analysisTemplateValidity } from './rollouts/ro004-analysis-template-validity.ts';
import { rolloutCanarySteps } from './rollouts/ro005-rollout-canary-steps.ts';
import { workflowRetryBounds } from './workflows/wf001-workflow-retry-bounds.ts';
import { workflowDeadline } from './workflows/wf002-workflow-deadline.ts';
import { workflowMemoize } from './workflows/wf003-workflow-memoize.ts';
import { workflowServiceAccount } from './workflows/wf004-workflow-service-account.ts';
import { workflowRunAsRoot } from './workflows/wf005-workflow-run-as-root.ts';
import { cosignSignByTag } from './workflows/wf006-cosign-sign-by-tag.ts';
import { removedWorkflowFields } from './workflows/wf007-removed-workflow-fields.ts';
import { workflowRetryGate } from './workflows/wf008-workflow-retry-gate.ts';
import { workflowPodGc } from './workflows/wf009-workflow-pod-gc.ts';
import { esoUnservedApi } from './eso/eso001-eso-unserved-api.ts';
import { clusterStoreConditions } from './eso/eso002-clusterstore-conditions.ts';
import { privilegedContainer } from './k8s/k8s001-privileged-container.ts';
import { imageTag } from './k8s/k8s002-image-tag.ts';
import { networkPolicyDefaultDeny } from './k8s/k8s003-network-policy-default-deny.ts';
import { runAsRoot } from './k8s/k8s004-run-as-root.ts';
import { readOnlyRootFs } from './k8s/k8s005-read-only-root-fs.ts';
import { dropAllCapabilities } from './k8s/k8s006-drop-all-capabilities.ts';
import { seccompProfile } from './k8s/k8s007-seccomp-profile.ts';
import { resourceRequirements } from './k8s/k8s008-resource-requirements.ts';
import { probes } from './k8s/k8s009-probes.ts';
import { privilegeEscalation } from './k8s/k8s010-privilege-escalation.ts';
import { hostAccess } from './k8s/k8s011-host-access.ts';
import { suppressionWithoutReason } from './meta/lint001-suppression-without-reason.ts';

export const rules: readonly Rule[] = Object.freeze([
  appsetTemplatedProject,
  appsetGoTemplateStrict,
  appsetRollingSyncConfig,
  appsetMatrixConstraints,
  appDefaultProject,
  defaultProjectUnlocked,
  projectSourceWildcard,
  projectDestinationWildcard,
  projectClusterResourcesWildcard,
  projectControlsArgoCd,
  projectSourceNamespaces,
  rbacPolicySyntax,
  rbacAdminDefaultOrAnonymous,
  rbacPermissiveGrant,
  rbacExec,
  argocdSecretInlineCreds,
  insecureTransport,
  appFloatingRevision,
  appValuesOutsideRepo,
  autosyncWithoutPrune,
  syncWaveAndHooks,
  syncWindowValidity,
  rbacReadonlyDefault,
  productionWithoutSyncWindows,
  appMissingFinalizer,
  appOfAppsCascade,
  dangerousSyncOptions,
  plaintextSecret,
  tokenInManifest,
  rolloutTrafficRouting,
  rolloutBlueGreenGate,
  rolloutCanaryAnalysis,
  analysisTemplateValidity,
  rolloutCanarySteps,
  workflowRetryBounds,
  workflowDeadline,
  workflowMemoize,
  workflowServiceAccount,
  workflowRunAsRoot,
  cosignSignByTag,
  removedWorkflowFields,
  workflowRetryGate,
  workflowPodGc,
  esoUnservedApi,
  clusterStoreConditions,
  privilegedContainer,
  imageTag,
  networkPolicyDefaultDeny,
  runAsRoot,
  readOnlyRootFs,
  dropAllCapabilities,
  seccompProfile,
  resourceRequirements,
  probes,
  privilegeEscalation,
  hostAccess,
  suppressionWithoutReason,
]);
