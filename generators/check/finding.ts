// One finding shape for every checker (schema validator, kubeconform adapter, cross-reference
// checks, policy linter, model validation), so the CLI prints, counts and exports them the same
// way (text, json, junit, sarif). Modelled on cdk8s-cli's validation plugin report.

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface Finding {
  /** Stable id of the rule or check: `schema`, `parse`, `xref/app-project`, `ACD008`, ... */
  rule: string;
  severity: Severity;
  /** What is wrong, starting with where (field path) when there is one. */
  message: string;
  /** How to fix it, one sentence. */
  fix?: string;
  /** Path of the file relative to the checked root, with forward slashes. */
  file?: string;
  /** 1-based line of the document or field, when known. */
  line?: number;
  /** JSON-pointer-like path inside the resource (`/spec/syncPolicy/automated/prunee`). */
  path?: string;
  resource?: ResourceRef;
  /** Which checker produced it: `embedded-schema`, `kubeconform`, `kustomize`, `xref`, `lint`, `model`. */
  source: string;
}

export interface CheckReport {
  /** Checkers that actually ran, with a note when one was skipped (`kubeconform: not installed`). */
  validators: { name: string; ran: boolean; note?: string }[];
  resources: number;
  files: number;
  findings: Finding[];
}

export const countBySeverity = (findings: readonly Finding[]) => ({
  error: findings.filter((f) => f.severity === 'error').length,
  warning: findings.filter((f) => f.severity === 'warning').length,
  info: findings.filter((f) => f.severity === 'info').length,
});
