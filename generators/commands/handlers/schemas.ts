import path from 'node:path';
import { exportSchemas } from '../../validate/export-schemas.ts';
import type { Handler } from '../types.ts';

export const schemasExport: Handler = async ({ args, flags, io }) => {
  const result = await exportSchemas(path.resolve(args[0]));
  if (flags.json) io.stdout(JSON.stringify({ command: 'schemas export', ok: true, dir: result.dir, files: result.files, kubernetesVersion: result.kubernetesVersion, kubeconform: result.command }, null, 2));
  else io.stdout(`Wrote ${result.files} schema files for Kubernetes ${result.kubernetesVersion} to ${result.dir}\nValidate with:\n  ${result.command}`);
  return 0;
};
