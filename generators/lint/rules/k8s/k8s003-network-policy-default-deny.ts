import type { ParsedResource } from '../../../check/resources.ts';
import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { asArray, asObj, intOf, isObj, str, type Obj } from '../../util/values.ts';

/** Policy types in effect: the explicit list, else Ingress plus Egress when egress rules exist. */
export function policyTypes(spec: Obj): string[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.map(String);
  return ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
}

const selectsAllPods = (spec: Obj) => {
  const sel = asObj(spec.podSelector);
  return Object.keys(asObj(sel.matchLabels)).length === 0 && asArray(sel.matchExpressions).length === 0;
};

/** Whether an egress rule lets pods resolve names: UDP 53 (or every port) allowed. */
function allowsDns(rule: Obj): boolean {
  const ports = asArray(rule.ports).filter(isObj);
  if (!ports.length) return true;
  return ports.some((p) => {
    if ((str(p.protocol) ?? 'TCP') !== 'UDP') return false;
    if (p.port === undefined) return true;
    if (p.port === 'dns') return true;
    const port = intOf(p.port);
    const end = intOf(p.endPort) ?? port;
    return port !== undefined && port <= 53 && (end ?? port) >= 53;
  });
}

export const networkPolicyDefaultDeny: Rule = {
  id: 'K8S003',
  name: 'network-policy-default-deny',
  severity: 'warning',
  description: 'Namespace with workloads but no NetworkPolicy selecting all pods for both Ingress and Egress, or a default-deny egress without DNS (UDP 53) allowed. Namespaces come from metadata.namespace, kustomize or the deploying Application; unknown ones are skipped.',
  fix: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]`, plus an egress rule to kube-dns on UDP and TCP 53, then allow what the app needs.',
  source: 'security.md §0.9, rule 40; Kyverno add-network-policy, add-networkpolicy-dns; Polaris missingNetworkPolicy; CVE-2024-31989',
  check(ctx) {
    const workloads = new Map<string, ParsedResource>();
    // Which resources run pods is all this rule needs of them (hasPods: no pod spec is read here).
    for (const r of ctx.withPods()) for (const ns of ctx.namespacesOf(r)) if (!workloads.has(ns)) workloads.set(ns, r);
    const policies = new Map<string, ParsedResource[]>();
    for (const np of ctx.ofKind('NetworkPolicy'))
      for (const ns of ctx.namespacesOf(np)) policies.set(ns, [...(policies.get(ns) ?? []), np]);
    const out: RuleFinding[] = [];
    // The first Namespace object of each name, looked up once (asked only when a finding needs it).
    let namespaces: Map<unknown, ParsedResource> | undefined;
    const namespaceNamed = (ns: string) => {
      if (!namespaces) {
        namespaces = new Map();
        for (const n of ctx.ofKind('Namespace')) if (!namespaces.has(n.obj.metadata?.name)) namespaces.set(n.obj.metadata?.name, n);
      }
      return namespaces.get(ns);
    };
    for (const [ns, first] of [...workloads].sort(([a], [b]) => a.localeCompare(b))) {
      const nps = policies.get(ns) ?? [];
      const isolating = nps.filter((np) => selectsAllPods(asObj(np.obj.spec)));
      const types = new Set(isolating.flatMap((np) => policyTypes(asObj(np.obj.spec))));
      const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t));
      if (missing.length) {
        const namespace = namespaceNamed(ns);
        out.push(namespace
          ? at(namespace, '/metadata/name', `namespace "${ns}" runs workloads but no NetworkPolicy selects all its pods for ${missing.join(' and ')}: every pod is reachable from (and can reach) the whole cluster, including Argo CD's Redis`)
          : at(first, '/metadata', `namespace "${ns}" (where this ${first.obj.kind} runs) has no NetworkPolicy selecting all pods for ${missing.join(' and ')}: every pod is reachable from (and can reach) the whole cluster`));
        continue;
      }
      const egressRules = nps.filter((np) => policyTypes(asObj(np.obj.spec)).includes('Egress')).flatMap((np) => asArray(np.obj.spec?.egress).filter(isObj));
      if (!egressRules.some(allowsDns)) {
        const deny = isolating.find((np) => policyTypes(asObj(np.obj.spec)).includes('Egress'))!;
        out.push(at(deny, deny.obj.spec?.policyTypes ? '/spec/policyTypes' : '/spec', `namespace "${ns}" denies egress by default but no NetworkPolicy allows DNS (UDP 53): every name lookup in the namespace times out`, 'Add an egress rule to kube-dns (namespace kube-system, k8s-app: kube-dns) on UDP and TCP port 53.'));
      }
    }
    return out;
  },
};
