// sigs.k8s.io/yaml v1.6.0 as the controller uses it (over go.yaml.in/yaml/v2 v2.4.2):
// - Unmarshal: YAML 1.1 scalar resolution of yaml.v2 (resolve.go: yes/no/on/off are booleans,
//   0777 is octal, 1_000 is 1000, timestamps stay strings), non-string keys stringified,
//   duplicate keys last-wins, merge keys `<<`, then JSON semantics (numbers become float64).
// - Marshal: json.Marshal, re-read by yaml.v2, emitted by yaml.v2's emitter (emitterc.go):
//   keys in yaml.v2's natural order, sequences under a key not indented, scalars plain when safe
//   else single/double quoted, multi-line strings as `|` blocks, long lines folded at 80 columns.
import YAML, { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { formatFloat } from './fmt.ts';
import { marshalJSON, parseJSONTree, type JSONTree } from './json.ts';
import { parseFloat as goParseFloat, parseInt as goParseInt, parseUint as goParseUint } from './strconv.ts';
import { GoError } from './values.ts';

// ------------------------------------------------------------------ resolve (yaml.v2 resolve.go)

type Resolved =
  | { tag: 'str'; value: string }
  | { tag: 'null'; value: null }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: bigint }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: string }
  | { tag: 'merge'; value: string };

const RESOLVE_MAP = new Map<string, Resolved>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) RESOLVE_MAP.set(s, { tag: 'bool', value: true });
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) RESOLVE_MAP.set(s, { tag: 'bool', value: false });
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) RESOLVE_MAP.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, { tag: 'float', value: -Infinity });
RESOLVE_MAP.set('<<', { tag: 'merge', value: '<<' });

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(?:[ \t]*(Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

function hint(c: string): string {
  if (c >= '0' && c <= '9') return 'D';
  if (c === '+' || c === '-') return 'S';
  if (c === '.') return '.';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return '';
}

/** Whether yaml.v2's parseTimestamp accepts s (formats of resolve.go allowedTimestampFormats). */
function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [, , mo, d, , h, mi, sec] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31) return false;
  if (h !== undefined && (+h > 23 || +mi > 59 || +sec > 59)) return false;
  return true;
}

/** yaml.v2 resolve("", plain) for an untagged plain scalar. */
export function resolvePlain(s: string): Resolved {
  const h = s === '' ? 'N' : hint(s[0]);
  if (h === '') return { tag: 'str', value: s };
  const known = RESOLVE_MAP.get(s);
  if (known) return known;
  if (h === '.') {
    try {
      return { tag: 'float', value: goParseFloat(s) };
    } catch {
      return { tag: 'str', value: s };
    }
  }
  if (h === 'D' || h === 'S') {
    if (isTimestamp(s)) return { tag: 'timestamp', value: s };
    const plain = s.replace(/_/g, '');
    try {
      return { tag: 'int', value: goParseInt(plain, 0) };
    } catch {
      /* next */
    }
    try {
      return { tag: 'int', value: goParseUint(plain, 0) };
    } catch {
      /* next */
    }
    if (YAML_STYLE_FLOAT.test(plain)) {
      try {
        return { tag: 'float', value: goParseFloat(plain) };
      } catch {
        /* next */
      }
    }
    if (plain.startsWith('0b') || plain.startsWith('-0b')) {
      try {
        const neg = plain.startsWith('-');
        const v = goParseInt(plain.slice(neg ? 3 : 2), 2);
        return { tag: 'int', value: neg ? -v : v };
      } catch {
        /* string */
      }
    }
  }
  return { tag: 'str', value: s };
}

// ------------------------------------------------------------------ unmarshal

export class YAMLError extends GoError {}

const TAG_PREFIX = 'tag:yaml.org,2002:';

type V2Value = null | boolean | string | bigint | number | V2Value[] | Map<unknown, V2Value>;

function decodeNode(node: YamlNode | null, doc: Document, depth: number): V2Value {
  if (depth > 10000) throw new YAMLError('yaml: exceeded max depth');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return decodeNode(node.resolve(doc) as YamlNode, doc, depth + 1);
  if (isScalar(node)) {
    const raw = node.value === null || node.value === undefined ? '' : String(node.value);
    const tag = node.tag?.startsWith(TAG_PREFIX) ? node.tag.slice(TAG_PREFIX.length) : node.tag;
    if (tag === 'str') return raw;
    if (tag === 'binary') {
      try {
        return new TextDecoder().decode(Uint8Array.from(atob(raw.replace(/\s/g, '')), (c) => c.charCodeAt(0)));
      } catch {
        throw new YAMLError(`yaml: !!binary value contains invalid base64 data`);
      }
    }
    if (tag && !['int', 'float', 'bool', 'null', 'timestamp', 'merge'].includes(tag)) return raw;
    if (node.type !== 'PLAIN' && !tag) return raw;
    const r = resolvePlain(raw);
    if (tag && tag !== r.tag && !(tag === 'float' && r.tag === 'int')) {
      throw new YAMLError(`yaml: cannot decode !!${r.tag} \`${raw}\` as a !!${tag}`);
    }
    if (tag === 'float' && r.tag === 'int') return Number(r.value);
    if (r.tag === 'timestamp' || r.tag === 'merge') return r.value;
    return r.value as V2Value;
  }
  if (isSeq(node)) return node.items.map((i) => decodeNode(i as YamlNode, doc, depth + 1));
  if (isMap(node)) {
    const out = new Map<unknown, V2Value>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const isMerge = keyNode && isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN';
      if (isMerge) {
        // yaml.v2 decoder.merge: the merged keys are set over what came before; in a sequence
        // of maps the first map wins (they are applied last to first).
        const v = decodeNode(pair.value as YamlNode, doc, depth + 1);
        const sources = Array.isArray(v) ? [...v].reverse() : [v];
        for (const src of sources) {
          if (!(src instanceof Map)) throw new YAMLError('yaml: map merge requires map or sequence of maps as the value');
          for (const [k, x] of src) out.set(k, x);
        }
        continue;
      }
      const key = decodeNode(keyNode, doc, depth + 1);
      if (key instanceof Map || Array.isArray(key)) throw new YAMLError('yaml: invalid map key: a mapping or sequence');
      out.set(key, decodeNode(pair.value as YamlNode, doc, depth + 1));
    }
    return out;
  }
  return null;
}

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that identify the float32. */
function formatFloat32(f: number): string {
  const f32 = Math.fround(f);
  if (!Number.isFinite(f32)) return formatFloat(f32, 'g', -1);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f32.toPrecision(p));
    if (Math.fround(candidate) === f32) return formatFloat(candidate, 'g', -1);
  }
  return formatFloat(f32, 'g', -1);
}

/** sigs.k8s.io/yaml convertToJSONableObject: string keys, then what JSON can hold. */
function toJSONable(v: V2Value): unknown {
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) {
      let key: string;
      if (typeof k === 'string') key = k;
      else if (typeof k === 'bigint') key = k.toString();
      else if (typeof k === 'number') {
        key = formatFloat32(k);
        key = key === '+Inf' ? '.inf' : key === '-Inf' ? '-.inf' : key === 'NaN' ? '.nan' : key;
      } else if (typeof k === 'boolean') key = String(k);
      else throw new YAMLError(`unsupported map key of type: ${k === null ? '<nil>' : typeof k}, key: ${String(k)}`);
      out[key] = toJSONable(x);
    }
    return out;
  }
  if (Array.isArray(v)) return v.map(toJSONable);
  if (typeof v === 'bigint') return Number(v); // JSON re-decoding makes every number a float64
  if (typeof v === 'number' && !Number.isFinite(v)) throw new YAMLError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  return v;
}

/**
 * sigs.k8s.io/yaml.Unmarshal into interface{}: the first document, as JSON-compatible data.
 * Errors carry sigs' prefix ("error converting YAML to JSON: yaml: ...").
 */
export function unmarshalYAML(text: string): unknown {
  const doc = YAML.parseDocument(text, { schema: 'failsafe', uniqueKeys: false, version: '1.1', strict: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new YAMLError(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  try {
    return toJSONable(decodeNode(doc.contents as YamlNode | null, doc, 0));
  } catch (e) {
    if (e instanceof YAMLError && !e.message.startsWith('error converting')) throw new YAMLError(`error converting YAML to JSON: ${e.message}`);
    throw e;
  }
}

// ------------------------------------------------------------------ marshal (yaml.v2 emitter)

const isBreakCh = (c: string) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankCh = (c: string) => c === ' ' || c === '\t';
/** emitterc is_printable, per code point. */
function isPrintableCh(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface ScalarData {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

/** yaml_emitter_analyze_scalar */
function analyzeScalar(value: string): ScalarData {
  if (value === '') return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockInd = false, flowInd = false, lineBreaks = false, special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockInd = flowInd = true;
  let precededByWs = true;
  const chars = [...value];
  chars.forEach((c, i) => {
    const followedByWs = i + 1 >= chars.length || isBlankCh(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      else if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      else if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!isPrintableCh(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreakCh(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = isBlankCh(c) || isBreakCh(c);
  });
  const d: ScalarData = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) d.flowPlain = d.blockPlain = false;
  if (trailingSpace) d.block = false;
  if (breakSpace) d.flowPlain = d.blockPlain = d.singleQuoted = false;
  if (spaceBreak || special) d.flowPlain = d.blockPlain = d.singleQuoted = d.block = false;
  if (lineBreaks) d.flowPlain = d.blockPlain = false;
  if (flowInd) d.flowPlain = false;
  if (blockInd) d.blockPlain = false;
  return d;
}

const isBase60Float = (s: string) => /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);

type Style = 'plain' | 'single' | 'double' | 'literal';

/** A node as yaml.v2's encoder sees the value read back from JSON. */
type Out = { scalar: string; style: Style } | { seq: Out[] } | { map: [Out & { scalar: string }, Out][] };

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

class Emitter {
  out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private rootContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;

  private put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeBreakChar(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(ind: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.put(' ');
    this.put(ind);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  document(root: Out): string {
    this.emitNode(root, true, false, false, false);
    this.writeIndent(); // document end
    if (this.openEnded) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    return this.out;
  }

  private emitNode(n: Out, root: boolean, sequence: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    void sequence;
    if ('scalar' in n) return this.emitScalar(n.scalar, n.style);
    if ('seq' in n) {
      if (this.flowLevel > 0 || n.seq.length === 0) return this.emitFlowEmpty('[', ']');
      this.increaseIndent(false, this.mappingContext && !this.indention);
      for (const item of n.seq) {
        this.writeIndent();
        this.writeIndicator('-', true, false, true);
        this.emitNode(item, false, true, false, false);
      }
      this.popIndent();
      return;
    }
    if (this.flowLevel > 0 || n.map.length === 0) return this.emitFlowEmpty('{', '}');
    this.increaseIndent(false, false);
    for (const [k, v] of n.map) {
      this.writeIndent();
      if (this.isSimpleKey(k)) {
        this.emitNode(k, false, false, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(k, false, false, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(v, false, false, true, false);
    }
    this.popIndent();
  }

  private isSimpleKey(k: Out & { scalar: string }): boolean {
    if (analyzeScalar(k.scalar).multiline) return false;
    return new TextEncoder().encode(k.scalar).length <= 128;
  }

  private emitFlowEmpty(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  /** select_scalar_style + process_scalar */
  private emitScalar(value: string, requested: Style): void {
    const d = analyzeScalar(value);
    let style = requested;
    if (this.simpleKeyContext && d.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !d.flowPlain) || (this.flowLevel === 0 && !d.blockPlain)) style = 'single';
      if (value === '' && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !d.singleQuoted) style = 'double';
    if (style === 'literal' && (!d.block || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    if (style === 'plain') this.writePlain(value, allowBreaks);
    else if (style === 'single') this.writeSingle(value, allowBreaks);
    else if (style === 'double') this.writeDouble(value, allowBreaks);
    else this.writeLiteral(value);
    this.popIndent();
  }

  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    const chars = [...value];
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreakCh(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreakChar(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        spaces = breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
    if (this.rootContext) this.openEnded = true;
  }

  private writeSingle(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const chars = [...value];
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreakCh(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreakChar(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(value: string, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    const chars = [...value];
    const ESC: Record<number, string> = {
      0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
      0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
    };
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const cp = c.codePointAt(0)!;
      if (!isPrintableCh(c) || cp === 0xfeff || isBreakCh(c) || c === '"' || c === '\\') {
        let esc = '\\';
        if (cp in ESC) esc += ESC[cp];
        else if (cp <= 0xff) esc += 'x' + cp.toString(16).toUpperCase().padStart(2, '0');
        else if (cp <= 0xffff) esc += 'u' + cp.toString(16).toUpperCase().padStart(4, '0');
        else esc += 'U' + cp.toString(16).toUpperCase().padStart(8, '0');
        this.put(esc);
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    const chars = [...value];
    if (chars.length > 0 && (chars[0] === ' ' || isBreakCh(chars[0]))) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    let chomp = '';
    if (chars.length === 0) chomp = '-';
    else {
      const last = chars.length - 1;
      if (!isBreakCh(chars[last])) chomp = '-';
      else if (last === 0) {
        chomp = '+';
        this.openEnded = true;
      } else if (isBreakCh(chars[last - 1])) {
        chomp = '+';
        this.openEnded = true;
      }
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreakCh(c)) {
        this.writeBreakChar(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** yaml.v2 keyList.Less for string keys (natural order of digit runs, letters after others). */
function v2KeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /^\p{L}$/u.test(c);
  const isDigit = (c: string) => /^\p{Nd}$/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--)
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

/** The encoder's view of a string: plain when it would read back as the same string. */
function stringOut(s: string): Out & { scalar: string } {
  const canUsePlain = resolvePlain(s).tag === 'str' && !isBase60Float(s);
  const style: Style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  return { scalar: s, style };
}

function treeToOut(t: JSONTree): Out {
  if (t === null) return { scalar: 'null', style: 'plain' };
  if (typeof t === 'boolean') return { scalar: String(t), style: 'plain' };
  if (typeof t === 'string') return stringOut(t);
  if (Array.isArray(t)) return { seq: t.map(treeToOut) };
  if ('num' in t) {
    const r = resolvePlain(t.num);
    if (r.tag === 'int') return { scalar: r.value.toString(), style: 'plain' };
    const f = r.tag === 'float' ? r.value : Number(t.num);
    return { scalar: formatFloat(f, 'g', -1).replace('+Inf', '.inf').replace('-Inf', '-.inf').replace('NaN', '.nan'), style: 'plain' };
  }
  // yaml.v2 decodes a JSON object into a map: duplicate keys keep the last value.
  const entries = new Map<string, JSONTree>();
  for (const [k, v] of t.obj) entries.set(k, v);
  const keys = [...entries.keys()].sort((a, b) => (v2KeyLess(a, b) ? -1 : v2KeyLess(b, a) ? 1 : 0));
  return { map: keys.map((k) => [stringOut(k), treeToOut(entries.get(k)!)] as [Out & { scalar: string }, Out]) };
}

/** sigs.k8s.io/yaml.Marshal(v): JSON first (so Go's JSON rules apply), then yaml.v2's emitter. */
export function marshalYAML(v: unknown): string {
  const json = marshalJSON(v);
  return new Emitter().document(treeToOut(parseJSONTree(json)));
}
