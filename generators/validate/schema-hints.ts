// Hints for schema findings, computed from the strict JSON Schema only when a finding needs one:
// which fields are allowed at a location, where else in the kind a misplaced field belongs, and
// the closest spelling of a typo.
import { defName, type JsonSchema, type Step, walkSchema } from './build/json-schema.ts';

/** Schema nodes that describe the data at `pointer` (several when unions are involved). */
export function nodesAt(root: JsonSchema, pointer: string): JsonSchema[] {
  let nodes = expand(root, [root]);
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next: JsonSchema[] = [];
    for (const n of nodes) {
      if (n.properties?.[seg]) next.push(n.properties[seg]);
      else if (n.items && !Array.isArray(n.items) && /^\d+$/.test(seg)) next.push(n.items);
      else if (n.additionalProperties && typeof n.additionalProperties === 'object') next.push(n.additionalProperties);
    }
    nodes = expand(root, next);
    if (nodes.length === 0) break;
  }
  return nodes;
}

function expand(root: JsonSchema, nodes: JsonSchema[]): JsonSchema[] {
  const out: JsonSchema[] = [];
  const seen = new Set<JsonSchema>();
  const add = (n: JsonSchema | undefined) => {
    if (!n || seen.has(n)) return;
    seen.add(n);
    if (n.$ref) return add(root.definitions?.[defName(n.$ref) ?? '']);
    out.push(n);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) n[k]?.forEach(add);
  };
  nodes.forEach(add);
  return out;
}

export function allowedFieldsAt(root: JsonSchema, pointer: string): string[] {
  return [...new Set(nodesAt(root, pointer).flatMap((n) => Object.keys(n.properties ?? {})))].sort();
}

const belongsCache = new WeakMap<JsonSchema, Map<string, string[]>>();

/** Dotted locations (shortest first) where `field` is a known property in this kind. */
export function whereFieldBelongs(root: JsonSchema, field: string, limit = 3): string[] {
  let cache = belongsCache.get(root);
  if (!cache) {
    cache = new Map();
    walkSchema(root, (node, steps) => {
      for (const key of Object.keys(node.properties ?? {})) {
        const list = cache!.get(key) ?? [];
        list.push(stepsToDotted(steps));
        cache!.set(key, list);
      }
    });
    belongsCache.set(root, cache);
  }
  const places = [...new Set(cache.get(field) ?? [])].sort((a, b) => a.length - b.length || a.localeCompare(b));
  return places.slice(0, limit);
}

function stepsToDotted(steps: readonly Step[]): string {
  let out = '';
  for (const s of steps) {
    if ('prop' in s) out += out ? `.${s.prop}` : s.prop;
    else if ('item' in s) out += '[]';
    else if ('entry' in s) out += '.<name>';
  }
  return out || '(root)';
}

/** The candidate closest to `name` by edit distance, when it is close enough to be a typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
