// Go text/template semantics the ApplicationSet controller relies on: value printing (a map prints
// as map[k:v] with sorted keys, float64 1e+06), truthiness, missingkey, comparisons that refuse
// mixed types, control structures, trim markers, and Go's error texts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { int, typed } from '../../../generators/simulate/appset/go/values.ts';
import { formatFloat, sprintf } from '../../../generators/simulate/appset/go/fmt.ts';
import { render } from './helpers.ts';

const data = {
  cluster: { path: { path: 'clusters/a', segments: typed(['clusters', 'a'], '[]string') } },
  n: 1000000,
  small: 3,
  pi: 3.14159,
  nil: null,
  s: 'hi',
  list: [1, 'a', null],
  empty: {},
  labels: typed({ b: '2', a: '1' }, 'map[string]string'),
};

test('printing: maps with sorted keys, slices, nil, floats as %v', () => {
  assert.is(render('{{ .cluster }}', data), 'map[path:map[path:clusters/a segments:[clusters a]]]');
  assert.is(render('{{ .labels }}', data), 'map[a:1 b:2]');
  assert.is(render('{{ .list }}', data), '[1 a <nil>]');
  assert.is(render('{{ .n }} {{ .small }} {{ .pi }}', data), '1e+06 3 3.14159');
  assert.is(render('{{ .empty }}', data), 'map[]');
});

test('missing keys: <no value> by default, zero value with missingkey=zero, an error with missingkey=error', () => {
  assert.is(render('{{ .missing }}', data), '<no value>');
  assert.is(render('{{ .nil }}', data), '<no value>');
  assert.is(render('{{ .labels.missing }}', data, ['missingkey=zero']), '');
  assert.is(render('{{ .missing }}', data, ['missingkey=zero']), '<no value>');
  assert.is(render('{{ .missing }}', data, ['missingkey=error']), 'ERR template: base:1:3: executing "base" at <.missing>: map has no entry for key "missing"');
  assert.is(
    render('{{ .cluster.nope.deeper }}', data, ['missingkey=error']),
    'ERR template: base:1:11: executing "base" at <.cluster.nope.deeper>: map has no entry for key "nope"',
  );
  assert.is(render('{{ .missing.deeper }}', data), '<no value>');
  assert.is(render('{{ .nil.deeper }}', data), 'ERR template: base:1:7: executing "base" at <.nil.deeper>: nil pointer evaluating interface {}.deeper');
  // The static type: a value read from a map[string]interface {} is an interface {}.
  assert.is(render('{{ .s.x }}', data), "ERR template: base:1:5: executing \"base\" at <.s.x>: can't evaluate field x in type interface {}");
  assert.is(render('{{ $s := .s }}{{ $s.x }}', data), "ERR template: base:1:19: executing \"base\" at <$s.x>: can't evaluate field x in type string");
  assert.is(render('{{ .labels.a.x }}', data), "ERR template: base:1:10: executing \"base\" at <.labels.a.x>: can't evaluate field x in type string");
  assert.is(render('{{ range .list }}{{ .x }}{{ end }}', data), "ERR template: base:1:20: executing \"base\" at <.x>: can't evaluate field x in type interface {}");
  assert.is(render('{{ .x }}', data, ['missingkey=bogus']), 'ERR unrecognized option: missingkey=bogus');
});

test('comparison: eq refuses float64 against an int literal, as Go does', () => {
  assert.is(render('{{ if eq .small 3 }}y{{ end }}', data), 'ERR template: base:1:6: executing "base" at <eq .small 3>: error calling eq: incompatible types for comparison');
  assert.is(render('{{ if eq .small 3.0 }}y{{ end }}', data), 'y');
  assert.is(render('{{ if eq .s "x" "hi" }}y{{ end }}', data), 'y');
  assert.is(render('{{ lt 1 2 }} {{ ge "b" "a" }} {{ ne .s "hi" }}', data), 'true true false');
  assert.is(render('{{ lt true false }}', data), 'ERR template: base:1:3: executing "base" at <lt true false>: error calling lt: invalid type for comparison');
  assert.is(render('{{ eq .missing "x" }}', data), 'false');
});

test('truthiness: empty string, zero, empty map and nil are false', () => {
  assert.is(render('{{ if .s }}a{{ end }}{{ if .empty }}b{{ end }}{{ if .nil }}c{{ end }}{{ if 0 }}d{{ end }}{{ if .list }}e{{ end }}', data), 'ae');
  assert.is(render('{{ and 1 0 }} {{ or 0 "z" }} {{ not .nil }} {{ and .s .small }}', data), '0 z true 3');
  assert.is(render('{{ if and .nil .nil.x }}x{{ else }}short-circuit{{ end }}', data), 'short-circuit');
});

test('control structures: range/else, break/continue, range over int, with/else with, variables', () => {
  assert.is(render('{{ range $i, $v := .list }}{{ $i }}={{ $v }};{{ end }}', data), '0=1;1=a;2=<no value>;');
  assert.is(render('{{ range .labels }}{{ . }}{{ end }}', data), '12');
  assert.is(render('{{ range $k, $v := .labels }}{{ $k }}{{ $v }}{{ end }}', data), 'a1b2');
  assert.is(render('{{ range .empty }}x{{ else }}none{{ end }}', data), 'none');
  assert.is(render('{{ range 3 }}{{ . }}{{ end }}', data), '012');
  assert.is(render('{{ range $i, $v := .list }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 2 }}{{ break }}{{ end }}{{ $v }}{{ end }}', data), '1');
  assert.is(render('{{ with .missing }}a{{ else with .s }}b{{ . }}{{ end }}', data), 'bhi');
  assert.is(render('{{ if .nil }}a{{ else if .s }}b{{ else }}c{{ end }}', data), 'b');
  assert.is(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', data), '2');
  assert.is(render('{{ range .s }}{{ end }}', data), 'ERR template: base:1:9: executing "base" at <.s>: range can\'t iterate over hi');
});

test('define, template and block', () => {
  assert.is(render('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" .s }}{{ block "y" 3 }}<{{ . }}>{{ end }}', data), '[hi]<3>');
  assert.is(render('{{ template "nope" }}', data), 'ERR template: base:1:12: executing "base" at <{{template "nope"}}>: template "nope" not defined');
});

test('trim markers and comments', () => {
  assert.is(render('a  {{- .s -}}  b', data), 'ahib');
  assert.is(render('a {{/* comment */}} b', data), 'a  b');
  assert.is(render('a {{- /* comment */ -}} b', data), 'ab');
  assert.is(render('{{-3}}', data), '-3');
});

test('builtins: len (bytes), index, print family, html/js/urlquery', () => {
  assert.is(render('{{ len .s }} {{ len "é" }} {{ len .labels }}', data), '2 2 2');
  assert.is(render('{{ index .list 1 }} {{ index .labels "a" }} {{ index .labels "zz" }}|', data), 'a 1 |');
  assert.is(render('{{ index .list 5 }}', data), 'ERR template: base:1:3: executing "base" at <index .list 5>: error calling index: index out of range: 5');
  assert.is(render('{{ print 1 2 "a" "b" 3 }}|{{ println 1 "a" }}|', data), '1 2ab3|1 a\n|');
  assert.is(render('{{ html "<a href=\\"x\\">" }} {{ urlquery "a b&c" }} {{ js "it\'s" }}', data), '&lt;a href=&#34;x&#34;&gt; a+b%26c it\\\'s');
  assert.is(render('{{ printf "%05.2f|%d|%s|%v|%q|%x|%T" .pi 42 .s .list .s .s .labels }}', data), '03.14|42|hi|[1 a <nil>]|"hi"|6869|map[string]string');
  assert.is(render('{{ printf "%d %s" .s }}', data), '%!d(string=hi) %!s(MISSING)');
});

test('parse errors carry Go texts', () => {
  assert.is(render('{{ env "X" }}', data), 'ERR template: base:1: function "env" not defined');
  assert.is(render('{{ .s ', data), 'ERR template: base:1: unclosed action');
  assert.is(render('{{ if .s }}x', data), 'ERR template: base:1: unexpected EOF');
  assert.is(render('{{ end }}', data), 'ERR template: base:1: unexpected {{end}}');
  assert.is(render('{{ $x }}', data), 'ERR template: base:1: undefined variable "$x"');
  assert.is(render('{{ break }}', data), 'ERR template: base:1: {{break}} outside {{range}}');
});

test('number literals follow Go: ints, floats, hex, underscores, runes', () => {
  assert.is(render('{{ 1e6 }} {{ 0x10 }} {{ 1_000 }} {{ -0.0 }} {{ \'a\' }} {{ 0o17 }}', data), '1e+06 16 1000 -0 97 15');
  assert.is(render('{{ 99999999999999999999 }}', data), 'ERR template: base:1: integer overflow: 99999999999999999999');
});

test('strconv FormatFloat and fmt agree with Go on rounding and exponents', () => {
  assert.is(formatFloat(0.1, 'g', -1), '0.1');
  assert.is(formatFloat(123456789, 'g', -1), '1.23456789e+08');
  assert.is(formatFloat(123456, 'g', -1), '123456');
  assert.is(formatFloat(1e-5, 'g', -1), '1e-05');
  assert.is(formatFloat(2.5, 'f', 0), '2'); // half to even on the exact value
  assert.is(formatFloat(0.125, 'f', 2), '0.12');
  assert.is(formatFloat(1 / 3, 'e', 3), '3.333e-01');
  assert.is(sprintf('%6.2f|%-4d|%+d|%x|%X|%o|%c|%U|%08.3f', [3.14159, int(5), int(3), int(255), int(255), int(8), int(65), int(0x1f600), -3.14159]), '  3.14|5   |+3|ff|FF|10|A|U+1F600|-003.142');
  assert.is(sprintf('%v %v %v', [NaN, Infinity, -Infinity]), 'NaN +Inf -Inf');
});

test.run();
