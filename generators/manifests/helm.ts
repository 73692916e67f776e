// Runs `helm template` (the edge; the command line is helm-args.ts). helm is optional: when it
// is not on PATH the callers say so and fall back to the offline model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { toYaml } from '../render/yaml.ts';
import { onPath } from '../validate/kustomize/tool.ts';
import { parseOutput } from '../validate/kustomize/run.ts';
import { helmTemplateArgs, inlineValues, type HelmTemplateInput } from './helm-args.ts';

export interface HelmTool {
  command: string;
  /** `helm v3.17.0`. */
  name: string;
}

export async function findHelm(env: NodeJS.ProcessEnv = process.env): Promise<HelmTool | undefined> {
  if (!onPath('helm', env)) return undefined;
  try {
    const { stdout } = await execa('helm', ['version', '--short'], { env, timeout: 15_000, stdin: 'ignore' });
    const version = /v\d+\.\d+\.\d+/.exec(stdout)?.[0];
    return { command: 'helm', name: `helm${version ? ` ${version}` : ''}` };
  } catch {
    return undefined;
  }
}

export type HelmOutcome = { ok: true; docs: unknown[]; command: string } | { ok: false; error: string; offline?: boolean };

/** Network failures (no registry, no DNS): the chart could not be fetched, not a broken chart. */
const NETWORK = /(dial tcp|no such host|could not resolve|network is unreachable|connection refused|i\/o timeout|TLS handshake|looks like .* is not a valid chart repository or cannot be reached|failed to fetch|failed to do request)/i;

/** `helm template` of one Helm source; inline values go through a temporary file, as Argo CD does. */
export async function helmTemplate(tool: HelmTool, input: Omit<HelmTemplateInput, 'inlineValuesFile'>, env: NodeJS.ProcessEnv): Promise<HelmOutcome> {
  const values = inlineValues(input.source.helm);
  let tmp: string | undefined;
  try {
    let inlineValuesFile: string | undefined;
    if (values !== undefined) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-scaffold-helm-'));
      inlineValuesFile = path.join(tmp, 'values.yaml');
      fs.writeFileSync(inlineValuesFile, typeof values === 'string' ? values : toYaml(values));
    }
    const built = helmTemplateArgs({ ...input, inlineValuesFile });
    if (!built.ok) return { ok: false, error: built.reason, offline: true };
    try {
      const { stdout } = await execa(tool.command, built.args, { env, timeout: 180_000, stdin: 'ignore', maxBuffer: 1 << 30 });
      return { ok: true, docs: parseOutput(stdout), command: `helm ${built.args.slice(0, 2).join(' ')}` };
    } catch (e: any) {
      const text = String(e?.stderr || e?.shortMessage || e?.message || e).trim();
      const line = text.split('\n').find((l) => l.trim()) ?? text;
      return { ok: false, error: line.replace(/^Error:\s*/, '').slice(0, 400), offline: NETWORK.test(text) };
    }
  } catch (e: any) {
    return { ok: false, error: `cannot prepare helm values: ${String(e?.message ?? e).split('\n')[0]}` };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
