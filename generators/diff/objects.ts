// The objects two builds of one Application produce, compared one by one (by group, kind,
// namespace and name, as Argo CD's diff pairs live and desired objects), each shown as YAML with
// its keys sorted so the diff shows what changed and not how a tool ordered it. Secret values are
// masked the way Argo CD's diff masks them (util/diff HideSecretData): the same value on both
// sides is `++++++++`, a changed one gets a mask of another length; a diff posted on a pull
// request never carries a secret. Pure.
import { toYaml } from '../render/yaml.ts';
import { unifiedDiff } from '../io/diff.ts';

export interface ObjectChange {
  /** `apps/Deployment payments-dev/payments-api` (core kinds without a group). */
  id: string;
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  status: 'added' | 'removed' | 'changed';
  /** Unified diff of the object's YAML (the whole object for added and removed ones). */
  diff: string;
}

const groupOf = (apiVersion: unknown) => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export function objectId(obj: any): { id: string; group: string; kind: string; namespace?: string; name: string } {
  const group = groupOf(obj?.apiVersion);
  const kind = String(obj?.kind ?? '');
  const name = String(obj?.metadata?.name ?? '');
  const namespace = typeof obj?.metadata?.namespace === 'string' && obj.metadata.namespace ? obj.metadata.namespace : undefined;
  return { id: `${group ? `${group}/` : ''}${kind} ${namespace ? `${namespace}/` : ''}${name}`, group, kind, namespace, name };
}

/** Maps with sorted keys, recursively (lists keep their order: it means something). */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const isSecret = (o: any) => o?.kind === 'Secret' && groupOf(o?.apiVersion) === '';
const MASK = '++++++++';

/** A Secret's values replaced by masks; `other` is the Secret on the other side, to tell changed values. */
export function maskSecret(obj: any, other: any | undefined, side: 'base' | 'head'): any {
  if (!isSecret(obj)) return obj;
  const out = { ...obj };
  for (const field of ['data', 'stringData']) {
    const values = obj[field];
    if (!values || typeof values !== 'object') continue;
    const theirs = other?.[field] ?? {};
    out[field] = Object.fromEntries(
      Object.keys(values).map((k) => {
        const changed = k in theirs && theirs[k] !== values[k];
        return [k, changed && side === 'head' ? `${MASK}+` : MASK];
      }),
    );
  }
  return out;
}

export const objectYaml = (obj: unknown) => toYaml(canonical(obj));

/** Every object added, removed or changed between two builds (order: by id). */
export function diffObjects(base: readonly unknown[], head: readonly unknown[]): ObjectChange[] {
  const index = (objs: readonly unknown[]) => {
    const m = new Map<string, any>();
    for (const o of objs) if (o && typeof o === 'object') m.set(objectId(o).id, o);
    return m;
  };
  const a = index(base);
  const b = index(head);
  const out: ObjectChange[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(id);
    const after = b.get(id);
    const beforeText = before === undefined ? undefined : objectYaml(maskSecret(before, after, 'base'));
    const afterText = after === undefined ? undefined : objectYaml(maskSecret(after, before, 'head'));
    if (beforeText === afterText) continue;
    const { group, kind, namespace, name } = objectId(after ?? before);
    out.push({ id, group, kind, ...(namespace ? { namespace } : {}), name, status: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed', diff: unifiedDiff(id, beforeText, afterText) });
  }
  return out;
}
