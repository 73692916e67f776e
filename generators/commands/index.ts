// Commands beyond init/render: validate, lint, schemas export, add, remove.
// Each maps parsed flags onto one library function that returns what to print and the exit code;
// this file only adapts flags and prints.

import path from 'node:path';
import { InputError } from '../model/errors.ts';

export type Io = { stdout: (s: string) => void; stderr: (s: string) => void; interactive: boolean };

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);

function print(io: Io, result: { exitCode: number; stdout: string; stderr: string }): number {
  if (result.stdout) io.stdout(result.stdout.replace(/\n$/, ''));
  if (result.stderr) io.stderr(result.stderr.replace(/\n$/, ''));
  return result.exitCode;
}

async function validate(rest: string[], values: Record<string, any>, io: Io): Promise<number> {
  const { validateCommand } = await import('../validate/command.ts');
  return print(
    io,
    await validateCommand({
      paths: rest,
      output: values.json ? 'json' : (values.output ?? 'text'),
      kubeconform: values.kubeconform ?? 'auto',
      kustomize: !values['no-kustomize'],
      repoUrl: values['repo-url'],
      skip: list(values.skip),
      reject: list(values.reject),
      ignoreMissingSchemas: !!values['ignore-missing-schemas'],
      ignoreFilenamePatterns: values['ignore-filename-pattern'] ?? [],
    }),
  );
}

async function lint(rest: string[], values: Record<string, any>, io: Io): Promise<number> {
  const { lintCommand } = await import('../lint/command.ts');
  return print(io, await lintCommand({ paths: rest, output: values.json ? 'json' : (values.output ?? 'text'), config: values.config }));
}

async function schemas(rest: string[], values: Record<string, any>, io: Io): Promise<number> {
  const [sub, dir, ...extra] = rest;
  if (sub !== 'export' || !dir || extra.length) {
    throw new InputError('usage: gitops-scaffold schemas export DIR', [{ path: 'schemas', message: sub === 'export' ? 'expected exactly one folder' : `unknown subcommand "${sub ?? ''}"`, fix: 'run gitops-scaffold schemas export ./schemas' }]);
  }
  const { exportSchemas } = await import('../validate/export-schemas.ts');
  const result = await exportSchemas(path.resolve(dir));
  if (values.json) io.stdout(JSON.stringify({ command: 'schemas export', ok: true, dir: result.dir, files: result.files, kubernetesVersion: result.kubernetesVersion, kubeconform: result.command }, null, 2));
  else io.stdout(`Wrote ${result.files} schema files for Kubernetes ${result.kubernetesVersion} to ${result.dir}\nValidate with:\n  ${result.command}`);
  return 0;
}

export async function dispatch(command: string, rest: string[], values: Record<string, any>, io: Io): Promise<number | undefined> {
  switch (command) {
    case 'validate':
      return validate(rest, values, io);
    case 'lint':
      return lint(rest, values, io);
    case 'schemas':
      return schemas(rest, values, io);
    case 'add':
    case 'remove': {
      const { editCommand } = await import('./edit.ts');
      return editCommand(command, rest, values, io);
    }
    default:
      return undefined;
  }
}
