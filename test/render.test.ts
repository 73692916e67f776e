import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { renderSpec } from '../generators/pipeline.ts';
import { loadTemplates } from '../generators/io/templates.ts';
import { parseSpecText } from '../generators/model/serialize.ts';
import { baseSpec, ROOT, readTree } from './helpers.ts';
import { toYaml } from '../generators/render/yaml.ts';

const HOSTILE = [`Pays "fast" & <cheap>: #1`, "line1\nadmin: true\n- injected", '{{ .app.metadata.name }} {{{x}}}', "it's 'quoted' `tick` yes on 0755 ~ null", 'ünïcødé ✓ 漢字 \u2028 tab\there', '*alias &anchor !!binary %directive @at |pipe >gt'];

test('hostile values never break or inject YAML', () => {
  for (const value of HOSTILE) {
    const spec: any = baseSpec();
    spec.tenants[0].description = value;
    // A group name is one policy.csv line: the model refuses line breaks in it (model.test.ts).
    const group = value.replace(/[\n\u2028]/g, ' ');
    spec.argocd = { notifications: { slack: { channel: value } }, sso: { issuer: 'https://sso.example.com', clientId: value, adminGroups: [group], sealedClientSecret: 'AgBy3i4OJSWK' } };
    const files = renderSpec(spec);
    const project = files.find((f) => f.path === 'argocd/projects/payments.yaml')!;
    const doc = YAML.parse(project.content.split('\n').slice(1).join('\n'), { version: '1.1' });
    assert.is(doc.spec.description, value, 'description round-trips exactly');
    assert.not.ok('admin' in doc, 'no injected key');
    const cm = YAML.parse(files.find((f) => f.path === 'argocd/install/argocd-cm.yaml')!.content, { version: '1.1' });
    assert.is(YAML.parse(cm.data['oidc.config']).clientID, value, 'nested OIDC block round-trips');
    const model = files.find((f) => f.path === 'platform.yaml')!;
    assert.is((parseSpecText(model.content, 'platform.yaml') as any).tenants[0].description, value, 'platform.yaml round-trips');
    for (const f of files.filter((x) => /\.ya?ml$/.test(x.path))) {
      for (const d of YAML.parseAllDocuments(f.content, { version: '1.1' }) as YAML.Document[]) assert.equal(d.errors, [], f.path);
    }
  }
});

test('YAML 1.1 booleans (y, n, yes, no, on, off) stay strings for Kubernetes readers', () => {
  const words = ['y', 'Y', 'n', 'N', 'yes', 'no', 'on', 'off', 'true', 'False'];
  // Values built in code (the `yaml` helper, toYaml): quoted when a YAML 1.1 reader would see a boolean.
  const parsed = YAML.parse(toYaml(Object.fromEntries(words.map((w) => [w, w]))), { version: '1.1' });
  for (const w of words) assert.is(parsed[w], w, `toYaml keeps ${JSON.stringify(w)} a string (key and value)`);
  // Values from the model, through templates: a tenant's and a service's description.
  for (const [tenantDescription, serviceDescription] of [['n', 'yes'], ['yes', 'n'], ['off', 'y']]) {
    const spec: any = baseSpec();
    spec.tenants[0].description = tenantDescription;
    spec.tenants[0].groups = { developer: [serviceDescription] };
    spec.services = [{ name: 'api', tenant: 'payments', description: serviceDescription, image: 'ghcr.io/acme/api', tag: '1.0.0', strategy: 'rolling' }];
    const files = renderSpec(spec);
    const read = (file: string) => YAML.parse(files.find((f) => f.path === file)!.content, { version: '1.1' });
    const project = read('argocd/projects/payments.yaml');
    assert.is(project.spec.description, tenantDescription, 'tenant description (q helper)');
    assert.equal(project.spec.roles.find((r: any) => r.name === 'developer').groups, [serviceDescription], 'SSO group (yaml helper)');
    const deployment = read('apps/payments/api/base/deployment.yaml');
    assert.is(deployment.metadata.annotations['gitops-scaffold.dev/description'], serviceDescription, 'service description');
  }
});

test('Argo Go templates survive rendering', () => {
  const files = renderSpec(baseSpec());
  const appset = YAML.parse(files.find((f) => f.path === 'argocd/apps/tenant-payments.yaml')!.content);
  assert.is(appset.spec.template.metadata.name, '{{ .service }}-{{ .env }}-{{ .cluster }}');
  assert.is(appset.spec.template.spec.project, 'payments', 'project is hard-coded, never templated');
  assert.equal(appset.spec.goTemplateOptions, ['missingkey=error']);
});

test('YAML templates pass values only through quoting helpers', () => {
  const allowed = /^\{\{(?:q |num |bool |yaml |line |md |#if |#unless |#each |\/if|\/unless|\/each|else|#with |\/with|> )/;
  const bad: string[] = [];
  for (const [name, text] of Object.entries(loadTemplates())) {
    if (!/\.(ya?ml|json)\.hbs$/.test(name)) continue;
    for (const m of text.matchAll(/(\\?)\{\{[^}]*\}\}/g)) if (!m[1] && !allowed.test(m[0])) bad.push(`${name}: ${m[0]}`);
  }
  assert.equal(bad, []);
});

test('rendering is deterministic and independent of list order', () => {
  const a: any = baseSpec();
  a.tenants = [{ name: 'payments' }, { name: 'search' }];
  const b: any = baseSpec();
  b.tenants = [{ name: 'search' }, { name: 'payments' }];
  const strip = (files: { path: string; content: string }[]) => files.filter((f) => f.path !== 'platform.yaml').map((f) => f.path + '\n' + f.content);
  assert.equal(strip(renderSpec(a)), strip(renderSpec(b)));
  assert.equal(renderSpec(a), renderSpec(a));
});

// Golden trees: the committed examples are exactly what their platform.yaml renders.
for (const example of ['minimal', 'enterprise']) {
  test(`examples/${example} matches its platform.yaml`, () => {
    const dir = path.join(ROOT, 'examples', example);
    const text = readFileSync(path.join(dir, 'platform.yaml'), 'utf8');
    const rendered = renderSpec(parseSpecText(text, 'platform.yaml'), text);
    const onDisk = readTree(dir);
    onDisk.delete('.gitops-scaffold/manifest.json');
    const expected = new Map(rendered.map((f) => [f.path, f.content]));
    if (process.env.UPDATE_GOLDEN) return;
    assert.equal([...onDisk.keys()].sort(), [...expected.keys()].sort(), 'same file list (UPDATE_GOLDEN=1 npm start-style re-render: npm run examples)');
    for (const [p, content] of expected) assert.is(onDisk.get(p), content, p);
  });
}

test.run();

test('code spans hold their text verbatim on one line, whatever backticks it contains', async () => {
  const { codeSpan } = await import('../generators/render/engine.ts');
  assert.is(codeSpan('^(a|b)$'), '`^(a|b)$`');
  assert.is(codeSpan('a`b'), '``a`b``');
  assert.is(codeSpan('`x`'), '`` `x` ``');
  assert.is(codeSpan('one\ntwo'), '`one two`');
});
