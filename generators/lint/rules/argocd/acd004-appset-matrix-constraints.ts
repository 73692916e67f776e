import type { ParsedResource } from '../../../check/resources.ts';
import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj } from '../../util/values.ts';

const COMBINATIONS = ['matrix', 'merge'] as const;

/** Walks generators; `depth` counts enclosing combination generators (matrix, merge). */
function visit(r: ParsedResource, generators: unknown, pointer: string, depth: number, out: RuleFinding[]) {
  asArray(generators).forEach((g, i) => {
    if (!isObj(g)) return;
    for (const kind of COMBINATIONS) {
      const combo = g[kind];
      if (!isObj(combo)) continue;
      const here = ptr(pointer, i, kind);
      const children = asArray(combo.generators);
      if (depth >= 2)
        out.push(at(r, here, `${kind} generator nested ${depth} levels deep: combination generators may nest only one level`, 'Flatten the generators so a matrix or merge contains at most one more matrix or merge.'));
      if (kind === 'matrix' && children.length !== 2)
        out.push(at(r, ptr(here, 'generators'), `matrix generator has ${children.length} child generators; it takes exactly two`, 'Give the matrix exactly two child generators (nest a second matrix for a third dimension).'));
      if (kind === 'matrix' && children.length === 2 && children.every((c) => isObj(c) && isObj(c.git)) && !children.some((c) => c.git.pathParamPrefix))
        out.push(at(r, ptr(here, 'generators'), 'matrix of two git generators without pathParamPrefix: their path parameters collide', 'Set `pathParamPrefix` on at least one of the git generators.'));
      visit(r, children, ptr(here, 'generators'), depth + 1, out);
    }
  });
}

export const appsetMatrixConstraints: Rule = {
  id: 'ACD004',
  name: 'appset-matrix-constraints',
  severity: 'error',
  scope: 'resource',
  description: 'Matrix generator with other than two children, combination generators nested more than one level, or two git children without `pathParamPrefix`.',
  fix: 'Give each matrix exactly two children, nest combinations at most one level, and set `pathParamPrefix` when both children are git generators.',
  source: 'security.md §1.1, rule 4; Argo CD Generators-Matrix.md "Restrictions"',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.ofKind('ApplicationSet')) visit(r, r.obj.spec?.generators, '/spec/generators', 0, out);
    return out;
  },
};
