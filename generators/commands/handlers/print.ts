import type { Io } from '../types.ts';

/** Prints what a library command returned (stdout and stderr text) and passes its exit code on. */
export function print(io: Io, result: { exitCode: number; stdout: string; stderr: string }): number {
  if (result.stdout) io.stdout(result.stdout.replace(/\n$/, ''));
  if (result.stderr) io.stderr(result.stderr.replace(/\n$/, ''));
  return result.exitCode;
}

/** Comma-separated and repeated values as one list: `--skip a,b --skip c` -> [a, b, c]. */
export const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
