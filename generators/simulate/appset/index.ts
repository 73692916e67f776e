// ApplicationSet expansion as the Argo CD v3.5.1 controller does it, offline and pure.
// See expand.ts for the flow and types.ts for the interface (agreed in /work/coord/README.md).
export { expandApplicationSet } from './expand.ts';
export type {
  ClusterView, ExpandContext, ExpansionProblem, ExpansionResult, GeneratedApplication, RepoView,
} from './types.ts';
