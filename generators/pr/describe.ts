// How each writing command names its change as a commit and a branch (pure). The subject says
// what the change does in the model's terms; the scope is the tenant it concerns, or the kind of
// platform-wide thing it touches, so `git log --oneline` of a platform repo reads like a changelog.

import type { ChangeDescription } from './plan.ts';
import type { Promotion } from '../model/promote.ts';
import { describePromotion, showVersion } from '../model/promote.ts';
import type { UpgradePlan } from '../model/pins.ts';

export type EditKind = 'service' | 'tenant' | 'cluster' | 'environment';

/** `add service checkout` (tenant payments) -> `feat(payments): add service checkout`. */
export function describeEdit(op: 'add' | 'remove', kind: EditKind, name: string, opts: { tenant?: string; updated?: boolean; notes?: string[] } = {}): ChangeDescription {
  const verb = op === 'remove' ? 'remove' : opts.updated ? 'update' : 'add';
  const scope = kind === 'service' ? opts.tenant : kind === 'tenant' ? name : kind === 'cluster' ? 'clusters' : 'environments';
  return { type: 'feat', scope, subject: `${verb} ${kind} ${name}`, body: (opts.notes ?? []).map((n) => `- ${n}`) };
}

export const describeInit = (platform: string): ChangeDescription => ({ type: 'feat', scope: 'platform', subject: `bootstrap the ${platform} platform`, slug: `init-${platform}` });

export const describeRender = (): ChangeDescription => ({ type: 'chore', subject: 'render the repository from platform.yaml', slug: 'render' });

/** `chore(payments): promote payments-api 2.15.0 to staging`, or `revert(...)` for a rollback. */
export function describePromotionChange(p: Promotion, notes: string[] = []): ChangeDescription {
  const body = [describePromotion(p), ...(p.after.digest ? [`Image digest: ${p.after.digest}`] : []), ...notes.map((n) => `- ${n}`)];
  if (p.source.kind === 'revision')
    return { type: 'revert', scope: p.tenant, subject: `roll ${p.service} in ${p.to} back to ${p.after.tag}`, slug: `rollback-${p.service}-${p.to}-${p.after.tag}`, body: [...body, `${p.to} takes what it ran at ${p.source.ref} (${showVersion(p.after)}).`] };
  return { type: 'chore', scope: p.tenant, subject: `promote ${p.service} ${p.after.tag} to ${p.to}`, slug: `promote-${p.service}-${p.after.tag}-to-${p.to}`, body };
}

/** `chore(deps): upgrade pins to gitops-scaffold 0.2.0 (Argo CD v3.4.2 -> v3.5.1, ...)`. */
export function describeUpgrade(plan: UpgradePlan): ChangeDescription {
  const lead = plan.moves.find((m) => m.id === 'argocd') ?? plan.moves[0];
  const more = plan.moves.length - 1;
  const subject = `upgrade to the pins of gitops-scaffold ${plan.to.tool}${lead ? ` (${lead.label} ${lead.from} -> ${lead.to}${more > 0 ? `, ${more} more` : ''})` : ''}`;
  const body = plan.moves.flatMap((m) => [`- ${m.label}: ${m.from} -> ${m.to}${m.kind === 'repin' ? ' (re-pinned)' : ''}`, ...m.notes.map((n) => `  ${n}`), ...(m.major ?? []).map((l) => `  ! ${l}`)]);
  return { type: 'chore', scope: 'deps', subject, slug: `upgrade-${plan.to.tool}`, body };
}
