// Services (apps/<tenant>/<service>): filled in by the services planner.

import type { Platform } from '../model/types.ts';
import type { PlannedFile } from './types.ts';

export function planServices(_p: Platform): PlannedFile[] {
  return [];
}
