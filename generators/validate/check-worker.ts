// Worker-thread side of validate/parallel.ts: the texts validate read (as bytes in shared
// memory, so nothing is copied), parsed and classified exactly as on the main thread, then the
// checks (schema layer, kustomize paths, cross references). Only their findings go back.
import { parentPort } from 'node:worker_threads';
import type { SourceFile } from '../check/resources.ts';
import { classifyManifests, type CheckOptions, runChecks } from './pipeline.ts';
import { ensureSchemas } from './schema-store.ts';

export interface CheckRequest {
  /** Manifest candidates: path, and where its bytes are in `bytes` (UTF-8). */
  paths: string[];
  offsets: Float64Array;
  bytes: SharedArrayBuffer;
  all: string[];
  opts: CheckOptions;
}

export function answer(req: CheckRequest) {
  const view = Buffer.from(req.bytes);
  const candidates: SourceFile[] = req.paths.map((p, i) => ({ path: p, content: view.toString('utf8', req.offsets[i], req.offsets[i + 1]) }));
  ensureSchemas();
  return runChecks(classifyManifests(candidates, req.all, req.opts), req.opts);
}

parentPort?.once('message', (req: CheckRequest) => {
  let reply;
  try {
    reply = { ok: true, checks: answer(req) };
  } catch (e) {
    // The main thread runs the checks itself then (and reports whatever went wrong its own way).
    reply = { ok: false, error: String((e as Error)?.stack ?? e) };
  }
  parentPort!.postMessage(reply);
});
