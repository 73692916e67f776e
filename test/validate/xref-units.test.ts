// xref/context.ts unitLookup: the resources that see a file's resources (each kustomization build
// that includes the file, or its folder), by kind. It groups each file's resources once and
// appends the groups per unit; this holds it equal to going through every unit's resources one
// by one, in any order of asking, over random overlays that share bases (fails when a unit's
// list is the file's own list, so that appending to one unit changes the others).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSources } from '../../generators/check/parse.ts';
import type { ParsedResource } from '../../generators/check/resources.ts';
import { RepoIndex } from '../../generators/validate/kustomize-refs.ts';
import { unitLookup } from '../../generators/validate/xref/context.ts';
import { prng } from '../helpers.ts';

const KINDS = ['Deployment', 'Service', 'ConfigMap', 'Rollout'];

test('unitLookup = every unit grouped from its resources one by one, whatever is asked first', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = prng(seed);
    const texts = new Map<string, string>();
    const resource = (kind: string, name: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
    const manifest = (dir: string, n: number) => {
      const files: string[] = [];
      for (let i = 0; i < n; i++) {
        const file = `${dir}/m${i}.yaml`;
        texts.set(file, Array.from({ length: 1 + r.int(3) }, (_, j) => resource(r.pick(KINDS), `${dir.replace(/\//g, '-')}-${i}-${j}`)).join('---\n'));
        files.push(file);
      }
      return files;
    };
    const bases = Array.from({ length: 1 + r.int(3) }, (_, b) => `base${b}`);
    for (const b of bases) {
      const own = manifest(b, 1 + r.int(3));
      texts.set(`${b}/kustomization.yaml`, `resources:\n${own.map((f) => `- ${f.slice(b.length + 1)}`).join('\n')}\n`);
    }
    for (let o = 0; o < 2 + r.int(4); o++) {
      const dir = `overlays/o${o}`;
      const own = manifest(dir, r.int(3));
      const uses = bases.filter(() => r.int(2) === 0);
      texts.set(`${dir}/kustomization.yaml`, `resources:\n${[...uses.map((b) => `../../${b}`), ...own.map((f) => f.slice(dir.length + 1))].map((x) => `- ${x}`).join('\n')}\n`);
    }
    manifest('loose', 1 + r.int(2)); // files in no kustomization: their folder is their unit
    const parsed = parseSources([...texts].map(([path, content]) => ({ path, content })));
    const resources = parsed.resources;
    const repo = new RepoIndex(texts.keys(), resources);
    const ctx = { resources, repo };
    const naive = (file: string) =>
      repo.unitsOf(file).map(({ files }) => {
        const byKind = new Map<string, ParsedResource[]>();
        for (const f of files)
          for (const x of resources.filter((y) => y.file === f)) {
            const kind = String(x.obj?.kind);
            if (!byKind.has(kind)) byKind.set(kind, []);
            byKind.get(kind)!.push(x);
          }
        return byKind;
      });
    const lookup = unitLookup(ctx);
    const order = [...texts.keys()].sort(() => r.next() - 0.5);
    for (const file of [...order, ...order]) {
      const got = lookup(file).map((m) => [...m].map(([k, v]) => [k, v.map((x) => `${x.file}#${x.docIndex}`)]));
      const want = naive(file).map((m) => [...m].map(([k, v]) => [k, v.map((x) => `${x.file}#${x.docIndex}`)]));
      assert.equal(got, want, `seed ${seed} ${file}`);
    }
  }
});

test.run();
