// The ApplicationSet expansion engine the simulation uses by default: appset's
// (generators/simulate/appset, the coord README's expandApplicationSet interface).
import { expandApplicationSet } from './appset/index.ts';
import type { Expander } from './model.ts';

export const defaultExpander = (): Expander => expandApplicationSet;
