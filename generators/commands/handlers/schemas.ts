import path from 'node:path';
import { rootKind } from '../../io/repo-state.ts';
import { InputError } from '../../model/errors.ts';
import { exportSchemas } from '../../validate/export-schemas.ts';
import type { Handler } from '../types.ts';

export const schemasExport: Handler = async ({ args, flags, io }) => {
  const dir = path.resolve(args[0]);
  // DIR must be a folder or absent (created): a file, FIFO or device there is bad input (exit 2),
  // said before anything is written, not a failed mkdir deep inside it.
  if (rootKind(dir) === 'other')
    throw new InputError(`${dir} is not a folder; nothing was written`, [{ path: 'DIR', message: 'exists and is a file (or another non-folder)', fix: 'pass a folder, or a path that does not exist yet' }]);
  const result = await exportSchemas(dir);
  if (flags.json) io.stdout(JSON.stringify({ command: 'schemas export', ok: true, dir: result.dir, files: result.files, kubernetesVersion: result.kubernetesVersion, kubeconform: result.command }, null, 2));
  else io.stdout(`Wrote ${result.files} schema files for Kubernetes ${result.kubernetesVersion} to ${result.dir}\nValidate with:\n  ${result.command}`);
  return 0;
};
