// Whether a promotion the pipeline pushes ever reaches a cluster. gitops-scaffold's promote step
// (and any step declaring the same contract: env GITOPS_REPO and BASE_BRANCH) commits the new
// image to BASE_BRANCH of GITOPS_REPO. Argo CD deploys a commit only when an Application tracks
// that branch: Applications tracking a tag (or another branch) never see it.

import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { asArray, asObj, finding, isObj, ofKind, ptr, str, type ControllerRule } from './util.ts';

const WORKFLOW_KINDS = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'];
const normalizeRepo = (url: string) => url.trim().replace(/\.git$/, '').replace(/\/+$/, '').toLowerCase();

interface Source {
  revision: string;
  path: string;
}

/** Sources of every Application and ApplicationSet template reading `repo`. */
function sourcesOf(resources: readonly ParsedResource[], repo: string): Source[] {
  const out: Source[] = [];
  const visit = (spec: unknown) => {
    const s = asObj(spec);
    for (const src of [s.source, ...asArray(s.sources)]) {
      if (!isObj(src) || normalizeRepo(str(src.repoURL) ?? '') !== repo) continue;
      out.push({ revision: str(src.targetRevision) ?? 'HEAD', path: str(src.path) ?? '' });
    }
  };
  for (const r of ofKind(resources, 'Application')) visit(r.obj.spec);
  for (const r of ofKind(resources, 'ApplicationSet')) visit(asObj(r.obj.spec?.template).spec);
  return out;
}

/** Sources a promotion changes: service overlays under apps/ (or a templated path, as in an ApplicationSet). */
const isWorkloadSource = (s: Source) => s.path.startsWith('apps/') || s.path.includes('{{');

const promotionNotDeployed: ControllerRule = (resources) =>
  ofKind(resources, ...WORKFLOW_KINDS).flatMap((r) => {
    const out: Finding[] = [];
    asArray(r.obj.spec?.templates).forEach((t, i) => {
      const container = asObj(asObj(t).container);
      const env = asArray(container.env).filter(isObj);
      const branchIndex = env.findIndex((e) => e.name === 'BASE_BRANCH');
      const branch = str(env[branchIndex]?.value);
      const repo = str(env.find((e) => e.name === 'GITOPS_REPO')?.value);
      if (branch === undefined || repo === undefined || branch.includes('{{')) return;
      const workloads = sourcesOf(resources, normalizeRepo(repo)).filter(isWorkloadSource);
      if (!workloads.length || workloads.some((s) => s.revision === branch || (s.revision === 'HEAD' && ['main', 'master'].includes(branch)))) return;
      const tracked = [...new Set(workloads.map((s) => s.revision))];
      out.push(
        finding(r, {
          rule: 'sim/ci/promotion-not-deployed',
          severity: 'error',
          path: ptr('spec', 'templates', i, 'container', 'env', branchIndex, 'value'),
          message: `template "${str(asObj(t).name)}" promotes by pushing to branch "${branch}" of ${repo}, but every Application deploying its service overlays tracks ${tracked.map((x) => `"${x}"`).join(', ')}: a merged promotion never deploys`,
          fix: 'let the workload Applications track the promotion branch (gitops-scaffold: repo.tenantRevision), or promote into the revision they track',
        }),
      );
    });
    return out;
  });

export const promotionRules: ControllerRule[] = [promotionNotDeployed];
