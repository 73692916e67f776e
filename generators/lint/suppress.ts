// Suppression per resource: the annotation `gitops-scaffold.dev/lint-ignore` lists rules (by id or
// name) each with a reason, e.g.
//   gitops-scaffold.dev/lint-ignore: "WF005: kaniko needs root to build; baseline capabilities only"
//   gitops-scaffold.dev/lint-ignore: "K8S005, K8S006: vendor image writes to /; K8S009: batch worker"
// Entries are separated by `;` or a newline, but only where the next text starts with a rule
// reference and a colon, so a reason may itself contain `;` (as in the first example). An entry
// without a reason, or naming no known rule, suppresses nothing and is reported (LINT001).

import type { ParsedResource } from '../check/resources.ts';
import type { LintContext } from './types.ts';
import { annotationsOf, str } from './util/values.ts';

export const SUPPRESS_ANNOTATION = 'gitops-scaffold.dev/lint-ignore';

export interface SuppressionEntry {
  /** Rule references as written. */
  refs: string[];
  /** Resolved rule ids (unknown references left out). */
  ids: string[];
  unknown: string[];
  reason: string;
  text: string;
}

/** Something that looks like a rule reference: an id (`ACD008`) or a kebab-case name. */
const REF = String.raw`[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*`;
const ENTRY_START = new RegExp(String.raw`^\s*(${REF}(?:\s*,\s*${REF})*)\s*(?::|$)`);

export function parseSuppressions(value: string, ruleRef: LintContext['ruleRef']): SuppressionEntry[] {
  const entries: SuppressionEntry[] = [];
  const segments = value.split(/[;\n]/);
  let current: { head: string; reason: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const refs = current.head.split(',').map((s) => s.trim()).filter(Boolean);
    const resolved = refs.map((r) => ruleRef(r));
    const reason = current.reason.join(';').trim();
    entries.push({
      refs,
      ids: resolved.filter((r): r is { id: string; name: string } => !!r).map((r) => r.id),
      unknown: refs.filter((_, i) => !resolved[i]),
      reason,
      text: `${current.head}${reason ? `: ${reason}` : ''}`,
    });
  };
  for (const seg of segments) {
    const m = ENTRY_START.exec(seg);
    const names = m?.[1].split(',').map((s) => s.trim()) ?? [];
    // A segment starts a new entry when it opens with rule references; a known one, or an
    // id-shaped one (reported as unknown), or anything at all when no entry is open yet.
    const startsEntry = !!m && (!current || names.some((n) => ruleRef(n) || /^[A-Z]+\d+$/.test(n)));
    if (startsEntry) {
      flush();
      current = { head: m![1], reason: [seg.slice(m![0].length)] };
    } else if (current) current.reason.push(seg);
    else if (seg.trim()) current = { head: seg.trim(), reason: [] };
  }
  flush();
  return entries;
}

/** Rule ids validly suppressed on a resource (entries with a reason and known rules only). */
export function suppressedIds(resource: ParsedResource, ruleRef: LintContext['ruleRef']): Set<string> {
  const value = str(annotationsOf(resource.obj)[SUPPRESS_ANNOTATION]);
  if (!value) return new Set();
  return new Set(parseSuppressions(value, ruleRef).filter((e) => e.reason).flatMap((e) => e.ids));
}
