// The template functions an ApplicationSet sees: sprig v3.3.0 (minus env/expandenv/getHostByName)
// plus Argo CD's normalize, slugify, toYaml, fromYaml, fromYamlArray; typed parameters as Go
// declares them; and an explicit "not modelled" failure for the functions not reproduced.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { typed } from '../../../generators/simulate/appset/go/values.ts';
import { render } from './helpers.ts';

const data = {
  name: 'Payments_API.v2',
  n: 3,
  s: 'a,b,c',
  list: ['b', 'a', 'b'],
  m: { x: 1, y: { z: 'deep' } },
  labels: typed({ env: 'prod' }, 'map[string]string'),
  values: { replicas: 2, image: { tag: 'v1' }, items: ['x', 'y'] },
  empty: '',
};

test('Argo functions: normalize, slugify', () => {
  assert.is(render('{{ normalize .name }}', data), 'payments-api.v2');
  assert.is(render('{{ slugify .name }}', data), 'payments-api-v2');
  assert.is(render('{{ slugify 10 true "a-very-long-name-here" }}', data), 'a-very');
  assert.is(render('{{ slugify 10 false "a-very-long-name-here" }}', data), 'a-very-lon');
  assert.is(
    render('{{ slugify 10.5 "x" }}', data),
    'ERR template: base:1:3: executing "base" at <slugify 10.5 "x">: error calling slugify: interface conversion: interface {} is float64, not int',
  );
});

test('toYaml writes what sigs.k8s.io/yaml writes (yaml.v2 emitter)', () => {
  assert.is(render('{{ toYaml .values }}', data), 'image:\n  tag: v1\nitems:\n- x\n- "y"\nreplicas: 2');
  assert.is(render('{{ toYaml .values | nindent 4 }}', data), '\n    image:\n      tag: v1\n    items:\n    - x\n    - "y"\n    replicas: 2');
  assert.is(render('{{ toYaml "true" }}|{{ toYaml "a: b" }}|{{ toYaml "multi\\nline" }}', data), '"true"|\'a: b\'||-\n  multi\n  line');
  assert.is(render('{{ toYaml "plain" }}', data), 'plain\n...');
});

test('fromYaml / fromYamlArray read YAML 1.1 as yaml.v2 does', () => {
  assert.is(render('{{ (fromYaml "a: yes\\nb: 0777\\nc: 1.5") | toJson }}', data), '{"a":true,"b":511,"c":1.5}');
  assert.is(render('{{ (fromYamlArray "- a\\n- 2") | toJson }}', data), '["a",2]');
  assert.is(
    render('{{ fromYaml "- a" }}', data),
    'ERR template: base:1:3: executing "base" at <fromYaml "- a">: error calling fromYaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
});

test('strings: default, quote, trunc, replace, split, join, trim, regex', () => {
  assert.is(render('{{ .missing | default "x" }} {{ .empty | default "y" }} {{ default "z" .n }}', data), 'x y 3');
  assert.is(render('{{ quote .name 1 }} {{ squote .name }}', data), '"Payments_API.v2" "1" \'Payments_API.v2\'');
  assert.is(render('{{ trunc 3 .name }} {{ trunc -2 .name }} {{ substr 0 3 .name }}', data), 'Pay v2 Pay');
  assert.is(render('{{ replace "," "-" .s }} {{ upper .s }} {{ title "hello world" }}', data), 'a-b-c A,B,C Hello World');
  assert.is(render('{{ (split "," .s)._1 }} {{ splitList "," .s | join "+" }} {{ .list | join "," }}', data), 'b a+b+c b,a,b');
  assert.is(render('{{ trim "  x  " }}|{{ trimSuffix ".v2" .name }}|{{ trimPrefix "Pay" .name }}|{{ trimAll "ab" "abxba" }}', data), 'x|Payments_API|ments_API.v2|x');
  assert.is(render('{{ regexReplaceAll "([a-z]+)_(?P<rest>.*)" "abc_def" "${rest}-$1" }} {{ regexMatch "^P" .name }} {{ regexFind "[0-9]+" .name }}', data), 'def-abc true 2');
  assert.is(render('{{ regexFindAll "a*" "baaab" -1 | toJson }}', data), '["","aaa",""]');
  assert.is(render('{{ regexSplit "," .s -1 | toJson }}', data), '["a","b","c"]');
  assert.is(
    render('{{ regexFind "(a" "x" }}', data).startsWith('ERR template: base:1:3: executing "base" at <regexFind "(a" "x">: error calling regexFind: regexp: Compile(`(a`): error parsing regexp: missing closing ):'),
    true,
  );
  assert.is(render('{{ regexMatch "(?=x)" "x" }}', data), 'false');
  assert.is(render('{{ regexFind "\\\\x{41}+" "xAAy" }} {{ regexFind "a{,3}" "a{,3}" }} {{ regexMatch "(?i)ab" "xAB" }} {{ regexFind "[[:digit:]]+" "ab12c" }}', data), 'AA a{,3} true 12');
  assert.is(render('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}', data), '-W-xxW- ---');
  assert.is(render('{{ b64enc "héllo" }} {{ b64dec "aMOpbGxv" }} {{ sha256sum "x" | trunc 8 }}', data), 'aMOpbGxv héllo 2d711642');
  assert.is(render('{{ indent 2 "a\\nb" }}|{{ nindent 1 "a" }}', data), '  a\n  b|\n a');
  assert.is(render('{{ cat "a" .n nil "b" }} {{ repeat 3 "ab" }} {{ contains "API" .name }}', data), 'a 3 b ababab true');
});

test('typed parameters: Go refuses a float64 where a string or map[string]interface {} is declared', () => {
  assert.is(render('{{ upper .n }}', data), 'ERR template: base:1:9: executing "base" at <.n>: wrong type for value; expected string; got float64');
  assert.is(render('{{ keys .labels }}', data), 'ERR template: base:1:8: executing "base" at <.labels>: wrong type for value; expected map[string]interface {}; got map[string]string');
  assert.is(render('{{ upper .missing }}', data), 'ERR template: base:1:9: executing "base" at <.missing>: invalid value; expected string');
});

test('collections: dict, get, hasKey, keys, pick, omit, merge, dig, list functions', () => {
  assert.is(render('{{ $d := dict "a" 1 "b" "x" }}{{ get $d "b" }} {{ hasKey $d "a" }} {{ keys $d | sortAlpha | join "," }}', data), 'x true a,b');
  assert.is(render('{{ pick .m "x" | toJson }} {{ omit .m "x" | toJson }}', data), '{"x":1} {"y":{"z":"deep"}}');
  assert.is(render('{{ dig "y" "z" "none" .m }} {{ dig "y" "q" "none" .m }}', data), 'deep none');
  assert.is(render('{{ merge (dict "a" 1 "c" (dict "d" 1)) (dict "a" 2 "b" 3 "c" (dict "e" 2)) | toJson }}', data), '{"a":1,"b":3,"c":{"d":1,"e":2}}');
  assert.is(render('{{ mergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}', data), '{"a":2}');
  assert.is(render('{{ first .list }} {{ last .list }} {{ rest .list | toJson }} {{ uniq .list | toJson }} {{ has "a" .list }}', data), 'b b ["a","b"] ["b","a"] true');
  assert.is(render('{{ sortAlpha .list | toJson }} {{ reverse .list | toJson }} {{ without .list "b" | toJson }}', data), '["a","b","b"] ["b","a","b"] ["a"]');
  assert.is(render('{{ compact (list 1 "" nil 0 "x") | toJson }} {{ append .list "c" | len }} {{ concat .list (list 1) | toJson }}', data), '[1,"x"] 4 ["b","a","b",1]');
  assert.is(render('{{ first "abc" }}', data), 'ERR template: base:1:3: executing "base" at <first "abc">: error calling first: Cannot find first on type string');
  assert.is(render('{{ ternary "y" "n" true }} {{ empty .empty }} {{ coalesce .empty .missing "z" }}', data), 'y true z');
  assert.is(render('{{ toJson .values }} {{ toPrettyJson (dict "a" (list 1)) }}', data), '{"image":{"tag":"v1"},"items":["x","y"],"replicas":2} {\n  "a": [\n    1\n  ]\n}');
  assert.is(render('{{ toJson "<&>" }} {{ toRawJson "<&>" }}', data), '"\\u003c\\u0026\\u003e" "<&>"');
  assert.is(render('{{ (fromJson "{\\"a\\": 1}").a }} {{ fromJson "nope" }}', data), '1 <no value>');
});

test('numbers: int64 arithmetic through cast, decimal arithmetic for the f variants', () => {
  assert.is(render('{{ add 1 2 .n }} {{ sub 5 .n }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 3 }} {{ add1 .n }}', data), '6 2 6 3 1 4');
  assert.is(render('{{ add "010" 1 }} {{ int "1.0" }} {{ int64 "abc" }} {{ atoi "42" }} {{ float64 "1.5" }}', data), '9 1 0 42 1.5');
  assert.is(render('{{ addf 0.1 0.2 }} {{ divf 1 3 }} {{ mulf 1.1 3 }}', data), '0.3 0.3333333333333333 3.3');
  assert.is(render('{{ max 1 5 3 }} {{ min 4 2 }} {{ ceil 1.2 }} {{ floor 1.8 }} {{ round 1.2345 2 }}', data), '5 2 2 1 1.23');
  assert.is(render('{{ div 1 0 }}', data), 'ERR template: base:1:3: executing "base" at <div 1 0>: error calling div: runtime error: integer divide by zero');
  assert.is(render('{{ until 3 | toJson }} {{ seq 3 }} {{ seq 5 -2 1 }}', data), '[0,1,2] 1 2 3 5 3 1');
});

test('reflection and paths', () => {
  assert.is(render('{{ typeOf .n }} {{ typeOf .labels }} {{ kindOf .list }} {{ kindIs "map" .m }} {{ typeOf nil }}', data), 'float64 map[string]string slice true <nil>');
  assert.is(render('{{ base "a/b/c.json" }} {{ dir "a/b/c.json" }} {{ ext "c.tar.gz" }} {{ clean "a//b/../c" }}', data), 'c.json a/b .gz a/c');
  assert.is(render('{{ deepEqual .list .list }} {{ fail "stop here" }}', data), 'ERR template: base:1:31: executing "base" at <fail "stop here">: error calling fail: stop here');
});

test('functions the simulation does not reproduce fail with a precise message, never a guess', () => {
  assert.is(
    render('{{ now }}', data),
    'ERR template function "now" is not modelled by the simulation: it depends on the clock',
  );
  assert.is(render('{{ randAlpha 5 }}', data), 'ERR template function "randAlpha" is not modelled by the simulation: it returns random data');
  // Removed by Argo CD: a template using them does not even parse.
  assert.is(render('{{ expandenv "$HOME" }}', data), 'ERR template: base:1: function "expandenv" not defined');
  assert.is(render('{{ getHostByName "x" }}', data), 'ERR template: base:1: function "getHostByName" not defined');
});

test.run();
