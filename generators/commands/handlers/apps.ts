import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../model/errors.ts';
import { runPipeline } from '../../validate/pipeline.ts';
import { readRepoFiles } from '../../validate/repo-files.ts';
import { appsReport, formatAppsText } from '../../simulate/apps-report.ts';
import { simulateValidated } from '../../simulate/on-disk.ts';
import type { Handler } from '../types.ts';

export const apps: Handler = async ({ args, flags, io }) => {
  const dir = path.resolve(args[0] ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new InputError(`no such folder: ${args[0] ?? '.'}`, [{ path: 'DIR', message: 'not a folder', fix: 'pass the folder of an Argo CD repository' }]);
  const files = readRepoFiles([dir]);
  const result = runPipeline(files.manifests, files.all, { repoUrl: flags['repo-url'] });
  const sim = simulateValidated(result, files.root, flags['repo-url']);
  if (!sim.simulation) throw new InputError(`${args[0] ?? '.'} holds no Argo CD Application, ApplicationSet or AppProject`, [{ path: 'DIR', message: 'not an Argo CD repository', fix: 'pass the folder of an Argo CD repository' }]);
  const report = appsReport(sim.simulation);
  io.stdout(flags.json || flags.output === 'json' ? JSON.stringify(report, null, 2) : formatAppsText(report));
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
};
