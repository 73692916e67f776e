import type { Rule, RuleFinding } from '../../types.ts';
import { appSpecs, sourcesOf } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { isTemplated, str } from '../../util/values.ts';

const COMMIT = /^[0-9a-f]{7,40}$/i;
const VERSION_TAG = /^v?\d+(\.\d+){0,3}([-+][0-9A-Za-z.+-]+)?$/;

/** Why a targetRevision floats, or undefined when it names one immutable version. */
export function floatingReason(revision: string | undefined, helm: boolean): string | undefined {
  const rev = (revision ?? '').trim();
  // A chart or OCI artifact is pinned by an exact version or a digest; anything else is a range.
  if (helm) return VERSION_TAG.test(rev) || /^sha256:[0-9a-f]{64}$/.test(rev) ? undefined : `chart version "${rev || '(empty)'}" is a range, not one version`;
  if (!rev || rev === 'HEAD') return `targetRevision "${rev || '(empty: HEAD)'}" follows the default branch`;
  if (COMMIT.test(rev) || VERSION_TAG.test(rev) || rev.startsWith('refs/tags/')) return undefined;
  return `targetRevision "${rev}" is a branch name`;
}

// Info, not a warning: environment-per-folder promotion on one branch is a legitimate GitOps
// design, so a branch for production is a choice to review, not a defect.
export const appFloatingRevision: Rule = {
  id: 'ACD019',
  name: 'app-floating-revision',
  severity: 'info',
  severityNote: 'security.md rates it low: folder-per-environment promotion on one branch is legitimate.',
  description: 'Production Application (or ApplicationSet template) whose `targetRevision` floats: HEAD, a branch, or a Helm version range.',
  fix: 'Pin production sources to a tag or commit (or an exact chart version) and promote by changing it.',
  source: 'security.md rule 19; argocd-lint AR001; seed §13 checklist "specific Git commit or tag (not HEAD or main)"',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of appSpecs(ctx)) {
      if (!ctx.isProduction(site.resource)) continue;
      for (const { source, pointer } of sourcesOf(site.spec, site.pointer)) {
        const rev = source.targetRevision;
        if (isTemplated(rev)) continue;
        const helm = source.chart !== undefined || /^oci:\/\//.test(str(source.repoURL) ?? '');
        const why = floatingReason(str(rev), helm);
        if (why) out.push(at(site.resource, rev === undefined ? pointer : ptr(pointer, 'targetRevision'), `${why}: production gets ${helm ? 'whichever chart release matches' : 'every merge'} without a promotion step`));
      }
    }
    return out;
  },
};
