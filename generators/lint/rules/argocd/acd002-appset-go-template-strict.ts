import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { asArray } from '../../util/values.ts';

// Without missingkey=error a misspelt or missing parameter renders as "" or "<no value>" and the
// generated Application silently points at the wrong path, cluster or namespace.
export const appsetGoTemplateStrict: Rule = {
  id: 'ACD002',
  name: 'appset-go-template-strict',
  severity: 'error',
  scope: 'resource',
  description: 'ApplicationSet without `goTemplate: true` and `goTemplateOptions: ["missingkey=error"]`, so missing parameters render silently as empty.',
  fix: 'Set `goTemplate: true` and `goTemplateOptions: ["missingkey=error"]` on the ApplicationSet.',
  source: 'security.md §1.1, rule 2; Argo CD GoTemplate.md; argocd-lint AR008',
  check(ctx) {
    return ctx.ofKind('ApplicationSet').flatMap((r): RuleFinding[] => {
      const spec = r.obj.spec ?? {};
      if (spec.goTemplate !== true)
        return [at(r, spec.goTemplate === undefined ? '/spec' : '/spec/goTemplate', 'goTemplate is not true: the legacy fasttemplate renders missing parameters as literal text without an error', 'Set `goTemplate: true` and `goTemplateOptions: ["missingkey=error"]`.')];
      const options = asArray(spec.goTemplateOptions).map(String);
      if (!options.some((o) => o.replace(/\s/g, '') === 'missingkey=error'))
        return [at(r, spec.goTemplateOptions === undefined ? '/spec' : '/spec/goTemplateOptions', 'goTemplateOptions lacks "missingkey=error": a missing parameter renders as "<no value>" or an empty string', 'Add `goTemplateOptions: ["missingkey=error"]`.')];
      return [];
    });
  },
};
