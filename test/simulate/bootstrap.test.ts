// The bootstrap walk over small in-memory repositories: what waits for what, namespaces, the
// client-side apply limit for upstream bases, declared prerequisites, Secrets Argo CD reads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSources } from '../../generators/check/parse.ts';
import { RepoIndex } from '../../generators/validate/kustomize-refs.ts';
import { simulateRepository } from '../../generators/simulate/index.ts';
import { parseCommand, readBootstrapCommands } from '../../generators/simulate/bootstrap-commands.ts';

const REPO = 'https://github.com/acme/platform-gitops.git';
const README = '# x\n\n## Bootstrap\n\n```sh\nkubectl apply -f root.yaml\n```\n';
const HEALTH = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  resource.customizations.health.argoproj.io_Application: |\n    hs = {}\n    return hs\n';

function simulate(files: Record<string, string>) {
  const sources = Object.entries(files).map(([path, content]) => ({ path, content }));
  const { resources } = parseSources(sources);
  return simulateRepository({ resources, repo: new RepoIndex(Object.keys(files), resources), read: (p) => files[p], repoUrl: REPO }).findings;
}

const app = (name: string, path: string, wave: number, ns: string, options: string[] = []) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "${wave}"
spec:
  project: default
  source:
    repoURL: ${REPO}
    path: ${path}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${ns}
  syncPolicy:
    syncOptions: [${options.join(', ')}]
`;
const kustomization = (...resources: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

const tree = (extra: Record<string, string> = {}) => ({
  'README.md': README,
  'root.yaml': app('root', 'apps', 0, 'argocd'),
  'apps/kustomization.yaml': kustomization('a.yaml', 'b.yaml'),
  'apps/a.yaml': app('a', 'a', -1, 'team-a', ['CreateNamespace=true']),
  'apps/b.yaml': app('b', 'b', 0, 'team-b'),
  'a/cm.yaml': cm('a'),
  'b/cm.yaml': cm('b'),
  ...extra,
});
const rules = (f: ReturnType<typeof simulate>) => f.map((x) => `${x.rule} ${x.file}`);

test('bootstrap commands are read from the README section about bootstrapping', () => {
  const { commands, source } = readBootstrapCommands((p) => (p === 'README.md' ? '# r\n```sh\nkubectl apply -f nope.yaml\n```\n## Bootstrap a cluster\n```sh\nkubectl apply --server-side --force-conflicts -k bootstrap   # installs\nkubectl apply -f bootstrap/root-app.yaml\n```\n## Other\n```sh\nkubectl apply -f later.yaml\n```\n' : undefined));
  assert.is(source, 'README.md');
  assert.equal(commands.map((c) => [c.kind, c.kustomize, c.paths, c.serverSide, c.line]), [
    ['apply', true, ['bootstrap'], true, 7],
    ['apply', false, ['bootstrap/root-app.yaml'], false, 8],
  ]);
  assert.equal(parseCommand('argocd repocreds add https://github.com/acme --username x', 'README.md', 1).paths, ['https://github.com/acme']);
  assert.is(parseCommand('kubectl create namespace argocd', 'README.md', 1).namespace, 'argocd');
});

test('waves order nothing without the Application health check in argocd-cm', () => {
  assert.ok(rules(simulate(tree())).includes('sim/app-health-not-assessed root.yaml'));
  assert.not.ok(rules(simulate(tree({ 'cm.yaml': HEALTH }))).includes('sim/app-health-not-assessed root.yaml'));
});

test('a namespace must exist, or CreateNamespace=true creates the destination namespace', () => {
  const f = simulate(tree({ 'cm.yaml': HEALTH }));
  const missing = f.filter((x) => x.rule === 'sim/bootstrap-namespace-missing');
  assert.equal(missing.map((x) => x.file), ['b/cm.yaml'], 'a has CreateNamespace=true, b has not');
  assert.match(missing[0].message, /namespace team-b .* CreateNamespace=true is not set/);
});

test('an upstream base with CRDs over 256 KiB needs ServerSideApply=true', () => {
  const files = tree({
    'cm.yaml': HEALTH,
    'apps/b.yaml': app('b', 'b', 0, 'argo', ['CreateNamespace=true']),
    'b/kustomization.yaml': kustomization('"https://github.com/argoproj/argo-workflows//manifests/cluster-install?ref=v4.1.2"'),
  });
  const f = simulate(files).filter((x) => x.rule === 'sim/apply-annotation-too-large');
  assert.equal(f.map((x) => [x.file, x.path]), [['apps/b.yaml', '/spec/syncPolicy/syncOptions']]);
  assert.match(f[0].message, /CustomResourceDefinition workflows\.argoproj\.io is 1232339 bytes/);
  assert.is(f[0].message.match(/is \d+ bytes/g)!.length, 4, 'the four Workflows CRDs over the limit (workflowtasksets is under it), in one finding');
  const ssa = simulate({ ...files, 'apps/b.yaml': app('b', 'b', 0, 'argo', ['CreateNamespace=true', 'ServerSideApply=true']) });
  assert.not.ok(ssa.some((x) => x.rule === 'sim/apply-annotation-too-large'));
});

test('Istio injection into a restricted namespace passes once the cluster declares Istio CNI', () => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-b\n  labels:\n    istio-injection: enabled\n    pod-security.kubernetes.io/enforce: restricted\n';
  const files = tree({ 'cm.yaml': HEALTH, 'b/ns.yaml': ns });
  assert.ok(simulate(files).some((x) => x.rule === 'sim/istio-injection-restricted' && x.file === 'b/ns.yaml' && x.line === 6));
  const declared = 'apiVersion: gitops-scaffold.dev/v1alpha1\nkind: ClusterPrerequisites\nprerequisites:\n  - id: istio\n    clusters: [in-cluster]\n    provides:\n      capabilities: [istio-cni]\n';
  assert.not.ok(simulate({ ...files, '.gitops-scaffold/prerequisites.yaml': declared }).some((x) => x.rule === 'sim/istio-injection-restricted'));
  const elsewhere = declared.replace('[in-cluster]', '[prod-*]');
  assert.ok(simulate({ ...files, '.gitops-scaffold/prerequisites.yaml': elsewhere }).some((x) => x.rule === 'sim/istio-injection-restricted'), 'declared for other clusters only');
});

test('a Secret argocd-cm reads must carry app.kubernetes.io/part-of: argocd', () => {
  const argocdCm = HEALTH + '  oidc.config: |\n    clientSecret: $sso:clientSecret\n';
  const secret = (labels: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: sso\n  namespace: argocd\n${labels}stringData:\n  clientSecret: x\n`;
  const files = tree({ 'cm.yaml': argocdCm, 'apps/kustomization.yaml': kustomization('a.yaml', 'b.yaml', 'c.yaml'), 'apps/c.yaml': app('c', 'c', 0, 'argocd') });
  const rule = (extra: Record<string, string>) => simulate({ ...files, ...extra }).filter((x) => x.rule.startsWith('sim/argocd-secret')).map((x) => x.rule);
  assert.equal(rule({}), ['sim/argocd-secret-missing']);
  assert.equal(rule({ 'c/secret.yaml': secret('') }), ['sim/argocd-secret-label']);
  assert.equal(rule({ 'c/secret.yaml': secret('  labels:\n    app.kubernetes.io/part-of: argocd\n') }), []);
});

test('a repository Secret made by hand in the bootstrap lets the root app read a private repository', () => {
  const creds = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo-creds\n  namespace: argocd\n  labels:\n    argocd.argoproj.io/secret-type: repo-creds\nstringData:\n  url: https://github.com/acme\n  password: x\n`;
  const readme = (cmds: string) => `# x\n\n## Bootstrap\n\n\`\`\`sh\n${cmds}kubectl apply -f root.yaml\n\`\`\`\n\nclient-side \`kubectl apply\` is not used.\n`;
  const files = tree({ 'cm.yaml': HEALTH, 'a/creds.yaml': creds });
  const rule = (f: ReturnType<typeof simulate>) => f.filter((x) => x.rule === 'sim/bootstrap-repo-credentials').map((x) => `${x.file} ${x.path}`);
  assert.equal(rule(simulate({ ...files, 'README.md': readme('') })), ['root.yaml /spec/source/repoURL']);
  const byHand = 'kubectl -n argocd create secret generic repo-bootstrap --from-literal=type=git --from-literal=url=https://github.com/acme/platform-gitops.git --from-literal=password=t && kubectl -n argocd label secret repo-bootstrap argocd.argoproj.io/secret-type=repository\n';
  assert.equal(rule(simulate({ ...files, 'README.md': readme(byHand) })), []);
  const unlabelled = 'kubectl -n argocd create secret generic repo-bootstrap --from-literal=url=https://github.com/acme/platform-gitops.git --from-literal=password=t\n';
  assert.equal(rule(simulate({ ...files, 'README.md': readme(unlabelled) })), ['root.yaml /spec/source/repoURL'], 'Argo CD ignores a Secret without the label');
  const { commands } = readBootstrapCommands((p) => (p === 'README.md' ? readme(byHand) : undefined));
  assert.equal(commands.map((c) => c.kind), ['create-secret', 'label-secret', 'apply'], 'chained commands split; inline `kubectl apply` in prose ignored when a block exists');
});

test('a remote base the component table does not know is reported as not modelled', () => {
  const files = tree({ 'cm.yaml': HEALTH, 'b/kustomization.yaml': kustomization('"https://github.com/argoproj/argo-rollouts//manifests/cluster-install?ref=v1.8.0"', 'cm.yaml') });
  const info = simulate(files).filter((x) => x.rule === 'sim/source-not-modelled');
  assert.equal(info.map((x) => [x.severity, x.file, x.path]), [['info', 'b/kustomization.yaml', '/resources/0']]);
  assert.match(info[0].message, /knows manifests\/cluster-install at v1\.9\.1, not at v1\.8\.0/);
});

test('CreateNamespace=true creates the destination namespace even when the source cannot be read', () => {
  // a deploys an upstream base the component table does not know (nothing modelled), b later
  // puts a ConfigMap into a's namespace: it exists, as autoCreateNamespace makes it in PreSync.
  const files = tree({
    'cm.yaml': HEALTH,
    'a/kustomization.yaml': kustomization('"https://github.com/argoproj/argo-rollouts//manifests/cluster-install?ref=v1.8.0"'),
    'apps/b.yaml': app('b', 'b', 0, 'team-a'),
  });
  const f = simulate(files);
  assert.ok(f.some((x) => x.rule === 'sim/source-not-modelled' && x.file === 'a/kustomization.yaml'), 'a is not modelled');
  assert.not.ok(f.some((x) => x.rule === 'sim/bootstrap-namespace-missing'), f.map((x) => x.message).join('\n'));
});

test.run();
