import type { ParsedResource } from '../../../check/resources.ts';
import type { LintContext, Rule, RuleFinding } from '../../types.ts';
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

/**
 * What the rule needs of one resource, as plain data (the incremental check keeps it per file
 * with what it asked the context, so an unchanged file's resources are not read again): `i` is
 * the resource's position among the ones given.
 */
export type NetworkPolicyFact =
  | { i: number; workload: { kind: string; namespaces: string[] } }
  | { i: number; policy: { namespaces: string[]; selectsAll: boolean; types: string[]; dns: boolean; typesField: boolean } }
  | { i: number; namespace: string };

/** The facts of some resources (in order; one resource may give a workload and a policy). */
export function networkPolicyFacts(ctx: LintContext, resources: readonly ParsedResource[], hasPods: (r: ParsedResource) => boolean = ctx.hasPods): NetworkPolicyFact[] {
  const out: NetworkPolicyFact[] = [];
  resources.forEach((r, i) => {
    // Which resources run pods is all this rule needs of them (hasPods: no pod spec is read here).
    if (hasPods(r)) out.push({ i, workload: { kind: r.obj.kind, namespaces: ctx.namespacesOf(r) } });
    if (r.obj.kind === 'NetworkPolicy') {
      const spec = asObj(r.obj.spec);
      const types = policyTypes(spec);
      out.push({ i, policy: { namespaces: ctx.namespacesOf(r), selectsAll: selectsAllPods(spec), types, dns: asArray(spec.egress).filter(isObj).some(allowsDns), typesField: !!spec.policyTypes } });
    }
    if (r.obj.kind === 'Namespace' && typeof r.obj.metadata?.name === 'string') out.push({ i, namespace: r.obj.metadata.name });
  });
  return out;
}

/**
 * The findings from every file's facts, in input order; `resource` gives a fact's resource (read
 * only for the findings).
 */
export function networkPolicyFindings<F>(files: readonly { file: F; facts: readonly NetworkPolicyFact[] }[], resource: (file: F, i: number) => ParsedResource): RuleFinding[] {
  type At = { file: F; i: number };
  const workloads = new Map<string, At & { kind: string }>();
  const policies = new Map<string, (At & { selectsAll: boolean; types: string[]; dns: boolean; typesField: boolean })[]>();
  const namespaces = new Map<string, At>();
  for (const { file, facts } of files)
    for (const f of facts) {
      if ('workload' in f) for (const ns of f.workload.namespaces) if (!workloads.has(ns)) workloads.set(ns, { file, i: f.i, kind: f.workload.kind });
      if ('policy' in f) for (const ns of f.policy.namespaces) (policies.get(ns) ?? policies.set(ns, []).get(ns)!).push({ file, i: f.i, ...f.policy });
      if ('namespace' in f && !namespaces.has(f.namespace)) namespaces.set(f.namespace, { file, i: f.i });
    }
  const out: RuleFinding[] = [];
  for (const [ns, first] of [...workloads].sort(([a], [b]) => a.localeCompare(b))) {
    const nps = policies.get(ns) ?? [];
    const isolating = nps.filter((np) => np.selectsAll);
    const types = new Set(isolating.flatMap((np) => np.types));
    const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t));
    if (missing.length) {
      const namespace = namespaces.get(ns);
      out.push(namespace
        ? at(resource(namespace.file, namespace.i), '/metadata/name', `namespace "${ns}" runs workloads but no NetworkPolicy selects all its pods for ${missing.join(' and ')}: every pod is reachable from (and can reach) the whole cluster, including Argo CD's Redis`)
        : at(resource(first.file, first.i), '/metadata', `namespace "${ns}" (where this ${first.kind} runs) has no NetworkPolicy selecting all pods for ${missing.join(' and ')}: every pod is reachable from (and can reach) the whole cluster`));
      continue;
    }
    if (!nps.some((np) => np.types.includes('Egress') && np.dns)) {
      const deny = isolating.find((np) => np.types.includes('Egress'))!;
      out.push(at(resource(deny.file, deny.i), deny.typesField ? '/spec/policyTypes' : '/spec', `namespace "${ns}" denies egress by default but no NetworkPolicy allows DNS (UDP 53): every name lookup in the namespace times out`, 'Add an egress rule to kube-dns (namespace kube-system, k8s-app: kube-dns) on UDP and TCP port 53.'));
    }
  }
  return out;
}

export const networkPolicyDefaultDeny: Rule = {
  id: 'K8S003',
  name: 'network-policy-default-deny',
  severity: 'warning',
  description: 'Namespace with workloads but no NetworkPolicy selecting all pods for both Ingress and Egress, or a default-deny egress without DNS (UDP 53) allowed. Namespaces come from metadata.namespace, kustomize or the deploying Application; unknown ones are skipped.',
  fix: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]`, plus an egress rule to kube-dns on UDP and TCP 53, then allow what the app needs.',
  source: 'security.md §0.9, rule 40; Kyverno add-network-policy, add-networkpolicy-dns; Polaris missingNetworkPolicy; CVE-2024-31989',
  // The facts of the workloads, NetworkPolicies and Namespaces, then the findings from them (the
  // incremental check works the facts out per file and keeps them: check/incremental.ts).
  check(ctx) {
    // Over every resource in input order; which hold pods is asked once (withPods), not per resource.
    const pods = new Set(ctx.withPods());
    const all = ctx.resources;
    return networkPolicyFindings([{ file: all, facts: networkPolicyFacts(ctx, all, (r) => pods.has(r)) }], (list, i) => list[i]);
  },
};
