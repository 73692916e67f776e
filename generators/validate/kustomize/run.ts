// Runs kustomize builds: many kustomizations per process, on a pool sized to the machine.
//
// kubectl spends most of a build starting up (about 60 ms of CPU for 5 ms of kustomize work on a
// service overlay), so builds are batched: a temporary kustomization includes one wrapper per
// member, each wrapper includes its member folder and adds one annotation naming it. One process
// builds the batch; its output is split back per member by that annotation, which is then
// removed again. Each member's documents are exactly what its own build prints (same resources,
// same order: kustomize sorts the whole output by kind and id, and a member's documents keep that
// order). A batch that fails (one member fails, or two members emit the same resource) is split
// in halves until single kustomizations build directly, so every error is the one kustomize
// gives for that folder alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { fastParseDocuments } from '../../check/fast-yaml.ts';
import { parseSourceFull } from '../../check/parse.ts';
import type { KustomizeTool } from './tool.ts';

/** The annotation that names a batch member; removed from the output before anyone sees it. */
export const MEMBER_ANNOTATION = 'build.gitops-scaffold.dev/member';

export type BuildOutcome = { ok: true; docs: unknown[] } | { ok: false; error: string };

export interface BuildRunner {
  /** Builds every folder (absolute paths); one outcome per folder, same order. */
  build(dirs: readonly string[]): Promise<BuildOutcome[]>;
}

const BATCH = 48;

/** Runs `items` through `fn` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export function kustomizeRunner(tool: KustomizeTool, env: NodeJS.ProcessEnv, parallelism = os.availableParallelism()): BuildRunner {
  const direct = async (dir: string): Promise<BuildOutcome> => {
    try {
      const { stdout } = await execa(tool.command, tool.args(dir), { env, timeout: 120_000, stdin: 'ignore', maxBuffer: 1 << 30 });
      return { ok: true, docs: parseOutput(stdout) };
    } catch (e: any) {
      return { ok: false, error: String(e?.stderr || e?.shortMessage || e?.message || e).trim() };
    }
  };
  const batch = async (dirs: readonly string[]): Promise<BuildOutcome[]> => {
    if (dirs.length === 1) return [await direct(dirs[0])];
    const grouped = await tryBatch(dirs);
    if (grouped) return grouped.map((docs) => ({ ok: true, docs }));
    const half = Math.ceil(dirs.length / 2);
    return [...(await batch(dirs.slice(0, half))), ...(await batch(dirs.slice(half)))];
  };
  const tryBatch = async (dirs: readonly string[]): Promise<unknown[][] | undefined> => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-kustomize-'));
    try {
      const members: string[] = [];
      dirs.forEach((dir, i) => {
        const wrapper = path.join(tmp, `m${i}`);
        fs.mkdirSync(wrapper);
        // kustomize refuses absolute paths to other kustomizations: relative from the wrapper.
        fs.writeFileSync(
          path.join(wrapper, 'kustomization.yaml'),
          `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(path.relative(wrapper, dir))}\ncommonAnnotations:\n  ${MEMBER_ANNOTATION}: "${i}"\n`,
        );
        members.push(`  - m${i}`);
      });
      fs.writeFileSync(path.join(tmp, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${members.join('\n')}\n`);
      let stdout: string;
      try {
        ({ stdout } = await execa(tool.command, tool.args(tmp), { env, timeout: 300_000, stdin: 'ignore', maxBuffer: 1 << 30 }));
      } catch {
        return undefined;
      }
      const out: unknown[][] = dirs.map(() => []);
      for (const doc of parseOutput(stdout)) {
        const member = takeMember(doc);
        if (member === undefined || !out[member]) return undefined; // not ours: build one by one
        out[member].push(doc);
      }
      return out;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
  return {
    async build(dirs) {
      // Batches stripe over the sorted folders, so siblings (one service's dev, staging and
      // prod overlays, which may emit the same names) land in different batches.
      const count = Math.max(Math.min(parallelism, dirs.length), Math.ceil(dirs.length / BATCH));
      const batches: number[][] = Array.from({ length: count }, () => []);
      dirs.forEach((_, i) => batches[i % count].push(i));
      const results = await pool(batches, parallelism, (idx) => batch(idx.map((i) => dirs[i])));
      const out = new Array<BuildOutcome>(dirs.length);
      batches.forEach((idx, b) => idx.forEach((i, j) => (out[i] = results[b][j])));
      return out;
    },
  };
}

/** The member index of a batched document, with the annotation (and what only held it) removed. */
function takeMember(doc: unknown): number | undefined {
  const meta = (doc as any)?.metadata;
  const value = meta?.annotations?.[MEMBER_ANNOTATION];
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  strip(doc);
  return Number(value);
}

/** kustomize also annotates pod templates: remove the annotation wherever it put it. */
function strip(v: unknown) {
  if (Array.isArray(v)) v.forEach(strip);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (k === 'annotations' && x && typeof x === 'object' && MEMBER_ANNOTATION in (x as object)) {
        delete (x as Record<string, unknown>)[MEMBER_ANNOTATION];
        if (!Object.keys(x as object).length) delete o[k];
      } else strip(x);
    }
  }
}

/**
 * kubectl's output, document by document: the fast reader takes kubectl's style (wrapped plain
 * scalars included); a document it does not read goes to the full parser alone.
 */
export function parseOutput(text: string): unknown[] {
  if (!text.trim()) return [];
  const fast = fastParseDocuments(text);
  if (fast) return fast.map((d) => d.value).filter((v) => v !== null && v !== undefined);
  const out: unknown[] = [];
  for (const part of text.split(/^---[ \t]*$/m)) {
    if (!part.trim()) continue;
    const docs = fastParseDocuments(part);
    if (docs) out.push(...docs.map((d) => d.value).filter((v) => v !== null && v !== undefined));
    else out.push(...parseSourceFull({ path: 'kustomize-output.yaml', content: part }, 'kustomize-build').resources.map((r) => r.obj));
  }
  return out;
}
