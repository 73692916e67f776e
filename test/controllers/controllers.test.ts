// The config-class defects of issue 9, each re-created from the output of 89700f6 (the commit
// before the fixes) in test/fixtures/controllers/<defect>/, and found by the controller rule that
// says what the controller would do, with file and JSON path. The examples as rendered now have
// none of them.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import type { Finding } from '../../generators/check/finding.ts';
import { ROOT } from '../helpers.ts';
import { CONTROLLER_FIXTURES, rulesOn } from './helpers.ts';

interface Expected {
  rule: string;
  file: string;
  path: string;
  severity: Finding['severity'];
  /** Words the message must hold (what the controller would do). */
  says: RegExp;
}

const CASES: Record<string, Expected[]> = {
  'resource-exclusions': [{ rule: 'sim/argocd/resource-exclusions', file: 'argocd/install/argocd-cm.yaml', path: '/data/resource.exclusions', severity: 'warning', says: /Endpoints, EndpointSlice, Lease/ }],
  'cmd-params-self-heal': [{ rule: 'sim/argocd/cmd-params-no-effect', file: 'argocd/install/argocd-cmd-params-cm.yaml', path: '/data/controller.self.heal.timeout.seconds', severity: 'warning', says: /no effect in Argo CD 3\.x/ }],
  'notifications-once-per': [{ rule: 'sim/notifications/nil-dereference', file: 'argocd/install/argocd-notifications-cm.yaml', path: '/data/trigger.on-sync-failed', severity: 'warning', says: /without "\?\."/ }],
  'rollingsync-prune': [{ rule: 'sim/appset/rollingsync-prune', file: 'argocd/apps/tenant-web.yaml', path: '/spec/template/spec/syncPolicy', severity: 'warning', says: /prune=false/ }],
  'sync-window-monday': [{ rule: 'sim/argocd/sync-window-gap', file: 'argocd/projects/payments.yaml', path: '/spec/syncWindows/1', severity: 'warning', says: /Monday 00:00-09:00 \(Europe\/Berlin\) open/ }],
  'analysis-constant-fallback': [{ rule: 'sim/rollouts/analysis-constant-fallback', file: 'apps/payments/payments-api/base/analysis-templates.yaml', path: '/spec/metrics/0/provider/prometheus/query', severity: 'warning', says: /answers 1/ }],
  'preview-analysis-no-traffic': [
    { rule: 'sim/rollouts/preview-analysis-without-traffic', file: 'apps/search/search-api/base/rollout.yaml', path: '/spec/strategy/blueGreen/prePromotionAnalysis/templates/0', severity: 'warning', says: /no user traffic before promotion/ },
    { rule: 'sim/rollouts/preview-analysis-without-traffic', file: 'apps/search/search-api/base/rollout.yaml', path: '/spec/strategy/blueGreen/prePromotionAnalysis/templates/1', severity: 'warning', says: /latency-p95/ },
  ],
  'upstream-latest-images': [
    { rule: 'sim/kustomize/upstream-floating-image', file: 'platform/addons/argo-rollouts/kustomization.yaml', path: '/resources/0', severity: 'error', says: /argo-rollouts:latest/ },
    { rule: 'sim/kustomize/upstream-floating-image', file: 'platform/addons/argo-workflows/kustomization.yaml', path: '/resources/0', severity: 'error', says: /workflow-controller:latest, quay\.io\/argoproj\/argocli:latest/ },
  ],
  'workflow-steps-without-command': [2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ rule: 'sim/workflows/container-without-command', file: 'platform/ci/workflow-template.yaml', path: `/spec/templates/${i}/container`, severity: 'warning' as const, says: /looks the image's entrypoint up in the registry/ })),
  'promotion-to-untracked-branch': [{ rule: 'sim/ci/promotion-not-deployed', file: 'platform/ci/workflow-template.yaml', path: '/spec/templates/10/container/env/3/value', severity: 'error', says: /branch "main".*tracks "v2026\.11\.0": a merged promotion never deploys/ }],
  'invented-sso-groups': [
    { rule: 'sim/argocd/sso-group-undeclared', file: 'argocd/install/argocd-rbac-cm.yaml', path: '/data/policy.csv', severity: 'error', says: /"platform-admins"/ },
    { rule: 'sim/argocd/sso-group-undeclared', file: 'argocd/install/argocd-rbac-cm.yaml', path: '/data/policy.csv', severity: 'error', says: /"web-viewers"/ },
    { rule: 'sim/argocd/sso-group-undeclared', file: 'argocd/projects/web.yaml', path: '/spec/roles/0/groups/0', severity: 'error', says: /"web-admins"/ },
  ],
  'ldap-group-comma': [{ rule: 'sim/argocd/rbac-policy-csv', file: 'argocd/install/argocd-rbac-cm.yaml', path: '/data/policy.csv', severity: 'error', says: /reads as 6 fields, a "g" line has 3: Argo CD rejects it/ }],
  'ci-events-namespace-too-long': [
    { rule: 'sim/k8s/invalid-name', file: 'platform/ci/namespaces.yaml', path: '/metadata/name', severity: 'error', says: /Namespace name "platform-continuous-integration-and-delivery-pipelines-x1-events" \(64 characters\).*rejects/ },
    { rule: 'sim/k8s/invalid-name', file: 'platform/ci/namespaces.yaml', path: '/metadata/namespace', severity: 'error', says: /64 characters/ },
  ],
  'cluster-labels-unchecked': [
    { rule: 'sim/argocd/cluster-secret-type', file: 'argocd/clusters/prod-eu-1.yaml', path: '/spec/target/template/metadata/labels/argocd.argoproj.io~1secret-type', severity: 'error', says: /"repository": Argo CD does not read it as a cluster/ },
    { rule: 'sim/k8s/invalid-label', file: 'argocd/clusters/prod-eu-1.yaml', path: '/spec/target/template/metadata/labels/region', severity: 'error', says: /"eu west 1"/ },
    { rule: 'sim/k8s/invalid-label', file: 'argocd/clusters/prod-eu-1.yaml', path: '/spec/target/template/metadata/labels/team', severity: 'error', says: /rejects the object/ },
  ],
};

for (const [fixture, expected] of Object.entries(CASES))
  test(`controller rules find ${fixture} (89700f6) with file and path`, () => {
    const findings = rulesOn(path.join(CONTROLLER_FIXTURES, fixture));
    for (const e of expected) {
      const hit = findings.find((f) => f.rule === e.rule && f.file === e.file && f.path === e.path && e.says.test(f.message));
      assert.ok(hit, `${e.rule} at ${e.file}#${e.path} matching ${e.says}; got:\n${findings.map((f) => `${f.rule} ${f.file}#${f.path} ${f.message}`).join('\n')}`);
      assert.is(hit!.severity, e.severity);
      assert.ok(hit!.fix && hit!.line, 'a fix and a line');
    }
  });

test('a policy.csv line is found on its own line of the file', () => {
  const [hit] = rulesOn(path.join(CONTROLLER_FIXTURES, 'ldap-group-comma')).filter((f) => f.rule === 'sim/argocd/rbac-policy-csv');
  assert.is(hit.line, 56);
});

// The rules these fixtures trip, on the examples as rendered now.
const FIXED_RULES = new Set(Object.values(CASES).flatMap((xs) => xs.map((x) => x.rule)));
for (const example of ['minimal', 'enterprise'])
  test(`examples/${example} trips none of the fixed config-class rules`, () => {
    const left = rulesOn(path.join(ROOT, 'examples', example)).filter((f) => FIXED_RULES.has(f.rule));
    assert.equal(left.map((f) => `${f.rule} ${f.file}#${f.path}`), []);
  });

test.run();
