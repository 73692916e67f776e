// GoTemplate.execute writes a template of text and field chains (`{{ .a.b }}`) straight from
// the data when every chain ends on a string (text-template/template.ts fastExecute), and
// evaluates everything else the full way; executeFully is that full way. Random templates of
// text, chains and other actions over random data (maps, strings, numbers, slices, nil, missing
// keys), with every missingkey option: the same output or the same error.
// Fails if the shortcut walks into what is not a map (a Go integer's `.type`, a slice's
// `.length`) or writes a value that is not a string (numbers, booleans, nil).
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ARGO_FUNC_MAP } from '../../../generators/simulate/appset/funcs/index.ts';
import { GoTemplate } from '../../../generators/simulate/appset/go/text-template/template.ts';
import { int } from '../../../generators/simulate/appset/go/values.ts';

const outcome = (f: () => string): string => {
  try {
    return `ok ${f()}`;
  } catch (e) {
    return `${(e as Error).constructor.name} ${(e as Error).message}`;
  }
};

const part = fc.constantFrom(
  'text', '-', '', '{{ .a }}', '{{.b.c}}', '{{ .b }}', '{{ .n }}', '{{ .s.0 }}', '{{ .missing }}', '{{ .b.missing }}', '{{ .a.x }}',
  '{{ .z }}', '{{ .i }}', '{{- .a -}}', ' {{ .a | upper }}', '{{ $x := .a }}{{ $x }}', '{{ $.a }}', '{{ . }}', '{{ "lit" }}',
  '{{ .b.c }}{{ .a }}', '{{/* c */}}', '{{ if .a }}y{{ end }}', '{{ .u }}', '{{ .toString }}', '{{ .constructor }}', '{{ .i.type }}', '{{ .s.length }}',
);
const value = fc.oneof(fc.constantFrom('one', '', 'x y'), fc.integer(), fc.double({ noNaN: true }), fc.constant(null), fc.boolean());
const data = fc.record(
  {
    a: value,
    b: fc.oneof(fc.record({ c: value }, { requiredKeys: [] }), value),
    n: fc.constantFrom(1e21, 0.5, 3),
    s: fc.constantFrom(['x'], [], 'str'),
    z: fc.constant({}),
    i: fc.constant(int(7)),
    u: fc.constant(undefined),
  },
  { requiredKeys: [] },
);

test('field-chain templates: execute = executeFully', () => {
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), data, fc.constantFrom([], ['missingkey=error'], ['missingkey=zero'], ['missingkey=default']), (parts, d, options) => {
      const text = parts.join('');
      const t = new GoTemplate('base', ARGO_FUNC_MAP);
      for (const o of options) t.option(o);
      try {
        t.parse(text);
      } catch {
        return;
      }
      assert.is(outcome(() => t.execute(d)), outcome(() => t.executeFully(d)), text);
    }),
    { numRuns: 3000, seed: 11 },
  );
});

test('field-chain templates: a plain string parameter set is written through the shortcut', () => {
  const t = new GoTemplate('base', ARGO_FUNC_MAP).option('missingkey=error').parse('{{ .service }}-{{ .env }}/{{ .path.path }}');
  const params = { service: 'svc', env: 'dev', path: { path: 'apps/x' } };
  assert.is(t.execute(params), 'svc-dev/apps/x');
  assert.is(t.executeFully(params), 'svc-dev/apps/x');
});

test.run();
