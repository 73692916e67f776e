import type { Rule, RuleFinding } from '../../types.ts';
import { SUPPRESS_ANNOTATION, parseSuppressions } from '../../suppress.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { annotationsOf, str } from '../../util/values.ts';

// A suppression is a decision someone must be able to review later; without the why it is just
// a hidden finding. Such entries do not suppress anything.
export const suppressionWithoutReason: Rule = {
  id: 'LINT001',
  name: 'suppression-without-reason',
  severity: 'error',
  scope: 'resource',
  description: `\`${SUPPRESS_ANNOTATION}\` entry without a reason, or naming no known rule: it suppresses nothing.`,
  fix: `Write each entry as \`<rule id or name>: <why this is acceptable here>\`, entries separated by ";".`,
  source: 'gitops-scaffold lint suppression policy (docs/lint-rules.md)',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.resources) {
      const raw = annotationsOf(r.obj)[SUPPRESS_ANNOTATION];
      if (raw === undefined) continue;
      const where = ptr('/metadata/annotations', SUPPRESS_ANNOTATION);
      const value = str(raw);
      if (!value?.trim()) {
        out.push(at(r, where, 'lint-ignore annotation is empty'));
        continue;
      }
      for (const e of parseSuppressions(value, ctx.ruleRef)) {
        if (e.unknown.length) out.push(at(r, where, `lint-ignore entry "${e.text}" names no known rule: ${e.unknown.join(', ')}`, 'Use a rule id or name from docs/lint-rules.md.'));
        if (!e.reason) out.push(at(r, where, `lint-ignore entry "${e.text}" has no reason, so it suppresses nothing`));
      }
    }
    return out;
  },
};
