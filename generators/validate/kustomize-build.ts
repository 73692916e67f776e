// Builds every kustomization on disk with `kustomize build` or `kubectl kustomize` (whichever is
// on PATH) so the schema layer can validate what Argo CD will actually apply. Kustomizations with
// remote bases are skipped and counted: they cannot be built offline.
import path from 'node:path';
import { execa } from 'execa';
import type { Finding } from '../check/finding.ts';
import { parseSource } from '../check/parse.ts';
import type { ParsedResource } from '../check/resources.ts';
import type { RepoIndex } from './kustomize-refs.ts';
import { refOf } from './schema-layer.ts';

export interface KustomizeTool {
  /** Display name: `kustomize` or `kubectl kustomize`. */
  name: string;
  command: string;
  args: (dir: string) => string[];
}

export interface KustomizeBuildResult {
  tool?: KustomizeTool;
  built: number;
  remoteSkipped: number;
  resources: ParsedResource[];
  findings: Finding[];
}

export async function findKustomizeTool(env: NodeJS.ProcessEnv = process.env): Promise<KustomizeTool | undefined> {
  if (await runs('kustomize', ['version'], env)) return { name: 'kustomize', command: 'kustomize', args: (dir) => ['build', dir] };
  if (await runs('kubectl', ['kustomize', '--help'], env)) return { name: 'kubectl kustomize', command: 'kubectl', args: (dir) => ['kustomize', dir] };
  return undefined;
}

async function runs(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  try {
    await execa(cmd, args, { env, timeout: 15_000, stdin: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const NETWORK = /(dial tcp|no such host|could not resolve|network is unreachable|unable to access|fatal: unable|git clone|failed to run '\S*git)/i;

export async function buildKustomizations(root: string, repo: RepoIndex, tool: KustomizeTool, env: NodeJS.ProcessEnv = process.env): Promise<KustomizeBuildResult> {
  const out: KustomizeBuildResult = { tool, built: 0, remoteSkipped: 0, resources: [], findings: [] };
  const dirs = [...repo.kustomizations.values()].filter((k) => k.resource.obj?.kind !== 'Component');
  // Two at a time: the machines this runs on have two cores.
  const queue = [...dirs];
  const worker = async () => {
    for (let k = queue.shift(); k; k = queue.shift()) {
      if (k.refs.some((r) => r.remote)) {
        out.remoteSkipped++;
        continue;
      }
      const abs = path.join(root, k.dir);
      try {
        const { stdout } = await execa(tool.command, tool.args(abs), { env, timeout: 120_000, stdin: 'ignore' });
        out.built++;
        const parsed = parseSource({ path: k.resource.file, content: stdout }, 'kustomize-build');
        out.resources.push(...parsed.resources);
      } catch (e: any) {
        const text = String(e?.stderr || e?.shortMessage || e?.message || e).trim();
        if (NETWORK.test(text)) {
          out.remoteSkipped++;
          continue;
        }
        out.findings.push({
          rule: 'kustomize/build-failed',
          severity: 'error',
          source: 'kustomize',
          file: k.resource.file,
          line: k.resource.line,
          resource: { ...refOf(k.resource.obj), kind: k.resource.obj?.kind ?? 'Kustomization' },
          message: `${k.dir || '.'}: ${tool.name} build failed: ${cleanError(text)}`,
          fix: `Run \`${tool.name === 'kustomize' ? 'kustomize build' : 'kubectl kustomize'} ${k.dir || '.'}\` and fix the error it reports.`,
        });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** kubectl prefixes errors with a klog header and wraps them in err="…"; keep the message. */
export function cleanError(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  const m = /err="(.*)"\s*$/.exec(line);
  const msg = (m ? m[1] : line.replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\]\s*/, '')).replace(/\\"/g, '"');
  return msg.length > 300 ? msg.slice(0, 300) + '…' : msg;
}
