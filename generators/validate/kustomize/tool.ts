// Which kustomize runs the builds: `kustomize build` when a kustomize binary works, else
// `kubectl kustomize`. The tool's identity (resolved path, size, modification time) is part of
// every build cache key, so upgrading kubectl re-runs the builds.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export interface KustomizeTool {
  /** Display name: `kustomize` or `kubectl kustomize`. */
  name: string;
  command: string;
  args: (dir: string) => string[];
  /** `name|resolved path|size|mtime` of the binary: what the build outputs depend on. */
  identity: string;
}

const CANDIDATES = [
  { name: 'kustomize', command: 'kustomize', probe: ['version'], args: (dir: string) => ['build', dir] },
  { name: 'kubectl kustomize', command: 'kubectl', probe: ['kustomize', '--help'], args: (dir: string) => ['kustomize', dir] },
];

export async function findKustomizeTool(env: NodeJS.ProcessEnv = process.env): Promise<KustomizeTool | undefined> {
  for (const c of CANDIDATES) {
    const bin = onPath(c.command, env);
    if (!bin || !(await runs(c.command, c.probe, env))) continue;
    return { name: c.name, command: c.command, args: c.args, identity: identityOf(c.name, bin) };
  }
  return undefined;
}

/** The file `command` resolves to on env.PATH, without running anything. */
export function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function identityOf(name: string, bin: string): string {
  try {
    const real = fs.realpathSync(bin);
    const st = fs.statSync(real);
    return `${name}|${real}|${st.size}|${st.mtimeMs}`;
  } catch {
    return `${name}|${bin}`;
  }
}

async function runs(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  try {
    await execa(cmd, args, { env, timeout: 15_000, stdin: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
