// `engines` is honest: every Node version package.json accepts is one every locked package accepts,
// so `npm ci` there prints no EBADENGINE (the kubernetes-models packages, which need Node >= 22,
// are not in this lockfile: tools/schemas has its own). Checked on the versions the ranges name and
// on every major's first release, with a small reader of npm's range syntax (the one the lockfile
// uses: `>=x`, `^x`, `~x`, `x`, `a - b`, comparator lists, `||`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

type Version = [number, number, number];
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** A partial version (`20`, `20.6`, `20.x`) with how many parts it gives. */
function parsePartial(text: string): { v: Version; parts: number } {
  const nums = text.replace(/^v/, '').split('.').filter((p) => p !== '' && !/^[x*]$/i.test(p)).map(Number);
  if (nums.some(Number.isNaN)) throw new Error(`not a version: ${text}`);
  return { v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], parts: nums.length };
}

/** The version just above every version the partial one covers (`20` -> 21.0.0, `20.6` -> 20.7.0). */
const above = ({ v, parts }: { v: Version; parts: number }): Version =>
  parts <= 1 ? [v[0] + 1, 0, 0] : parts === 2 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1];

export function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alt) => {
    const text = alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1');
    if (text === '' || text === '*') return true;
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) {
      const hi = parsePartial(hyphen[2]);
      return cmp(version, parsePartial(hyphen[1]).v) >= 0 && (hi.parts === 3 ? cmp(version, hi.v) <= 0 : cmp(version, above(hi)) < 0);
    }
    return text.split(/\s+/).every((c) => {
      const [, op, rest] = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(c)!;
      const p = parsePartial(rest);
      switch (op) {
        case '>=': return cmp(version, p.v) >= 0;
        case '>': return cmp(version, p.parts === 3 ? p.v : above(p)) >= (p.parts === 3 ? 1 : 0);
        case '<': return cmp(version, p.v) < 0;
        case '<=': return p.parts === 3 ? cmp(version, p.v) <= 0 : cmp(version, above(p)) < 0;
        case '^': {
          const upper: Version = p.v[0] > 0 || p.parts === 1 ? [p.v[0] + 1, 0, 0] : p.v[1] > 0 || p.parts === 2 ? [0, p.v[1] + 1, 0] : [0, 0, p.v[2] + 1];
          return cmp(version, p.v) >= 0 && cmp(version, upper) < 0;
        }
        case '~': return cmp(version, p.v) >= 0 && cmp(version, p.parts === 1 ? [p.v[0] + 1, 0, 0] : [p.v[0], p.v[1] + 1, 0]) < 0;
        default: return cmp(version, p.v) >= 0 && cmp(version, above(p)) < 0; // `20`, `=20.6.0`
      }
    });
  });
}

test('the range reader reads the forms the lockfile uses', () => {
  const v = (s: string) => parsePartial(s).v;
  assert.ok(satisfies(v('20.6.0'), '>=20.6'));
  assert.not.ok(satisfies(v('20.5.9'), '>=20.6'));
  assert.ok(satisfies(v('20.5.0'), '^18.19.0 || >=20.5.0'));
  assert.not.ok(satisfies(v('19.0.0'), '^18.19.0 || >=20.5.0'));
  assert.ok(satisfies(v('18.20.1'), '^18.19.0 || >=20.5.0'));
  assert.ok(satisfies(v('20.20.2'), '18 || 20 || >=22'));
  assert.not.ok(satisfies(v('21.7.0'), '18 || 20 || >=22'));
  assert.ok(satisfies(v('14.18.0'), '>=16 || 14 >=14.17'));
  assert.not.ok(satisfies(v('14.16.0'), '>=16 || 14 >=14.17'));
  assert.ok(satisfies(v('12.0.0'), '>= 12'));
  assert.ok(satisfies(v('20.0.0'), '>=20 <22') && !satisfies(v('22.0.0'), '>=20 <22'));
  assert.ok(satisfies(v('0.10.5'), '~0.10') && !satisfies(v('0.11.0'), '~0.10'));
  assert.ok(satisfies(v('20.9.0'), '18 - 20') && !satisfies(v('21.0.0'), '18 - 20'));
  assert.not.ok(satisfies(v('20.20.2'), '>=22'));
});

test('every Node version `engines` accepts, every locked package accepts (no EBADENGINE on a supported Node)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const ours: string = pkg.engines.node;
  const ranges: [string, string][] = [];
  for (const [where, entry] of Object.entries(lock.packages as Record<string, { engines?: unknown }>)) {
    const node = typeof entry.engines === 'object' && entry.engines ? (entry.engines as Record<string, string>).node : undefined;
    if (where && node) ranges.push([where.replace(/^.*node_modules\//, ''), node]);
  }
  assert.ok(ranges.length > 50, 'the lockfile records engines');
  const candidates = new Map<string, Version>();
  const add = (v: Version) => candidates.set(v.join('.'), v);
  for (let major = 14; major <= 30; major++) add([major, 0, 0]);
  for (const range of [ours, ...ranges.map(([, r]) => r)])
    for (const m of range.matchAll(/\d+(\.\d+){0,2}/g)) {
      const p = parsePartial(m[0]);
      add(p.v);
      add(above(p));
    }
  add(parsePartial(process.versions.node).v);
  assert.ok(satisfies(parsePartial(process.versions.node).v, ours), `engines ${ours} accepts the Node running the suite (${process.version})`);
  const broken: string[] = [];
  for (const v of candidates.values()) {
    if (!satisfies(v, ours)) continue;
    for (const [name, range] of ranges) if (!satisfies(v, range)) broken.push(`Node ${v.join('.')}: ${name} needs ${range}`);
  }
  assert.equal(broken.slice(0, 10), [], `engines ${ours} promises Node versions the lockfile's packages refuse`);
});

test.run();
