// What Argo CD v3.5.1 does with its settings ConfigMaps (argocd-cm, argocd-cmd-params-cm,
// argocd-rbac-cm), beyond their schema.

import YAML from 'yaml';
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { asArray, asObj, configMapRule, configMaps, finding, isObj, listed, ofKind, ptr, str, type ControllerRule } from './util.ts';

/**
 * upstream manifests/base/config/argocd-cm.yaml at v3.5.1: the default `resource.exclusions`. A
 * repository that sets the key replaces this list (a ConfigMap patch merges keys, not values).
 */
export const DEFAULT_RESOURCE_EXCLUSIONS: { groups: string[]; kinds: string[] }[] = [
  { groups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
  { groups: ['coordination.k8s.io'], kinds: ['Lease'] },
  { groups: ['authentication.k8s.io', 'authorization.k8s.io'], kinds: ['SelfSubjectReview', 'TokenReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'] },
  { groups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { groups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  { groups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  { groups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'], kinds: ['PolicyReport', 'ClusterPolicyReport', 'EphemeralReport', 'ClusterEphemeralReport', 'AdmissionReport', 'ClusterAdmissionReport', 'BackgroundScanReport', 'ClusterBackgroundScanReport', 'UpdateRequest'] },
];

/** Argo CD matches exclusion groups and kinds as globs; `*` (and an empty list for clusters) matches all. */
const globMatch = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

/** Default exclusions (group/kind) that the configured list no longer covers. */
export function missingDefaultExclusions(configured: unknown): string[] {
  const rules = asArray(configured).filter(isObj);
  const covers = (group: string, kind: string) =>
    rules.some((r) => asArray(r.apiGroups).some((g) => globMatch(String(g), group)) && asArray(r.kinds).some((k) => globMatch(String(k), kind)) && (asArray(r.clusters).length === 0 || asArray(r.clusters).includes('*')));
  return DEFAULT_RESOURCE_EXCLUSIONS.flatMap((d) => d.kinds.filter((kind) => !d.groups.every((g) => covers(g, kind))));
}

const resourceExclusions: ControllerRule = configMapRule('argocd/resource-exclusions', 'argocd-cm', (cm) => {
    const text = str(asObj(cm.obj.data)['resource.exclusions']);
    if (text === undefined) return [];
    const path = ptr('data', 'resource.exclusions');
    let parsed: unknown;
    try {
      parsed = YAML.parse(text);
    } catch (err) {
      return [finding(cm, { rule: 'sim/argocd/resource-exclusions', severity: 'error', path, message: `Argo CD cannot parse it (${(err as Error).message.split('\n')[0]}) and keeps no exclusions at all`, fix: 'write a YAML list of {apiGroups, kinds, clusters}' })];
    }
    const missing = missingDefaultExclusions(parsed);
    return missing.length
      ? [finding(cm, { rule: 'sim/argocd/resource-exclusions', severity: 'warning', path, message: `replaces upstream's default list instead of extending it: Argo CD would watch ${listed(missing)} on every cluster again (high-churn kinds upstream excludes for load on the API servers)`, fix: 'drop the key to keep the defaults, or copy upstream\'s default entries (manifests/base/config/argocd-cm.yaml) into the list before your own' })]
      : [];
});

/**
 * Keys of argocd-cmd-params-cm that Argo CD 3.x reads but that change nothing as set. The
 * application controller uses `controller.self.heal.timeout.seconds` only when the self-heal
 * backoff is switched off (cmd/argocd-application-controller: the backoff is built whenever
 * `controller.self.heal.backoff.timeout.seconds` is not 0, its default being 2; appcontroller.go
 * falls back to the plain timeout only without it).
 */
const cmdParamsWithoutEffect: ControllerRule = configMapRule('argocd/cmd-params-no-effect', 'argocd-cmd-params-cm', (cm) => {
    const data = asObj(cm.obj.data);
    const out: Finding[] = [];
    const backoff = str(data['controller.self.heal.backoff.timeout.seconds']);
    if (data['controller.self.heal.timeout.seconds'] !== undefined && (backoff === undefined || backoff.trim() !== '0'))
      out.push(finding(cm, { rule: 'sim/argocd/cmd-params-no-effect', severity: 'warning', path: ptr('data', 'controller.self.heal.timeout.seconds'), message: `has no effect in Argo CD 3.x: self-heal retries follow the exponential backoff (controller.self.heal.backoff.timeout.seconds, ${backoff ?? 'default 2'}s, x factor, capped), the plain timeout only applies when that backoff is set to "0"`, fix: 'set controller.self.heal.backoff.timeout.seconds / .factor / .cap.seconds instead' }));
    if (data['controller.self.heal.backoff.cooldown.seconds'] !== undefined)
      out.push(finding(cm, { rule: 'sim/argocd/cmd-params-no-effect', severity: 'warning', path: ptr('data', 'controller.self.heal.backoff.cooldown.seconds'), message: 'is deprecated and has no effect (the controller marks the flag so)', fix: 'remove it' }));
    return out;
});

/**
 * One policy.csv line read as Argo CD reads it: Go's encoding/csv with TrimLeadingSpace, no lazy
 * quotes (util/rbac loadPolicyLine). Returns the fields, or why the reader fails.
 */
export function readPolicyLine(line: string): { fields: string[] } | { error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return { error: 'extraneous or missing " in quoted-field' };
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      if (i < line.length && line[i] !== ',') return { error: 'extraneous or missing " in quoted-field' };
      fields.push(value);
    } else {
      const end = line.indexOf(',', i);
      const value = end < 0 ? line.slice(i) : line.slice(i, end);
      if (value.includes('"')) return { error: 'bare " in non-quoted-field' };
      fields.push(value);
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return { fields };
    i++; // the comma
  }
}

interface PolicyCsvLine {
  cm: ParsedResource;
  key: string;
  lineNo: number;
  text: string;
  fields?: string[];
}

function policyCsvLines(resources: readonly ParsedResource[]): PolicyCsvLine[] {
  return configMaps(resources, 'argocd-rbac-cm').flatMap((cm) =>
    Object.entries(asObj(cm.obj.data))
      .filter(([key]) => /^policy(\..+)?\.csv$/.test(key))
      .flatMap(([key, value]) =>
        (str(value) ?? '').split('\n').flatMap((raw, i) => {
          const text = raw.trim();
          if (!text || text.startsWith('#')) return [];
          const read = readPolicyLine(text);
          return [{ cm, key, lineNo: i + 1, text, ...('fields' in read ? { fields: read.fields } : {}) }];
        }),
      ),
  );
}

const rbacPolicyCsv: ControllerRule = configMapRule('argocd/rbac-policy-csv', 'argocd-rbac-cm', (cm) =>
    Object.entries(asObj(cm.obj.data))
      .filter(([key]) => /^policy(\..+)?\.csv$/.test(key))
      .flatMap(([key, value]) =>
        (str(value) ?? '').split('\n').flatMap((raw, i) => {
          const text = raw.trim();
          if (!text || text.startsWith('#')) return [];
          const read = readPolicyLine(text);
          const problem =
            'error' in read
              ? `the CSV reader fails (${read.error})`
              : read.fields[0] === 'g' && read.fields.length !== 3
                ? `reads as ${read.fields.length} fields, a "g" line has 3`
                : read.fields[0] === 'p' && read.fields.length !== 6
                  ? `reads as ${read.fields.length} fields, a "p" line has 6`
                  : !['p', 'g'].includes(read.fields[0])
                    ? `starts with "${read.fields[0]}", neither p nor g`
                    : undefined;
          if (!problem) return [];
          const comma = /\w,\w|=[^,\s]*,[^,\s]*=/.test(text);
          return [
            finding(cm, {
              rule: 'sim/argocd/rbac-policy-csv',
              severity: 'error',
              path: ptr('data', key),
              message: `line ${i + 1} (${JSON.stringify(text)}) ${problem}: Argo CD rejects it as an invalid RBAC policy and does not load ${key}${comma ? ' (a group name with a comma, such as an LDAP DN, must be quoted)' : ''}`,
              fix: 'quote fields holding a comma or a double quote ("cn=ops,ou=groups"), doubling quotes inside',
              lineOffset: i + 1,
            }),
          ];
        }),
      ),
);

/** Every group platform.yaml names (SSO admins and auditors, tenant groups), when the repo has one. */
function declaredGroups(resources: readonly ParsedResource[]): { groups: Set<string>; file: string } | undefined {
  const model = ofKind(resources, 'Platform').find((r) => str(r.obj?.apiVersion)?.startsWith('gitops-scaffold.dev/'));
  if (!model) return undefined;
  const spec = asObj(model.obj);
  const sso = asObj(asObj(spec.argocd).sso);
  const groups = new Set<string>([...asArray(sso.adminGroups), ...asArray(sso.readonlyGroups)].map(String));
  for (const t of asArray(spec.tenants).filter(isObj)) for (const list of Object.values(asObj(t.groups))) for (const g of asArray(list)) groups.add(String(g));
  return { groups, file: model.file };
}

/**
 * Groups granted rights that platform.yaml never names: in a gitops-scaffold repository the model
 * is the only source of group names, so such a group was invented by the tool or hand-edited in,
 * and whoever can create a group of that name in the identity provider gets its rights.
 */
const undeclaredGroups: ControllerRule = (resources) => {
  const declared = declaredGroups(resources);
  if (!declared) return [];
  const accounts = new Set(
    configMaps(resources, 'argocd-cm').flatMap((cm) =>
      Object.keys(asObj(cm.obj.data))
        .filter((k) => /^accounts\.[^.]+$/.test(k))
        .map((k) => k.slice('accounts.'.length)),
    ),
  );
  const isGroup = (subject: string) => !subject.startsWith('role:') && !subject.startsWith('proj:') && !accounts.has(subject) && subject !== 'admin';
  const out: Finding[] = [];
  for (const l of policyCsvLines(resources)) {
    const [kind, subject, role] = l.fields ?? [];
    if (kind !== 'g' || !subject || !isGroup(subject) || declared.groups.has(subject)) continue;
    out.push(finding(l.cm, { rule: 'sim/argocd/sso-group-undeclared', severity: 'error', path: ptr('data', l.key), message: `line ${l.lineNo} grants ${role} to SSO group "${subject}", which ${declared.file} does not declare: Argo CD gives these rights to any user whose groups claim holds that name`, fix: `declare the group in ${declared.file} (argocd.sso or tenants[].groups) or remove the line`, lineOffset: l.lineNo }));
  }
  for (const p of ofKind(resources, 'AppProject'))
    asArray(p.obj.spec?.roles).forEach((role, i) =>
      asArray(asObj(role).groups).forEach((g, j) => {
        if (declared.groups.has(String(g))) return;
        out.push(finding(p, { rule: 'sim/argocd/sso-group-undeclared', severity: 'error', path: ptr('spec', 'roles', i, 'groups', j), message: `project role "${str(asObj(role).name)}" is bound to SSO group "${g}", which ${declared.file} does not declare`, fix: `declare the group in ${declared.file} or remove it from the role` }));
      }),
    );
  return out;
};

export const argocdSettingsRules: ControllerRule[] = [resourceExclusions, cmdParamsWithoutEffect, rbacPolicyCsv, undeclaredGroups];
