// Renders a CheckReport for people (text) and for CI (json, junit, sarif). Generic over Finding,
// so `validate` and `lint` print the same way. Pure: returns strings.
import { GENERATOR_URL, GENERATOR_VERSION } from '../model/versions.ts';
import { countBySeverity, type CheckReport, type Finding, type ResourceRef, type Severity } from './finding.ts';

export type OutputFormat = 'text' | 'json' | 'junit' | 'sarif';

export interface RuleDoc {
  /** One-line description of what the rule checks. */
  description: string;
  helpUri?: string;
}

export interface FormatOptions {
  /** Tool name in SARIF and JUnit (`gitops-scaffold validate`). */
  toolName?: string;
  toolVersion?: string;
  /** Rule descriptions for SARIF `tool.driver.rules`; rules without one get their id. */
  rules?: Record<string, RuleDoc>;
}

export function formatReport(report: CheckReport, format: OutputFormat, opts: FormatOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report, opts);
    case 'sarif':
      return formatSarif(report, opts);
  }
}

const NO_FILE = '(no file)';
const sortFindings = (a: Finding, b: Finding) =>
  (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);

function byFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(sortFindings)) {
    const key = f.file ?? NO_FILE;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(f);
  }
  return groups;
}

const describeResource = (r?: ResourceRef) => (r?.kind ? `${r.kind}${r.name ? ` ${r.namespace ? `${r.namespace}/` : ''}${r.name}` : ''}` : '');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(report: CheckReport): string {
  const c = countBySeverity(report.findings);
  const validators = report.validators
    .map((v) => `${v.name} (${v.ran ? 'ran' : 'skipped'}${v.note ? `: ${v.note}` : ''})`)
    .join(', ');
  return (
    `Summary: ${plural(report.resources, 'resource')} in ${plural(report.files, 'file')} - ` +
    `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info. Validators: ${validators || 'none'}`
  );
}

export function formatText(report: CheckReport): string {
  const out: string[] = [];
  for (const [file, findings] of byFile(report.findings)) {
    out.push(file);
    for (const f of findings) {
      const where = f.line ? `${f.line}`.padStart(5) : '    -';
      const res = describeResource(f.resource);
      out.push(`${where}  ${f.severity.padEnd(7)} ${f.message}${res ? `  (${res})` : ''}  [${f.rule}]`);
      if (f.fix) out.push(`${' '.repeat(15)}fix: ${f.fix}`);
    }
    out.push('');
  }
  out.push(summaryLine(report));
  return out.join('\n') + '\n';
}

export function formatJson(report: CheckReport): string {
  const summary = { resources: report.resources, files: report.files, ...countBySeverity(report.findings) };
  return JSON.stringify({ summary, validators: report.validators, findings: [...report.findings].sort(sortFindings) }, null, 2) + '\n';
}

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit XML: one testsuite per file, one testcase per finding (name = resource and field,
 * classname = kind or rule), a failure for errors and warnings (type = severity); info findings
 * are reported as passed testcases with system-out. A clean run has one passing testcase so CI
 * tools do not read it as "no tests".
 */
export function formatJunit(report: CheckReport, opts: FormatOptions = {}): string {
  const tool = opts.toolName ?? 'gitops-scaffold';
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const [file, findings] of byFile(report.findings)) {
    const cases = findings.map((f) => {
      const res = describeResource(f.resource);
      const name = `${res ? `${res} ` : ''}${f.path ?? ''} ${f.rule}`.trim();
      const classname = f.resource?.kind ?? f.rule;
      const detail = `${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}${f.line ? `\n${file}:${f.line}` : ''}`;
      const failing = f.severity !== 'info';
      const body = failing
        ? `<failure message="${xml(f.message)}" type="${f.severity}">${xml(detail)}</failure>`
        : `<system-out>${xml(detail)}</system-out>`;
      return `    <testcase name="${xml(name)}" classname="${xml(classname)}">${body}</testcase>`;
    });
    const suiteFailures = findings.filter((f) => f.severity !== 'info').length;
    tests += cases.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (suites.length === 0) {
    tests = 1;
    suites.push(
      `  <testsuite name="${xml(tool)}" tests="1" failures="0" errors="0" skipped="0">\n` +
        `    <testcase name="${xml(`${report.resources} resources in ${report.files} files`)}" classname="${xml(tool)}"/>\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xml(tool)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`
  );
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0, one run; rules are the distinct rule ids, results point at file and line. */
export function formatSarif(report: CheckReport, opts: FormatOptions = {}): string {
  const findings = [...report.findings].sort(sortFindings);
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const doc = opts.rules?.[id];
    const severities = findings.filter((f) => f.rule === id).map((f) => f.severity);
    const level = severities.includes('error') ? 'error' : severities.includes('warning') ? 'warning' : 'note';
    return {
      id,
      shortDescription: { text: doc?.description ?? id },
      ...(doc?.helpUri ? { helpUri: doc.helpUri } : {}),
      defaultConfiguration: { level },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule)!,
    level: SARIF_LEVEL[f.severity],
    message: { text: `${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}` },
    ...(f.file
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file) },
                ...(f.line && f.line > 0 ? { region: { startLine: f.line } } : {}),
              },
            },
          ],
        }
      : {}),
    properties: { source: f.source, ...(f.path ? { path: f.path } : {}), ...(f.resource ? { resource: f.resource } : {}) },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: opts.toolName ?? 'gitops-scaffold',
            // Code-scanning consumers use these to tell tool versions apart and to link to docs.
            version: opts.toolVersion ?? GENERATOR_VERSION,
            informationUri: GENERATOR_URL,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            properties: { validators: report.validators, resources: report.resources, files: report.files },
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
