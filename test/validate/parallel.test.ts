// validate's checks in a worker thread (validate/parallel.ts) give the report the main thread
// alone gives, byte for byte, in every format; a worker that fails costs nothing but its time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateCommand } from '../../generators/validate/command.ts';
import { classifyManifests, runChecks } from '../../generators/validate/pipeline.ts';
import { readRepoFiles } from '../../generators/validate/repo-files.ts';
import { idleSince, PARALLEL_MIN_FILES, startParallelChecks, wantsWorker } from '../../generators/validate/parallel.ts';
import { fixture } from './helpers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = (dir: string, output: 'json' | 'text', workers: 'on' | 'off') =>
  validateCommand({ paths: [dir], output, kubeconform: 'never', kustomize: false, simulate: true, env: { ...process.env, GITOPS_SCAFFOLD_WORKERS: workers } });

test('the worker thread gives the same report as the main thread (enterprise example, simulation on)', async () => {
  for (const [dir, formats] of [[path.join(ROOT, 'examples', 'enterprise'), ['text']]] as const) {
    for (const output of formats) {
      const alone = await run(dir, output, 'off');
      const both = await run(dir, output, 'on');
      assert.is(both.exitCode, alone.exitCode, `${dir} ${output}`);
      assert.is(both.stdout, alone.stdout, `${dir} ${output}`);
    }
  }
});

test('the worker answers with the findings of each check as runChecks gives them here', async () => {
  const files = readRepoFiles([fixture('validate/invalid')], process.cwd(), { shared: () => true });
  assert.ok(files.bytes, 'the bytes are kept in shared memory when asked');
  const parallel = startParallelChecks({})!;
  parallel.send({ paths: files.manifests.map((m) => m.path), offsets: files.bytes!.offsets, bytes: files.bytes!.buffer, all: files.all });
  const answer = await parallel.result();
  assert.ok(answer, 'the worker answered');
  assert.equal(answer, runChecks(classifyManifests(files.manifests, files.all)));
  assert.ok(answer!.schema.length && answer!.xref.length && answer!.paths.length);
});

test('a worker is used only when asked: always (on), or for large repositories on a machine with a CPU to spare (auto)', () => {
  const idle = { cpus: 2, load: 0.3 };
  const auto = { GITOPS_SCAFFOLD_WORKERS: 'auto' };
  assert.is(wantsWorker(1_000_000, {}, idle), false, 'off by default');
  assert.is(wantsWorker(PARALLEL_MIN_FILES - 1, auto, idle), false);
  assert.is(wantsWorker(PARALLEL_MIN_FILES, auto, idle), true);
  assert.is(wantsWorker(PARALLEL_MIN_FILES, auto, { cpus: 2, load: 1.6 }), false, 'busy');
  assert.is(wantsWorker(PARALLEL_MIN_FILES, auto, { cpus: 1, load: 0 }), false, 'one CPU');
  // What the CPUs did just now outweighs the minute's average (a previous run of this very command).
  assert.is(wantsWorker(PARALLEL_MIN_FILES, auto, { cpus: 2, load: 1.9, idleCpus: 0.9 }), true, 'a CPU idle right now');
  assert.is(wantsWorker(PARALLEL_MIN_FILES, auto, { cpus: 2, load: 0.2, idleCpus: 0.3 }), false, 'both CPUs busy right now');
  const m = idleSince()();
  assert.ok(m.cpus >= 1 && m.load >= 0);
  assert.is(wantsWorker(10, { GITOPS_SCAFFOLD_WORKERS: 'on' }), true);
  assert.is(wantsWorker(1_000_000, { GITOPS_SCAFFOLD_WORKERS: 'off' }), false);
});

test('a worker that fails answers undefined (the checks then run on the main thread)', async () => {
  const broken = startParallelChecks({}, { code: 'throw new Error("no")', eval: true });
  assert.ok(broken);
  assert.is(await broken!.result(), undefined);
  const garbage = startParallelChecks({}, { code: 'require("node:worker_threads").parentPort.once("message", () => { throw new Error("bad request") })', eval: true });
  garbage!.send({ paths: ['a.yaml'], offsets: new Float64Array([0, 0]), bytes: new SharedArrayBuffer(0), all: ['a.yaml'] });
  assert.is(await garbage!.result(), undefined);
});

test.run();
