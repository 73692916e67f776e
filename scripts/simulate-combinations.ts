// Development script: renders the enterprise example with every traffic router x secrets backend
// x delivery strategy (issue 9, "Done when") into a temporary folder and runs
// `validate --simulate` on each, printing the simulation's error count per combination and the
// rules behind them. Combinations the model rejects are listed as such. Slow (a render and a
// validate each): not part of the test suite.
//
//   node --import tsx scripts/simulate-combinations.ts [--keep DIR] [--only router/backend/strategy]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'gitops-scaffold.js');
const ROUTERS = ['istio', 'nginx', 'alb', 'gateway-api', 'none'];
const BACKENDS = ['external-secrets', 'sealed-secrets', 'sops'];
const STRATEGIES = ['canary', 'blueGreen', 'rolling'];

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const keep = arg('--keep');
const only = arg('--only');
const base = fs.readFileSync(path.join(ROOT, 'examples/enterprise/platform.yaml'), 'utf8');
const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-combinations-'));

function spec(router: string, backend: string, strategy: string): string {
  const doc = parseDocument(base);
  doc.setIn(['delivery', 'router'], router);
  doc.setIn(['delivery', 'strategy'], strategy);
  const services = doc.get('services') as any;
  for (const s of services.items) {
    s.set('strategy', strategy);
    if (backend !== 'external-secrets') s.delete('secrets');
    if (router === 'none') s.delete('host');
  }
  if (backend !== 'external-secrets') {
    doc.set('secrets', { backend });
    // Spokes reach Argo CD without a token in Git: cloud IAM (a token needs the secret store, or
    // a sealed token made with the hub's certificate, which this script cannot make).
    for (const c of (doc.get('clusters') as any).items)
      if (c.get('server') !== 'https://kubernetes.default.svc') {
        c.set('auth', { type: 'aws' });
        c.set('caData', Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'));
      }
  }
  return doc.toString();
}

let failures = 0;
for (const router of ROUTERS)
  for (const backend of BACKENDS)
    for (const strategy of STRATEGIES) {
      const name = `${router}/${backend}/${strategy}`;
      if (only && only !== name) continue;
      const dir = path.join(work, name.replace(/\//g, '-'));
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const answers = path.join(work, `${name.replace(/\//g, '-')}.yaml`);
      fs.writeFileSync(answers, spec(router, backend, strategy));
      try {
        execFileSync('node', [CLI, 'init', '--answers', answers, '--out', dir, '--yes', '--no-check'], { stdio: 'pipe' });
      } catch (e: any) {
        console.log(`${name}: not a valid model (${String(e.stderr).split('\n').find((l) => l.trim().startsWith('-'))?.trim() ?? 'rejected'})`);
        continue;
      }
      let out: string;
      try {
        out = execFileSync('node', [CLI, 'validate', dir, '--simulate', '--no-kustomize', '--kubeconform', 'never', '--output', 'json'], { stdio: 'pipe', maxBuffer: 64 << 20 }).toString();
      } catch (e: any) {
        out = String(e.stdout);
      }
      const findings = JSON.parse(out).findings.filter((f: any) => f.severity === 'error');
      const byRule = new Map<string, number>();
      for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
      if (findings.length) failures++;
      console.log(`${name}: ${findings.length} errors${findings.length ? ` (${[...byRule].map(([r, n]) => `${r} x${n}`).join(', ')})` : ''}`);
    }
console.log(`${failures} combination(s) with errors${keep ? `; repositories in ${work}` : ''}`);
if (!keep) fs.rmSync(work, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
