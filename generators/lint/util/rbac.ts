// Argo CD RBAC policy lines, from argocd-rbac-cm (`policy.csv` and `policy.<name>.csv`, which Argo
// CD concatenates) and from AppProject roles. Casbin CSV: `p, subject, resource, action, object,
// effect` and `g, subject, role`.

import type { ParsedResource } from '../../check/resources.ts';
import type { LintContext, RuleFinding } from '../types.ts';
import { ptr } from './pointer.ts';
import { asArray, isObj, str } from './values.ts';

export interface PolicyLine {
  resource: ParsedResource;
  /** Pointer to the CSV key (`/data/policy.csv`) or to the project role policy entry. */
  pointer: string;
  /** 1-based line inside the CSV value; undefined for project role entries. */
  lineNo?: number;
  /** Line in the file, when the CSV is a block scalar (`policy.csv: |`) the source can place. */
  fileLine?: number;
  /** `policy.csv line 4` or `role "ci" policy 2`, for messages. */
  where: string;
  text: string;
  fields: string[];
  /** For project role policies: the project and role the line belongs to. */
  project?: string;
  role?: string;
}

const splitCsv = (line: string) => line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));

export function policyLines(ctx: LintContext): PolicyLine[] {
  const out: PolicyLine[] = [];
  const cm = ctx.configMap('argocd-rbac-cm');
  if (cm && isObj(cm.obj.data)) {
    for (const key of Object.keys(cm.obj.data).filter((k) => /^policy(\..+)?\.csv$/.test(k)).sort((a, b) => (a === 'policy.csv' ? -1 : b === 'policy.csv' ? 1 : a.localeCompare(b)))) {
      const text = str(cm.obj.data[key]) ?? '';
      const pointer = ptr('/data', key);
      // A block scalar's first line sits right below its key.
      const keyLine = text.includes('\n') ? cm.lineOf?.(pointer) : undefined;
      text.split('\n').forEach((raw, i) => {
        const line = raw.trim();
        if (!line || line.startsWith('#')) return;
        out.push({ resource: cm, pointer, lineNo: i + 1, ...(keyLine ? { fileLine: keyLine + i + 1 } : {}), where: `${key} line ${i + 1}`, text: line, fields: splitCsv(line) });
      });
    }
  }
  for (const p of ctx.ofKind('AppProject'))
    asArray(p.obj.spec?.roles).forEach((role, i) => {
      if (!isObj(role)) return;
      asArray(role.policies).forEach((pol, j) => {
        const line = str(pol)?.trim();
        if (!line) return;
        out.push({ resource: p, pointer: ptr('/spec/roles', i, 'policies', j), where: `role "${str(role.name) ?? i}" policy ${j + 1}`, text: line, fields: splitCsv(line), project: str(p.obj.metadata?.name), role: str(role.name) });
      });
    });
  return out;
}

/** `p` lines with effect allow, split into named fields. */
export function grants(ctx: LintContext) {
  return policyLines(ctx)
    .filter((l) => l.fields[0] === 'p' && l.fields.length === 6 && l.fields[5] === 'allow')
    .map((l) => ({ line: l, subject: l.fields[1], resource: l.fields[2], action: l.fields[3], object: l.fields[4] }));
}

export const isAdminSubject = (ctx: LintContext, subject: string) => ctx.options.adminRoles.includes(subject);

/** A finding on a policy line: located at the line itself when the source can place it. */
export const atPolicy = (l: PolicyLine, message: string): RuleFinding => ({
  resource: l.resource,
  path: l.pointer,
  message: `${l.where} "${l.text}": ${message}`,
  ...(l.fileLine ? { line: l.fileLine } : {}),
});
