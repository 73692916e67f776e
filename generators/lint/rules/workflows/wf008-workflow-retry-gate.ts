import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { isObj, str } from '../../util/values.ts';
import { templateText, workflowTemplates } from '../../util/workflows.ts';

/**
 * Steps whose failure is a verdict, not an accident: scanners, policy checks and test runners
 * fail the same way on every attempt (grype exits 2 when it finds vulnerabilities at --fail-on).
 */
export const GATE = /(^|[\s/"'=;&|(])(grype|trivy|conftest|kubeconform|kube-linter|checkov|kyverno\s+(test|apply)|opa\s+(test|eval)|go\s+test|pytest|cargo\s+test|npm\s+(run\s+)?test|yarn\s+test|pnpm\s+test|make\s+test|mvn\s+(test|verify)|gradlew?\s+test)\b/;

export const workflowRetryGate: Rule = {
  id: 'WF008',
  name: 'workflow-retry-gate',
  severity: 'error',
  scope: 'resource',
  description: 'Deterministic gate step (grype, trivy, conftest, kubeconform, test runners) retried on failure (retryPolicy Always/OnFailure or the default) without an `expression` on lastRetry.exitCode or status.',
  fix: 'Retry only infrastructure errors: `retryPolicy: OnError`, or `expression: "asInt(lastRetry.exitCode) != 2"` for grype; or drop the retry.',
  source: 'security.md §3.3, rule 29; grype cmd/grype/cli/cli.go (exit 2); Datree rule 44',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const t of workflowTemplates(ctx)) {
      const tool = GATE.exec(templateText(t.template))?.[2];
      if (!tool) continue;
      const own = isObj(t.template.retryStrategy);
      const rs = own ? t.template.retryStrategy : t.workflowSpec.retryStrategy;
      if (!isObj(rs)) continue;
      const policy = str(rs.retryPolicy) ?? 'OnFailure';
      if (policy !== 'Always' && policy !== 'OnFailure') continue;
      if (/lastRetry\.(exitCode|status)/.test(str(rs.expression) ?? '')) continue;
      out.push(at(t.resource, own ? ptr(t.pointer, 'retryStrategy') : ptr(t.workflowPointer, 'retryStrategy'),
        `template "${t.name}" runs ${tool.replace(/\s+/g, ' ')}, a deterministic gate, and retries it on failure (${policy}${own ? '' : ', inherited from the workflow'}): a real finding is retried until the limit instead of failing fast`));
    }
    return out;
  },
};
