// dario.cat/mergo v1.0.2 `Merge(&dst, src[, WithOverride])` for map[string]... values: the
// matrix generator (goTemplate mode), the merge generator and sprig's merge/mergeOverwrite use it.
// Semantics reproduced from merge.go deepMerge, map case:
// - a nil src value is copied only with override;
// - both values maps (dst non-empty): merged recursively in place, never replaced;
// - a slice: replaced by src with override, else kept (set when dst had none);
// - anything else: src wins with override, or when dst lacks the key or holds an empty value.
import { GoError, goTypeOf, isGoMap, type GoMap } from './values.ts';

/** mergo's isEmptyValue, dereferencing interfaces. */
export function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'object' && 'value' in (v as object) && typeof (v as { value: unknown }).value === 'bigint')
    return (v as { value: bigint }).value === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

export function mergoMerge(dst: GoMap, src: GoMap, override: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    const has = Object.prototype.hasOwnProperty.call(dst, key);
    const d = has ? dst[key] : undefined;
    if (s === null) {
      if (override) dst[key] = null;
      continue;
    }
    if (isGoMap(s)) {
      if (has && isGoMap(d) && !isEmptyValue(d)) {
        if (goTypeOf(d) === 'map[string]string' && goTypeOf(s) !== 'map[string]string' && Object.values(s).some((x) => typeof x !== 'string'))
          throw new GoError(`reflect.Value.SetMapIndex: value of type interface {} is not assignable to type string`);
        mergoMerge(d, s, override);
        continue;
      }
    } else if (Array.isArray(s)) {
      if (has && !isEmptyValue(d)) {
        if (override) dst[key] = s;
        continue;
      }
    }
    if (override || !has || isEmptyValue(d)) dst[key] = s;
  }
}
