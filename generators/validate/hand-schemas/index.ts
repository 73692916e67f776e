// The hand-written schemas by name (catalog.ts refers to them by these names).
import type { JsonSchema } from '../build/json-schema.ts';
import { eventBus, eventSource, sensor } from './argo-events.ts';
import type { CoreLookup } from './dsl.ts';
import { kustomization, kustomizeComponent } from './kustomize.ts';
import { clusterImagePolicy } from './sigstore-policy.ts';

export const HAND_SCHEMAS: Record<string, (core: CoreLookup) => JsonSchema> = {
  eventBus,
  eventSource,
  sensor,
  clusterImagePolicy,
  kustomization,
  kustomizeComponent,
};

export type { CoreLookup };
