// WalkState.resolveRegistered keeps its answers by server and name while the registrations stay
// as they are (walk-state.ts `resolved`): every generated Application asks twice. Random
// sequences of registrations, destinations asked for, and units recorded and replayed (a replay
// whose read differs undoes its registrations): each answer is what resolving over the clusters
// registered at that point gives (the plain path).
// Fails if a registration leaves the answers kept (a replay's registrations included).
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WalkState, type KnownCluster } from '../../generators/simulate/walk-state.ts';

const resolve = (registered: readonly KnownCluster[], server?: string, name?: string) =>
  server ? registered.find((c) => c.server === server) : name ? registered.find((c) => c.name === name) ?? (name === 'in-cluster' ? { name, server: 'https://kubernetes.default.svc' } : undefined) : undefined;

const SERVERS = ['https://a', 'https://b', 'https://c'];
const op = fc.oneof(
  fc.record({ op: fc.constant('register' as const), i: fc.nat(2), name: fc.constantFrom('a', 'b', 'x') }),
  fc.record({ op: fc.constant('ask' as const), server: fc.constantFrom(undefined, ...SERVERS), name: fc.constantFrom(undefined, 'a', 'b', 'x', 'in-cluster') }),
  fc.record({ op: fc.constant('replay' as const), i: fc.nat(2), breaks: fc.boolean() }),
);

test('resolveRegistered with kept answers = resolving over the registrations of the moment', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
      const state = new WalkState({ initCluster: () => {}, resolve, views: (r) => r, credentialFor: () => false, reachedApp: (name) => ({ name }) });
      state.ensureCluster('https://kubernetes.default.svc', 'in-cluster');
      for (const o of ops) {
        if (o.op === 'register') state.register({ name: o.name, server: SERVERS[o.i], labels: {}, annotations: {} });
        else if (o.op === 'ask') {
          const want = resolve(state.registered, o.server, o.name);
          assert.equal(state.resolveRegistered({ server: o.server, name: o.name }), want, JSON.stringify(ops));
        } else {
          // A unit that registers a cluster, then reads a project: replayed when the read answers
          // as recorded, undone when it does not.
          state.replay([['R', { name: `r${o.i}`, server: SERVERS[o.i], labels: {}, annotations: {} }], ['p', 'proj', o.breaks]]);
        }
      }
    }),
    { numRuns: 3000, seed: 13 },
  );
});

test.run();
