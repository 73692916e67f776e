// The checkout's bin runs dist/ only when it is current (scripts/dist-freshness.mjs): a dist/ older
// than the sources, than the build script, or missing a file the bin loads would run stale or
// missing code (seen: a dist/ built before dist/cli.cjs existed, stamped newer than the sources).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-expect-error: a plain .mjs module without types
import { DIST_ENTRIES, distIsStale } from '../../scripts/dist-freshness.mjs';

function checkout(): { root: string; touch: (file: string, secondsAgo: number) => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gs-dist-'));
  const touch = (file: string, secondsAgo: number) => {
    const p = path.join(root, file);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, '');
    const t = Date.now() / 1000 - secondsAgo;
    utimesSync(p, t, t);
  };
  for (const f of ['generators/cli.ts', 'templates/a.hbs', 'plopfile.ts', 'package.json', 'scripts/build-dist.mjs']) touch(f, 100);
  return { root, touch };
}

test('a complete dist/ stamped after every input is current; each way of being stale is seen', () => {
  const { root, touch } = checkout();
  try {
    assert.ok(distIsStale(root), 'no dist/ at all');
    for (const f of DIST_ENTRIES as string[]) touch(`dist/${f}`, 10);
    touch('dist/build.json', 10);
    assert.not.ok(distIsStale(root), 'current');
    touch('scripts/build-dist.mjs', 1);
    assert.ok(distIsStale(root), 'the build script changed after the build');
    touch('dist/build.json', 0);
    assert.not.ok(distIsStale(root));
    rmSync(path.join(root, 'dist', 'cli.cjs'));
    assert.ok(distIsStale(root), 'a file the bin loads is missing');
    touch('dist/cli.cjs', 0);
    touch('generators/model/x.ts', -5);
    assert.ok(distIsStale(root), 'a source is newer');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
