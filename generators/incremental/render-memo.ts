// The render memo: a template's output, remembered under a hash of the template's name and the
// exact data it was given, so a run whose model changed in one place renders only the files whose
// data changed (on a 500-service fleet, adding a service re-renders ~20 of ~6,300 templates).
//
// Exact by construction: the key is the template name plus the data's structured-clone bytes
// (node:v8 serialize: every value, undefined and -0 and NaN and sparse arrays included, keys in
// order), and a memo made by other code or templates (checkerFingerprint) is not used at all.
// Data that cannot be cloned (a function) is rendered without the memo. Templates read only
// their data's own properties (Handlebars forbids prototype access), which the clone holds; the
// planners hand them plain data (test/incremental/render-memo.test.ts holds that on the examples).
// Kept by the pipeline in .gitops-scaffold/cache/ (check/cache-store.ts), derived data: losing
// it costs a full render, never a different one.
import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { Engine } from '../render/engine.ts';

export const RENDER_MEMO_FORMAT = 'gitops-scaffold-render-memo-1';

export interface RenderMemo {
  format: string;
  /** checkerFingerprint() of the code that rendered the bodies. */
  fingerprint: string;
  /** key -> rendered template body. */
  bodies: Map<string, string>;
  /** Keys this run rendered or looked up (what is worth keeping). */
  used: Set<string>;
  /** How many templates this run rendered anew (not from the memo), and their keys. */
  rendered: number;
  anew: Set<string>;
  /** How many bodies the memo held when the run loaded it. */
  loaded: number;
  /** Records in its file (duplicates included), when the file can be appended to. */
  stored?: number;
  /** Its file's length (UTF-16 code units) when loaded: appends stop once the file holds about
   *  twice the live bytes (a 1 MB body re-rendered by every run would otherwise pile up). */
  storedBytes?: number;
}

export const emptyRenderMemo = (fingerprint: string): RenderMemo => ({ format: RENDER_MEMO_FORMAT, fingerprint, bodies: new Map(), used: new Set(), rendered: 0, anew: new Set(), loaded: 0 });

/** A memo usable with this code: the given one when it was made by it, else an empty one. */
export function usableRenderMemo(memo: RenderMemo | null | undefined, fingerprint: string): RenderMemo {
  return memo && memo.format === RENDER_MEMO_FORMAT && memo.fingerprint === fingerprint ? memo : emptyRenderMemo(fingerprint);
}

function keyOf(template: string, data: object): string | undefined {
  let bytes: Buffer;
  try {
    bytes = serialize(data);
  } catch {
    return undefined; // not cloneable (a function somewhere): render it every time
  }
  return createHash('sha256').update(template).update('\0').update(bytes).digest('base64url');
}

/** `engine` answering from `memo` where the template and its data are what rendered a body. */
export function memoEngine(engine: Engine, memo: RenderMemo): Engine {
  return {
    has: (template) => engine.has(template),
    render(template, data) {
      const key = keyOf(template, data);
      if (key === undefined) return engine.render(template, data);
      memo.used.add(key);
      const hit = memo.bodies.get(key);
      if (hit !== undefined) return hit;
      const body = engine.render(template, data);
      memo.bodies.set(key, body);
      memo.rendered++;
      memo.anew.add(key);
      return body;
    },
  };
}

/** The memo to keep after the run: only what this run used (so it never outgrows the repo). */
export function keptRenderMemo(memo: RenderMemo): RenderMemo {
  const bodies = new Map<string, string>();
  for (const k of memo.used) {
    const b = memo.bodies.get(k);
    if (b !== undefined) bodies.set(k, b);
  }
  return { ...memo, bodies, used: new Set(bodies.keys()) };
}

/** True when the memo to keep differs from the one the run loaded (else nothing to write). */
export const renderMemoChanged = (kept: RenderMemo): boolean => kept.rendered > 0 || kept.bodies.size !== kept.loaded;
