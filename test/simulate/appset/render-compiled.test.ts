// renderTemplateParams renders an ApplicationSet's template through a rendering compiled once
// per template object (render.ts compileRendering); deepReplace is the plain walk it replaces.
// Random templates and parameter sets, in both template modes and with good and bad options:
// the same output, or the same error at the same path.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RenderError, deepReplace, renderTemplateParams } from '../../../generators/simulate/appset/render.ts';

const outcome = (f: () => unknown): string => {
  try {
    return JSON.stringify(f());
  } catch (e) {
    if (e instanceof RenderError) return `RenderError ${e.message} at ${JSON.stringify(e.path)}`;
    return `${(e as Error).constructor.name} ${(e as Error).message}`;
  }
};

const leaf = fc.oneof(
  fc.constantFrom('plain', '', '{{ .a }}', '{{.b.c}}-x', '{{ .missing }}', '{{ bad', '{{ .a | upper }}', 'x {{ "{{" }} y', '{{a}}', '{{ b.c }}', '{{ .b }}'),
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
);
const key = fc.constantFrom('name', 'labels', '{{ .a }}', 'k-{{ .b.c }}', '{{ bad', 'spec', 'a');
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
}));
const params = fc.record({ a: fc.constantFrom('one', 'Two', ''), b: fc.record({ c: fc.constantFrom('x', 'y') }) });

test('compiled rendering = deepReplace, for every parameter set of a template', () => {
  fc.assert(
    fc.property(
      fc.dictionary(key, tree, { maxKeys: 4 }),
      fc.array(params, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.constantFrom([], ['missingkey=error'], ['missingkey=zero'], ['bogus']),
      (template, sets, goTemplate, options) => {
        for (const p of sets)
          assert.is(
            outcome(() => renderTemplateParams(template, { preserveResourcesOnDeletion: true }, p, goTemplate, options)),
            outcome(() => deepReplace(template, p, goTemplate, options)),
          );
      },
    ),
    { numRuns: 300, seed: 9 },
  );
});

test('an empty parameter set returns the template itself, and a change to it is rendered next time', () => {
  const template: Record<string, unknown> = { metadata: { name: '{{ .a }}' }, spec: { project: 'p' } };
  assert.equal(renderTemplateParams(template, { preserveResourcesOnDeletion: true }, { a: 'x' }, true, []), { metadata: { name: 'x' }, spec: { project: 'p' } });
  assert.is(renderTemplateParams(template, undefined, {}, true, []), template);
  (template.spec as Record<string, unknown>).project = '{{ .a }}-changed';
  assert.equal(renderTemplateParams(template, { preserveResourcesOnDeletion: true }, { a: 'x' }, true, []), { metadata: { name: 'x' }, spec: { project: 'x-changed' } });
});

test.run();
