// Issue 9 "Done when": every traffic router x secrets backend x delivery strategy renders a
// repository that the tool's own checks, the offline Argo CD simulation included, find no error
// in. Minimal-size repositories (two environments on a hub and a spoke, one tenant, one service)
// checked in memory: schema, cross references, lint and simulation, without kustomize builds
// (test/plan/repo-valid.test.ts builds whole repositories on disk).

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSpec } from '../../generators/pipeline.ts';
import { checkRenderedFull } from '../../generators/check/generated.ts';

import { BACKENDS, combination, ROUTERS, STRATEGIES } from './combinations.ts';

for (const router of ROUTERS)
  for (const backend of BACKENDS)
    test(`${router} x ${backend} x canary/blueGreen/rolling: no error, the simulation included`, () => {
      for (const strategy of STRATEGIES) {
        const outcome = checkRenderedFull(renderSpec(combination(router, backend, strategy)), undefined, { simulate: true });
        assert.ok(outcome.validators.some((v) => /simulat/i.test(v)), 'the simulation ran');
        assert.equal(outcome.errors, [], `${router} x ${backend} x ${strategy}`);
      }
    });

test.run();
