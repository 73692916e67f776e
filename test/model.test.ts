import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { specProblems } from '../generators/model/validate-spec.ts';
import { formatProblem } from '../generators/model/errors.ts';
import { baseSpec } from './helpers.ts';

// Each row: a change to a valid spec, and the exact problem lines it must produce.
const table: [string, (s: any) => void, string[]][] = [
  ['undeclared environment on a cluster', (s) => { s.environments.push({ name: 'staging' }); s.clusters.push({ name: 'c2', server: 'https://c2.example.com', environment: 'qa' }); }, [
    'clusters[1].environment: "qa" is not a declared environment; declared: dev, prod, staging (fix: declare it under environments or fix the name)',
    'environments[2]: no cluster serves environment "staging" (fix: add a cluster with environment: staging, or remove the environment)',
  ]],
  ['name that is not DNS-1123', (s) => { s.tenants[0].name = 'Payments_Team'; }, ['tenants[0].name: "Payments_Team" is not a DNS-1123 name (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters) (fix: use e.g. "payments-team")']],
  ['unknown field', (s) => { s.clusters[0].enviroment = 'dev'; }, ['clusters[0].enviroment: unknown field "enviroment" (fix: remove it or use one of: name, server, environment, environments, region, labels, auth, caData)']],
  ['duplicate cluster', (s) => { s.clusters.push({ ...s.clusters[0] }); }, [
    'clusters[1].name: cluster "hub" is declared twice (also clusters[0]) (fix: give each a unique name)',
    'clusters: 2 clusters use https://kubernetes.default.svc (hub, hub); only the hub running Argo CD can (fix: give spokes their own API server URL)',
  ]],
  ['reserved tenant name', (s) => { s.tenants[0].name = 'platform'; }, ['tenants[0].name: "platform" is reserved for the platform\'s own AppProject (fix: choose another tenant name)']],
  ['reserved namespace', (s) => { s.tenants[0].namespaces = ['kube-system']; }, [
    'tenants[0].namespaces[0]: namespace "kube-system" is reserved (default, kube-system, kube-public, kube-node-lease, argocd) (fix: choose another namespace name)',
    'tenants[0].namespaces[0]: namespace "kube-system" is reserved (default, kube-system, kube-public, kube-node-lease, argocd) (fix: choose another namespace name)',
  ]],
  ['composed namespace too long', (s) => { s.tenants[0].namespaces = ['a'.repeat(61)]; }, [
    `tenants[0].namespaces[0]: namespace "${'a'.repeat(61)}-dev" (name-environment) is 65 characters; the limit is 63 (fix: shorten it to at most 59 characters)`,
    `tenants[0].namespaces[0]: namespace "${'a'.repeat(61)}-prod" (name-environment) is 66 characters; the limit is 63 (fix: shorten it to at most 58 characters)`,
  ]],
  ['namespace owned by two tenants', (s) => { s.tenants.push({ name: 'billing', namespaces: ['payments'] }); }, [
    'tenants[1].namespaces[0]: namespace "payments-dev" already belongs to tenant "payments"; a namespace belongs to one tenant (fix: rename one of them)',
    'tenants[1].namespaces[0]: namespace "payments-prod" already belongs to tenant "payments"; a namespace belongs to one tenant (fix: rename one of them)',
  ]],
  ['URL that does not parse', (s) => { s.repo.url = 'not a url'; }, ['repo.url: "not a url" is not a valid URL (fix: use https://host/org/repo.git or git@host:org/repo.git)']],
  ['unknown router', (s) => { s.delivery = { router: 'traefik' }; }, ['delivery.router: "traefik" is not one of istio, nginx, alb, gateway-api, none']],
  ['missing required field', (s) => { delete s.clusters[0].server; }, ['clusters[0]: missing required field "server" (fix: add clusters[0].server)']],
  ['provider without settings', (s) => { s.secrets = { backend: 'external-secrets', provider: 'aws' }; }, ['secrets.aws: the External Secrets provider is aws but its settings are missing (fix: set secrets.aws.region)']],
  ['tenant environment not declared', (s) => { s.tenants[0].environments = ['staging']; }, ['tenants[0].environments[0]: "staging" is not a declared environment; declared: dev, prod (fix: fix the name or declare the environment)']],
  ['CI source for a service that does not exist', (s) => { s.services = [{ name: 'api', tenant: 'payments', image: 'ghcr.io/acme/api', tag: '1.0.0' }]; s.ci = { sources: { api: { branch: 'main' }, 'payments-api': { branch: 'main' } } }; }, ['ci.sources.payments-api: "payments-api" is not a declared service; declared: api (fix: use the name of a service, or remove the entry)']],
  ['version range for Argo CD', (s) => { s.argocd = { version: 'stable' }; }, ['argocd.version: "stable" is not an exact release (fix: use e.g. v3.5.1 (never a range or "stable"))']],
  // Issue 9: what reaches label values and policy.csv is checked before anything is written.
  ['cluster region that is no label value', (s) => { s.clusters[0].region = 'eu west 1'; }, ['clusters[0].region: "eu west 1" becomes the value of label "region": only letters, digits, "-", "_" and "." are allowed, starting and ending with a letter or digit (fix: use letters, digits, "-", "_" and "." (at most 63), starting and ending with a letter or digit, e.g. eu-west-1)']],
  ['cluster label overriding the Argo CD secret type', (s) => { s.clusters[0].labels = { 'argocd.argoproj.io/secret-type': 'repository' }; }, ['clusters[0].labels.argocd.argoproj.io/secret-type: "argocd.argoproj.io/secret-type" is reserved for Argo CD (it reads argocd.argoproj.io/secret-type to find cluster Secrets) (fix: choose a key outside the argocd.argoproj.io prefix)']],
  ['cluster label the generator sets', (s) => { s.clusters[0].labels = { env: 'x' }; }, ['clusters[0].labels.env: "env" is set by the generator (from the environments the cluster serves) (fix: remove it: set environment(s) instead)']],
  ['cluster label key and value Kubernetes refuses', (s) => { s.clusters[0].labels = { 'Team Name': 'a'.repeat(64) }; }, [
    'clusters[0].labels.Team Name: "Team Name" is not a valid label key: name part: letters, digits, "-", "_" and ".", starting and ending with a letter or digit (fix: use name or prefix/name, e.g. team or acme.com/team)',
    `clusters[0].labels.Team Name: "${'a'.repeat(64)}" is not a valid label value: 64 characters; the limit is 63 (fix: use letters, digits, "-", "_" and "." (at most 63), starting and ending with a letter or digit)`,
  ]],
  ['environments label longer than 63', (s) => { s.environments = ['a', 'b', 'c'].map((x) => ({ name: x.repeat(30) })); s.clusters[0].environments = s.environments.map((e: any) => e.name); s.tenants = []; }, [`clusters[0].environments: the label env="${['a', 'b', 'c'].map((x) => x.repeat(30)).join('-')}" (the environments joined by "-") is 92 characters; label values are limited to 63 (fix: shorten the environment names or serve fewer environments from one cluster)`]],
  ['ci namespace leaving no room for <namespace>-events', (s) => { s.ci = { namespace: 'c'.repeat(57) }; }, [`ci.namespace: the events namespace "${'c'.repeat(57)}-events" is 64 characters; namespace names are limited to 63 (fix: shorten ci.namespace to at most 56 characters)`]],
  ['SSO without an admin group', (s) => { s.argocd = { sso: { issuer: 'https://sso.example.com', clientId: 'argocd' } }; }, ['argocd.sso.adminGroups: no SSO group administers Argo CD (the local admin is disabled with SSO, and no group name is assumed) (fix: list the platform team\'s group(s) from your identity provider)']],
  ['SSO group with a line break', (s) => { s.tenants[0].groups = { developer: ['devs\np, role:x, *, *, */*, allow'] }; }, ['tenants[0].groups.developer[0]: "devs\\np, role:x, *, *, */*, allow" holds a line break or control character: policy.csv is read line by line (fix: use the group name exactly as the identity provider sends it in the groups claim)']],
];

for (const [name, mutate, expected] of table) {
  test(`model: ${name}`, () => {
    const spec = baseSpec();
    mutate(spec);
    assert.equal(specProblems(spec).map(formatProblem), expected);
  });
}

test('model: a valid spec has no problems', () => {
  assert.equal(specProblems(baseSpec()), []);
});

test.run();
