// The lint engine: runs every enabled rule over the parsed repo, turns raw rule findings into the
// project's Finding shape (message starting with kind/name and field path, file, line), then drops
// what is suppressed by annotation or ignored by the repo config. Pure: no fs, no process.

import type { Finding, Severity } from '../check/finding.ts';
import type { ParsedResource } from '../check/resources.ts';
import { buildContext } from './context.ts';
import { findRule, rules } from './registry.ts';
import { suppressedIds } from './suppress.ts';
import type { LintConfig, Rule, RuleFinding } from './types.ts';
import { pathGlob } from './util/glob.ts';
import { fieldPath } from './util/pointer.ts';
import { str } from './util/values.ts';

const ruleRef = (ref: string) => {
  const r = findRule(ref);
  return r && { id: r.id, name: r.name };
};

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

/**
 * Lints parsed resources (every resource given is linted: pass file resources, not also their
 * kustomize builds, or findings repeat). Findings come sorted by file, line and rule.
 */
export function lintResources(resources: ParsedResource[], config: LintConfig = {}): Finding[] {
  const ctx = buildContext(resources, config, ruleRef);
  const levels = new Map<string, Severity | 'off'>();
  for (const [ref, level] of Object.entries(config.rules ?? {})) {
    const r = findRule(ref);
    if (r) levels.set(r.id, level);
  }
  const ignores = (config.ignore ?? []).map((i) => ({ id: i.rule.trim() === '*' ? '*' : findRule(i.rule)?.id, path: pathGlob(i.path) }));
  const suppressions = new Map<ParsedResource, Set<string>>();
  const suppressed = (r: ParsedResource, id: string) => {
    if (!suppressions.has(r)) suppressions.set(r, suppressedIds(r, ruleRef));
    return suppressions.get(r)!.has(id);
  };

  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const level = levels.get(rule.id) ?? rule.severity;
    if (level === 'off') continue;
    let raw: RuleFinding[];
    try {
      raw = rule.check(ctx);
    } catch (e) {
      // One broken rule must not hide the others' findings; the crash itself is reported.
      out.push({ rule: rule.id, severity: 'error', message: `internal error in rule ${rule.id} (${rule.name}): ${(e as Error).message}; this is a bug in gitops-scaffold`, source: 'lint' });
      continue;
    }
    for (const rf of raw) {
      // LINT001 reports the suppression annotation itself, so it cannot be suppressed by it.
      if (rule.id !== 'LINT001' && suppressed(rf.resource, rule.id)) continue;
      const f = toFinding(rule, level, rf);
      if (ignores.some((i) => (i.id === '*' || i.id === rule.id) && i.path.test(f.file ?? ''))) continue;
      const key = `${f.rule}\0${f.file}\0${rf.resource.docIndex}\0${f.path}\0${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}
