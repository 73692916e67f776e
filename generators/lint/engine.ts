// The lint engine: runs every enabled rule over the parsed repo, turns raw rule findings into the
// project's Finding shape (message starting with kind/name and field path, file, line), then drops
// what is suppressed by annotation or ignored by the repo config. Pure: no fs, no process.
//
// lintResources lints a whole repository at once. The pieces it is made of (prepareLint, runRules,
// finishLint) are exported for the incremental pre-write check (check/incremental.ts), which runs
// `resource` and `targets` rules file by file and the others over the whole repository, then
// sorts and de-duplicates the union exactly as lintResources does.

import type { Finding, Severity } from '../check/finding.ts';
import type { ParsedResource } from '../check/resources.ts';
import { buildContext } from './context.ts';
import { findRule, rules } from './registry.ts';
import { suppressedIds } from './suppress.ts';
import type { LintConfig, LintContext, Rule, RuleFinding } from './types.ts';
import { pathGlob } from './util/glob.ts';
import { fieldPath } from './util/pointer.ts';
import { str } from './util/values.ts';

export const ruleRef = (ref: string) => {
  const r = findRule(ref);
  return r && { id: r.id, name: r.name };
};

/** A finding with the document it is about (part of what makes two findings the same). */
export interface LintHit {
  finding: Finding;
  docIndex: number;
}

/** Line of a pointer, or of its nearest ancestor the source knows, or of the document. */
function lineFor(resource: ParsedResource, pointer: string | undefined): number {
  if (resource.lineOf && pointer) {
    for (let p = pointer; p; p = p.slice(0, p.lastIndexOf('/'))) {
      const line = resource.lineOf(p);
      if (line !== undefined) return line;
    }
  }
  return resource.line;
}

function toFinding(rule: Rule, severity: Severity, rf: RuleFinding): Finding {
  const obj = rf.resource.obj;
  const name = str(obj.metadata?.name) ?? (obj.metadata?.generateName ? `${obj.metadata.generateName}*` : '(unnamed)');
  const namespace = str(obj.metadata?.namespace);
  const field = rf.path ? fieldPath(rf.path) : '';
  return {
    rule: rule.id,
    severity,
    message: `${obj.kind} ${namespace ? `${namespace}/` : ''}${name}${field ? ` ${field}` : ''}: ${rf.message}`,
    fix: rf.fix ?? rule.fix,
    file: rf.resource.file,
    line: rf.line ?? lineFor(rf.resource, rf.path),
    ...(rf.path ? { path: rf.path } : {}),
    resource: { apiVersion: str(obj.apiVersion), kind: obj.kind, name, ...(namespace ? { namespace } : {}) },
    source: 'lint',
  };
}

export interface PreparedLint {
  config: LintConfig;
  /** Enabled rules with the severity they report at. */
  enabled: { rule: Rule; level: Severity }[];
  ignored(f: Finding): boolean;
}

export function prepareLint(config: LintConfig = {}): PreparedLint {
  const levels = new Map<string, Severity | 'off'>();
  for (const [ref, level] of Object.entries(config.rules ?? {})) {
    const r = findRule(ref);
    if (r) levels.set(r.id, level);
  }
  const ignores = (config.ignore ?? []).map((i) => ({ id: i.rule.trim() === '*' ? '*' : findRule(i.rule)?.id, path: pathGlob(i.path) }));
  const enabled: PreparedLint['enabled'] = [];
  for (const rule of rules) {
    const level = levels.get(rule.id) ?? rule.severity;
    if (level !== 'off') enabled.push({ rule, level });
  }
  return { config, enabled, ignored: (f) => ignores.some((i) => (i.id === '*' || i.id === f.rule) && i.path.test(f.file ?? '')) };
}

export const scopeOf = (rule: Rule) => rule.scope ?? 'repo';

/** The findings of some enabled rules over a context: suppressions and ignores applied. */
export function runRules(prepared: PreparedLint, which: readonly { rule: Rule; level: Severity }[], ctx: LintContext): LintHit[] {
  const suppressions = new Map<ParsedResource, Set<string>>();
  const suppressed = (r: ParsedResource, id: string) => {
    if (!suppressions.has(r)) suppressions.set(r, suppressedIds(r, ruleRef));
    return suppressions.get(r)!.has(id);
  };
  const out: LintHit[] = [];
  for (const { rule, level } of which) {
    let raw: RuleFinding[];
    try {
      raw = rule.check(ctx);
    } catch (e) {
      // One broken rule must not hide the others' findings; the crash itself is reported.
      out.push({ docIndex: -1, finding: { rule: rule.id, severity: 'error', message: `internal error in rule ${rule.id} (${rule.name}): ${(e as Error).message}; this is a bug in gitops-scaffold`, source: 'lint' } });
      continue;
    }
    for (const rf of raw) {
      // LINT001 reports the suppression annotation itself, so it cannot be suppressed by it.
      if (rule.id !== 'LINT001' && suppressed(rf.resource, rule.id)) continue;
      const f = toFinding(rule, level, rf);
      if (prepared.ignored(f)) continue;
      out.push({ finding: f, docIndex: rf.resource.docIndex });
    }
  }
  return out;
}

const hitKey = (h: LintHit) => `${h.finding.rule}\0${h.finding.file}\0${h.docIndex}\0${h.finding.path}\0${h.finding.message}`;

/**
 * One finding per rule, file, document, path and message, in a total order (file, line, rule,
 * message, path, document), so the result does not depend on the order rules or files ran in.
 */
export function finishLint(hits: readonly LintHit[]): Finding[] {
  const seen = new Set<string>();
  const unique: LintHit[] = [];
  for (const h of hits) {
    const k = hitKey(h);
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(h);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return unique
    .sort(
      (x, y) =>
        (x.finding.file ?? '').localeCompare(y.finding.file ?? '') ||
        (x.finding.line ?? 0) - (y.finding.line ?? 0) ||
        x.finding.rule.localeCompare(y.finding.rule) ||
        x.finding.message.localeCompare(y.finding.message) ||
        cmp(x.finding.path ?? '', y.finding.path ?? '') ||
        x.docIndex - y.docIndex,
    )
    .map((h) => h.finding);
}

/**
 * Lints parsed resources (every resource given is linted: pass file resources, not also their
 * kustomize builds, or findings repeat). Findings come sorted by file, line and rule.
 */
export function lintResources(resources: ParsedResource[], config: LintConfig = {}): Finding[] {
  const prepared = prepareLint(config);
  return finishLint(runRules(prepared, prepared.enabled, buildContext(resources, config, ruleRef)));
}
