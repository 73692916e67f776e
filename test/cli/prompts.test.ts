// The prompts, driven through a pseudo-terminal (test/pty.ts) as a person would answer them: each
// answer is checked when given, "accept defaults" works, lists come from platform.yaml, answers
// survive a failing run, remove asks first, and plop asks the same with the CLI's exit codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import path from 'node:path';
import YAML from 'yaml';
import { run } from '../../generators/pipeline.ts';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { ROOT, readTree, tempDir } from '../helpers.ts';
import { KEYS, drive } from '../pty.ts';
import { askPlatform } from '../../generators/prompts/interactive.ts';
import { specProblems } from '../../generators/model/validate-spec.ts';

const BIN = `node ${path.join(ROOT, 'bin/gitops-scaffold.js')}`;
const { enter, down, space, clearLine } = KEYS;
const TSX = path.join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const model = (dir: string) => YAML.parse(readFileSync(path.join(dir, 'platform.yaml'), 'utf8'));

test('init: a bad name and a bad URL are refused as typed; "accept defaults" writes a valid repository', async () => {
  const out = path.join(tempDir(), 'repo');
  const s = await drive(`${BIN} init --out ${out}`, [
    { expect: /Platform name/, send: `Bad_Name${enter}` },
    { expect: /lowercase letters, digits and "-"[\s\S]*\(e\.g\. "bad-name"\)/, send: `${clearLine}demo${enter}` },
    { expect: /URL of this GitOps repository/, send: `not a url${enter}` },
    { expect: /an absolute URL/, send: `${clearLine}https://github.com/acme/demo.git${enter}` },
    { expect: /Branch or tag Argo CD tracks/, send: enter },
    { expect: /Accept defaults for everything else \(environments dev, staging, prod; one cluster[\s\S]*; no tenants yet; rolling updates; no traffic router\)\?/, send: enter },
    { expect: /Wrote \d+ file\(s\)[\s\S]*Next:/ },
  ]);
  assert.is(s.exitCode, 0, s.screen);
  const m = model(out);
  assert.equal(m.environments.map((e: any) => e.name), ['dev', 'staging', 'prod']);
  assert.equal(m.clusters, [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ['dev', 'staging', 'prod'] }]);
});

test('init: a spoke from lists of the declared environments; a failure at the end keeps the answers for --answers', async () => {
  const out = tempDir();
  writeFileSync(path.join(out, 'notes.md'), 'not generated'); // init refuses a folder with foreign files, after the questions
  const s = await drive(`${BIN} init --out ${out}`, [
    { expect: /Platform name/, send: `acme${enter}` },
    { expect: /URL of this GitOps repository/, send: `git@github.com:acme/platform.git${enter}` },
    { expect: /Branch or tag/, send: enter },
    { expect: /Accept defaults/, send: `n${enter}` },
    { expect: /Environments in promotion order/, send: `dev, prod, dev${enter}` },
    { expect: /"dev" is given twice/, send: `${clearLine}dev, prod${enter}` },
    { expect: /Add a spoke cluster/, send: `y${enter}` },
    { expect: /Spoke #1: name/, send: `hub${enter}` },
    { expect: /"hub" is taken/, send: `${clearLine}prod-eu${enter}` },
    { expect: /Kubernetes API server URL/, send: `ftp://x${enter}` },
    { expect: /an https:\/\/ URL of the Kubernetes API server/, send: `${clearLine}https://prod-eu.k8s.acme.example.com${enter}` },
    // How Argo CD reaches it (fix's clusters[].auth): EKS by default, with the cluster's CA.
    { expect: /how does Argo CD authenticate to it\?[\s\S]*aws: EKS[\s\S]*token: a ServiceAccount token/, send: enter },
    { expect: /its API server CA, base64/, send: `not base64!${enter}` },
    { expect: /the base64 text of the CA certificate/, send: `${clearLine}LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t${enter}` },
    { expect: /EKS cluster name/, send: enter },
    { expect: /IAM role ARN Argo CD assumes/, send: `arn:aws:iam::123456789012:role/argocd${enter}` },
    // The declared environments as a checklist: down to prod, toggle, accept.
    { expect: /environments it serves[\s\S]*dev[\s\S]*prod/, send: `${down}${space}${enter}` },
    { expect: /region \(may be empty\)/, send: `eu-west-1${enter}` },
    { expect: /Add another spoke cluster/, send: enter },
    // dev is what no spoke serves: pre-checked for the hub.
    { expect: /Environments the hub cluster .* serves/, send: enter },
    { expect: /Tenants/, send: `platform${enter}` },
    { expect: /is the platform's own AppProject/, send: `${clearLine}payments${enter}` },
    { expect: /Default delivery style/, send: enter },
    { expect: /Traffic router/, send: enter },
    { expect: /holds files gitops-scaffold did not write[\s\S]*Your answers are kept in (\S+answers\.yaml)/ },
  ]);
  assert.is(s.exitCode, 2, s.screen);
  const file = /Your answers are kept in (\S+answers\.yaml)/.exec(s.screen)![1];
  const kept = YAML.parse(readFileSync(file, 'utf8'));
  assert.equal(kept.clusters, [
    { name: 'hub', server: 'https://kubernetes.default.svc', environments: ['dev'] },
    { name: 'prod-eu', server: 'https://prod-eu.k8s.acme.example.com', environment: 'prod', region: 'eu-west-1', auth: { type: 'aws', roleArn: 'arn:aws:iam::123456789012:role/argocd' }, caData: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' },
  ]);
  assert.equal(kept.tenants, [{ name: 'payments' }]);
  // Re-run without the questions, into an empty folder.
  const again = path.join(tempDir(), 'repo');
  const r = await drive(`${BIN} init --answers ${file} --out ${again}`, [{ expect: /Wrote \d+ file/ }]);
  assert.is(r.exitCode, 0, r.screen);
  assert.is(model(again).name, 'acme');
});

test('askPlatform asks only what is open; accepting defaults serves the known environments from one hub', async () => {
  const asked: string[] = [];
  const scripted = (answers: Record<string, unknown>) => async (qs: any[]) => Object.fromEntries(qs.map((q) => (asked.push(q.name), [q.name, answers[q.name]])));
  const spec = await askPlatform({ name: 'acme', environments: [{ name: 'qa' }, { name: 'live' }] }, scripted({ repoUrl: 'https://git.example.com/acme/gitops.git', revision: 'main', accept: true }));
  assert.equal(asked, ['repoUrl', 'revision', 'accept']);
  assert.equal(spec.clusters, [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: ['qa', 'live'] }]);
  assert.equal(spec.delivery, { strategy: 'rolling', router: 'none' });
  assert.is(spec.tenants, undefined);
  assert.equal(specProblems(spec), [], 'a valid model');
});

function minimalRepo(change: (spec: any) => any = (spec) => spec): string {
  const root = path.join(tempDir('gs-prompts-'), 'repo');
  run({ root, spec: change(parseSpecText(readFileSync(path.join(ROOT, 'examples/minimal/platform.yaml'), 'utf8'), 'minimal')), refuseForeign: true, check: false });
  return root;
}

test("add service at a keyboard: tenants as a list, the image's tag taken from the image, the platform's strategy as default", async () => {
  const root = minimalRepo();
  const strategy = model(root).delivery?.strategy ?? 'rolling';
  const s = await drive(`${BIN} add service --repo ${root}`, [
    { expect: /Service name/, send: `web${enter}` },
    { expect: /service "web" exists already/, send: `${clearLine}cart${enter}` },
    { expect: /Tenant \(team\) owning it[\s\S]*web/, send: enter },
    { expect: /Image \(repository/, send: `ghcr.io/acme/cart:latest${enter}` },
    { expect: /"latest" is a floating tag/, send: `${clearLine}ghcr.io/acme/cart:2.1.0${enter}` },
    { expect: /Container port/, send: enter },
    { expect: new RegExp(`Delivery strategy[\\s\\S]*❯ ${strategy}`), send: enter },
    { expect: /Public host name/, send: enter },
    { expect: /Environments it deploys to/, send: enter },
    { expect: /Added service cart/ },
  ]);
  assert.is(s.exitCode, 0, s.screen);
  assert.not.match(s.screen, /Image tag \(pinned\)/, 'no tag question when the image has one');
  const cart = model(root).services.find((x: any) => x.name === 'cart');
  assert.equal(cart, { name: 'cart', tenant: 'web', image: 'ghcr.io/acme/cart', tag: '2.1.0', port: 8080, strategy });
});

test('add service at a keyboard: a bad flag is refused before the first question; what the model refuses is refused as typed', async () => {
  const root = minimalRepo((spec) => ({ ...spec, services: [...spec.services, { name: 'cart', tenant: 'web', image: 'ghcr.io/acme/cart', tag: '1.0.0', port: 8080, host: 'shop.example.com' }] }));
  const flag = await drive(`${BIN} add service shop --tenant nope --repo ${root}`, [{ expect: /--tenant: "nope" is not one of: web[\s\S]*nothing was asked or written|nothing was asked or written[\s\S]*--tenant: "nope" is not one of: web/ }]);
  assert.is(flag.exitCode, 2, flag.screen);
  assert.not.match(flag.screen, /Image \(repository/, 'no question asked');
  const s = await drive(`${BIN} add service --repo ${root}`, [
    { expect: /Service name/, send: `${'a'.repeat(60)}${enter}` },
    { expect: /leaves no room for the names derived from it/, send: `${clearLine}shop${enter}` },
    { expect: /Tenant \(team\) owning it/, send: enter },
    { expect: /Image \(repository/, send: `ghcr.io/acme/shop:1.0.0${enter}` },
    { expect: /Container port/, send: enter },
    { expect: /Delivery strategy/, send: enter },
    { expect: /Public host name/, send: `shop.example.com${enter}` },
    { expect: /host "shop\.example\.com" is already used at services\[cart\]\.host/, send: `${clearLine}www.example.com${enter}` },
    { expect: /Environments it deploys to/, send: enter },
    { expect: /Added service shop/ },
  ]);
  assert.is(s.exitCode, 0, s.screen);
  assert.is(model(root).services.find((x: any) => x.name === 'shop').host, 'www.example.com');
});

test('add at a keyboard, failing after the last question: the answers are printed as the command line that gives them all', async () => {
  const root = minimalRepo();
  const pristine = path.join(tempDir(), 'repo');
  cpSync(root, pristine, { recursive: true });
  // A file of the user's where the new service's base goes: a conflict, exit 1.
  mkdirSync(path.join(root, 'apps/web/shop/base'), { recursive: true });
  writeFileSync(path.join(root, 'apps/web/shop/base/kustomization.yaml'), '# mine\n');
  const s = await drive(`${BIN} add service shop --repo ${root}`, [
    { expect: /Tenant \(team\) owning it/, send: enter },
    { expect: /Image \(repository/, send: `ghcr.io/acme/shop:1.0.0${enter}` },
    { expect: /Container port/, send: `9090${enter}` },
    { expect: /Delivery strategy/, send: enter },
    { expect: /Public host name/, send: `shop.example.com${enter}` },
    { expect: /Environments it deploys to/, send: `${space}${enter}` },
    { expect: /Your answers, to run again without the questions:\n\s*(gitops-scaffold add service shop [^\n]+)/ },
  ]);
  assert.is(s.exitCode, 1, s.screen);
  const line = /Your answers, to run again without the questions:\n\s*(gitops-scaffold add service shop [^\n]+)/.exec(s.screen)![1].trim();
  assert.is(line, `gitops-scaffold add service shop --tenant web --image ghcr.io/acme/shop --tag 1.0.0 --port 9090 --strategy rolling --host shop.example.com --environments prod --repo ${root}`);
  // The same line, elsewhere, with no terminal: the same service.
  const again = await execa('node', [path.join(ROOT, 'bin/gitops-scaffold.js'), ...line.split(' ').slice(1, -2), '--repo', pristine], { reject: false, env: { ...process.env, CI: 'true' } });
  assert.is(again.exitCode, 0, again.stderr);
  assert.equal(model(pristine).services.find((x: any) => x.name === 'shop'), model(root).services.find((x: any) => x.name === 'shop'));
});

test("add cluster at a keyboard: init's questions on how Argo CD reaches the spoke, each answer checked as typed", async () => {
  const root = minimalRepo();
  const s = await drive(`${BIN} add cluster eu --repo ${root}`, [
    { expect: /Kubernetes API server URL/, send: `https://kubernetes.default.svc${enter}` },
    { expect: /only the hub running Argo CD can/, send: `${clearLine}https://eu.k8s.example.com${enter}` },
    { expect: /how does Argo CD authenticate to it\?[\s\S]*aws: EKS[\s\S]*token: a ServiceAccount token/, send: enter },
    { expect: /its API server CA, base64/, send: `not base64!${enter}` },
    { expect: /the base64 text of the CA certificate/, send: `${clearLine}LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t${enter}` },
    { expect: /EKS cluster name/, send: `eks-eu-1${enter}` },
    { expect: /IAM role ARN Argo CD assumes/, send: enter },
    { expect: /Environments it serves/, send: `${down}${space}${enter}` },
    { expect: /Region/, send: `eu-west-1${enter}` },
    { expect: /Added cluster eu/ },
  ]);
  assert.is(s.exitCode, 0, s.screen);
  const eu = model(root).clusters.find((c: any) => c.name === 'eu');
  assert.equal(eu, { name: 'eu', server: 'https://eu.k8s.example.com', environment: 'prod', region: 'eu-west-1', auth: { type: 'aws', clusterName: 'eks-eu-1' }, caData: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' });
});

test('remove at a keyboard: the files are listed and "no" (the default) changes nothing', async () => {
  const root = minimalRepo();
  const before = readTree(root);
  const s = await drive(`${BIN} remove service web --repo ${root}`, [
    { expect: /remove service web deletes \d+ file\(s\)[\s\S]*apps\/web\/web\/[\s\S]*Delete these files and remove service web from platform\.yaml\? \(y\/N\)/, send: enter },
    { expect: /Cancelled: service web was not removed; nothing was written\./ },
  ]);
  assert.is(s.exitCode, 1, s.screen);
  assert.equal(readTree(root), before);
});

test("plop service: the same questions from platform.yaml, the platform's strategy as default, and bad input exits 2 as the CLI does", async () => {
  const dest = tempDir();
  // A platform whose strategy is not the schema's default: plop must offer it, as the CLI does.
  cpSync(minimalRepo((spec) => ({ ...spec, delivery: { ...spec.delivery, strategy: 'canary' } })), path.join(dest, 'repo'), { recursive: true });
  const plop = `node --import ${TSX} ${path.join(ROOT, 'scripts/plop.mjs')} --plopfile ${path.join(ROOT, 'plopfile.ts')} --dest ${dest} service`;
  const s = await drive(plop, [
    { expect: /Repository folder/, send: `nowhere${enter}` },
    { expect: /no platform\.yaml in/, send: `${clearLine}${path.join(dest, 'repo')}${enter}` },
    { expect: /Service name/, send: `web${enter}` },
    { expect: /Tenant \(team\) owning it[\s\S]*web/, send: enter },
    { expect: /Image/, send: `ghcr.io/acme/web:9.9.9${enter}` },
    { expect: /Container port/, send: enter },
    { expect: /Delivery strategy[\s\S]*❯ canary/, send: enter },
    { expect: /Public host name/, send: enter },
    { expect: /Environments it deploys to/, send: enter },
    // web exists with other settings: without "update" that is an input error, as in the CLI.
    { expect: /service web exists: update it with these answers\?/, send: enter },
    { expect: /--update/ },
  ], { cwd: dest, timeoutMs: 40_000 });
  assert.is(s.exitCode, 2, s.screen);
  assert.ok(existsSync(path.join(dest, 'repo', 'platform.yaml')));
});

test.run();
