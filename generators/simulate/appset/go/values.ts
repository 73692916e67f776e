// Go values as the ApplicationSet controller holds them, so the template engine and the sprig
// functions can reproduce Go's typing: printing, comparison (`eq` of float64 and int is an error),
// assignability to typed function parameters (`keys` wants map[string]interface {}) and zero values.
//
// Representation (chosen so parameter sets stay plain JSON-like data for callers):
//   string / boolean      Go string / bool
//   number                float64 (every number decoded from JSON or YAML is one in Go)
//   GoInt                 an integer type (template literals are int, sprig arithmetic int64, ...)
//   null                  a nil interface value
//   undefined             an invalid reflect.Value ("<no value>"), only inside the engine
//   array / plain object  a slice / a map with string keys; their Go type defaults to
//                         []interface {} / map[string]interface {} and can be tagged otherwise
//                         (generators build map[string]string and []string values).

export type IntType =
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr';

const INT_BITS: Record<IntType, number> = {
  int: 64, int8: 8, int16: 16, int32: 32, int64: 64,
  uint: 64, uint8: 8, uint16: 16, uint32: 32, uint64: 64, uintptr: 64,
};

export class GoInt {
  readonly value: bigint;
  constructor(readonly type: IntType, value: bigint | number) {
    const v = typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
    const bits = INT_BITS[type];
    // Go integers wrap on overflow.
    this.value = type.startsWith('u') ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
  }
  get unsigned(): boolean {
    return this.type.startsWith('u');
  }
  toNumber(): number {
    return Number(this.value);
  }
  toJSON(): number {
    return Number(this.value);
  }
}

export const int = (v: bigint | number) => new GoInt('int', v);
export const int64 = (v: bigint | number) => new GoInt('int64', v);

/** A Go value; `undefined` stands for an invalid reflect.Value. */
export type GoValue = unknown;
export type GoMap = Record<string, unknown>;

const goTypes = new WeakMap<object, string>();

/** Tags an array or object with its Go type (`[]string`, `map[string]string`, ...). */
export function typed<T extends object>(value: T, goType: string): T {
  goTypes.set(value, goType);
  return value;
}

export const isGoMap = (v: unknown): v is GoMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoInt);

export const isGoSlice = (v: unknown): v is unknown[] => Array.isArray(v);

/** The Go type name as reflect.Type's String() writes it; undefined for nil / invalid. */
export function goTypeOf(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
  }
  if (v instanceof GoInt) return v.type;
  if (Array.isArray(v)) return goTypes.get(v) ?? '[]interface {}';
  if (typeof v === 'object') return goTypes.get(v) ?? 'map[string]interface {}';
  if (typeof v === 'function') return 'func';
  return 'interface {}';
}

export type Kind =
  | 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map' | 'func';

/** reflect.Kind, folded to what the engine distinguishes. */
export function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float';
  if (v instanceof GoInt) return v.unsigned ? 'uint' : 'int';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'function') return 'func';
  return 'map';
}

/** reflect.Kind names as sprig's kindOf prints them. */
export function reflectKindName(v: unknown): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.type;
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'function') return 'func';
  return 'map';
}

/** The element type of a slice or map type name (`[]string` -> `string`). */
export function elemType(goType: string): string {
  if (goType.startsWith('[]')) return goType.slice(2);
  if (goType.startsWith('map[')) {
    let depth = 0;
    for (let i = 3; i < goType.length; i++) {
      if (goType[i] === '[') depth++;
      else if (goType[i] === ']' && --depth === 0) return goType.slice(i + 1);
    }
  }
  return 'interface {}';
}

/** reflect.Zero of a type name. */
export function zeroOf(goType: string): unknown {
  switch (goType) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float64':
    case 'float32':
      return 0;
    case 'interface {}':
      return null;
  }
  if (goType in INT_BITS) return new GoInt(goType as IntType, 0n);
  // Typed nil slices and maps print as [] / map[]; an empty tagged value behaves the same.
  if (goType.startsWith('[]')) return typed([], goType);
  if (goType.startsWith('map[')) return typed({}, goType);
  return null;
}

/** Go's `AssignableTo` for the types the engine knows: identical, or to an empty interface. */
export function assignableTo(v: unknown, goType: string): boolean {
  if (goType === 'interface {}') return true;
  return goTypeOf(v) === goType;
}

/** Go truthiness (text/template isTrue): [truth, ok]. */
export function isTrue(v: unknown): [boolean, boolean] {
  if (v === undefined || v === null) return [false, true];
  if (typeof v === 'string') return [v.length > 0, true];
  if (typeof v === 'boolean') return [v, true];
  if (typeof v === 'number') return [v !== 0, true];
  if (v instanceof GoInt) return [v.value !== 0n, true];
  if (Array.isArray(v)) return [v.length > 0, true];
  if (typeof v === 'function') return [true, true];
  if (typeof v === 'object') return [Object.keys(v).length > 0, true];
  return [false, false];
}

/** Byte length of a Go string (UTF-8). */
export const byteLength = (s: string): number => new TextEncoder().encode(s).length;

/** Go's string ordering is byte-wise on UTF-8, which is code-point order. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Map keys in fmtsort order (maps here always have string keys). */
export const sortedKeys = (m: GoMap): string[] => Object.keys(m).sort(compareGoStrings);

/** A deep copy that keeps Go type tags (what Go's DeepCopy / reflect copies preserve). */
export function deepCopy<T>(v: T): T {
  // Scalars returned at once, and no entry pairs made (thousands of parameter sets are copied).
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepCopy(v[i]);
    const t = goTypes.get(v);
    return (t ? typed(out, t) : out) as T;
  }
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    const t = goTypes.get(v);
    return (t ? typed(out, t) : out) as T;
  }
  return v;
}

/** A Go error a template function returns; execution stops with "error calling X: <message>". */
export class GoError extends Error {}

/**
 * A function or behaviour the simulation deliberately does not reproduce (random values, the
 * clock, cryptography with random salts, ...). It is reported as such, never as a guessed value.
 */
export class NotModelledError extends Error {}
