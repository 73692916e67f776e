// Start-up benchmark (issue 11 "Instant start"): medians of N runs, interleaved so every variant
// sees the same machine load, reported side by side and as ratios to `node -e 0`:
//   node -e 0 | gitops-scaffold --help | init --example minimal (end to end, checks included) |
//   copying the same tree (cp -r of what init wrote: the floor for writing those files).
// Targets: --help <= 2x node -e 0; init --example minimal <= 0.5 s.
// Usage: node scripts/bench-startup.mjs [--runs N] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'gitops-scaffold.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', '11'));
const json = process.argv.includes('--json');

execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
const work = mkdtempSync(path.join(tmpdir(), 'gs-bench-startup-'));
const reference = path.join(work, 'reference');
spawnSync(process.execPath, [BIN, 'init', '--example', 'minimal', '--out', reference], { stdio: 'ignore' });

const env = { ...process.env, CI: 'true' };
const variants = [
  { name: 'node -e 0', run: () => [process.execPath, ['-e', '0']] },
  { name: 'gitops-scaffold --help', run: () => [process.execPath, [BIN, '--help']] },
  { name: 'init --example minimal', run: (i) => [process.execPath, [BIN, 'init', '--example', 'minimal', '--out', path.join(work, `init-${i}`)]] },
  { name: 'cp -r (same tree)', run: (i) => ['cp', ['-r', reference, path.join(work, `copy-${i}`)]] },
];
const times = variants.map(() => []);
for (let i = 0; i < runs; i++)
  variants.forEach((v, k) => {
    const [cmd, args] = v.run(i);
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`${v.name} exited ${r.status}`);
    times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
  });
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
const rows = variants.map((v, k) => ({ name: v.name, medianMs: Math.round(median(times[k])), ratioToNode: +(median(times[k]) / base).toFixed(2) }));
if (json) console.log(JSON.stringify({ runs, rows }, null, 2));
else {
  console.log(`start-up, median of ${runs} interleaved runs (${process.version})`);
  for (const r of rows) console.log(`  ${r.name.padEnd(26)} ${String(r.medianMs).padStart(6)} ms  ${r.ratioToNode.toFixed(2)}x node -e 0`);
  const help = rows[1];
  const init = rows[2];
  console.log(`targets: --help <= 2x node -e 0: ${help.ratioToNode <= 2 ? 'met' : 'NOT met'} (${help.ratioToNode}x); init --example minimal <= 500 ms: ${init.medianMs <= 500 ? 'met' : 'NOT met'} (${init.medianMs} ms)`);
}
