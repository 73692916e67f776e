// What the generated README says about promotion and rollback, from the model (pure).

import type { Platform } from '../model/types.ts';
import { GENERATOR_VERSION } from '../model/versions.ts';
import { promotionBranch } from './supply-chain/settings.ts';

export function promotionDocs(p: Platform) {
  const order = p.environments.map((e) => e.name);
  return {
    version: GENERATOR_VERSION,
    // A placeholder, not a service of the model: adding a service must not rewrite the README.
    service: 'SERVICE',
    first: order[0],
    second: order[1] ?? order[0],
    last: order[order.length - 1],
    protected: p.environments.filter((e) => e.protected).map((e) => e.name),
    branch: promotionBranch(p),
    ciPullRequest: p.ci.promotion === 'pull-request',
    changesPr: p.repo.changes === 'pr',
  };
}
