// platform.yaml edited as text: the fast path of model/edits.ts patchModelText. An add, remove or
// update changes one entry of a top-level list (services, tenants, clusters, environments); that
// entry's lines are spliced in, cut out or rewritten, and every other byte stays as it was. On a
// 500-service platform.yaml this costs a few milliseconds where the library path (parseDocument
// of the whole file, patch, toString) costs ~0.5 s.
//
// It must give exactly the library path's text, and is used only where that is certain enough
// (anything else returns undefined, "not sure", and the caller takes the library path):
// - only on a text this tool wrote itself (the caller knows: its hash is the manifest's record).
//   Such a text is the yaml library's own output, which the library writes back unchanged, so the
//   library path too changes nothing but the entry's lines;
// - the entry's lines are the library's: a new entry is a one-entry document written with the
//   same options and indented as the list's entries are; an updated entry is the library's own
//   node-by-node patch (yaml-patch.ts) of that entry's lines; no value is ever put into YAML here;
// - the layout around the entry is one whose treatment by the library is known: entries at "  - "
//   under a plain `key:` line and no comment or blank line at a seam the edit cuts (a comment
//   there can belong to either neighbour);
// - the text it edits is one check/fast-yaml.ts reads (no anchors, tags, keep-chomped or
//   multi-line quoted scalars, ...), and each new entry's lines, read back alone by it, are
//   exactly the new entry: the other lines are the old text's, cut only at entry seams, so the
//   new text holds the new model (a block list's entries, and a top-level key's block, are read
//   from their own lines only) without reading the whole file again.
// test/model/text-splice.test.ts holds splice == library path over random models (comments,
// quoting, block scalars, flow style, unicode, YAML-looking strings) and random edits.

import YAML from 'yaml';
import { fastParseDocuments } from '../check/fast-yaml.ts';
import { YAML_OPTIONS, isNamedList, isObject, patchNode, same } from './yaml-patch.ts';
import { knownModel, rememberModel } from './serialize.ts';

type LineKind = 'item' | 'content' | 'seq-comment' | 'blank' | 'other';

interface ListLayout {
  /** Offset of each line of the list's block (after the `key:` line), and one past the last. */
  starts: number[];
  kinds: LineKind[];
  /** Line index of each entry's `  - ` line. */
  items: number[];
}

/** One change to the text: replace [from, to) by `text`. */
interface Cut {
  from: number;
  to: number;
  text: string;
}

/** The top-level keys of `after` as patchModelText orders them (= its library path). */
export function orderedAfter(before: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const after: Record<string, unknown> = {};
  for (const k of Object.keys(before)) if (k in next || k === 'apiVersion' || k === 'kind') after[k] = k in next ? next[k] : before[k];
  for (const [k, v] of Object.entries(next)) if (!(k in after)) after[k] = v;
  return after;
}

/** `previous` with `next` applied, or undefined when not sure (see above). */
export function spliceModelText(previous: string, next: Record<string, unknown>): string | undefined {
  if (!previous.endsWith('\n') || !commentsSettled(previous)) return undefined;
  const before = fastValue(previous);
  if (!isObject(before)) return undefined;
  const after = orderedAfter(before, next);
  const keys = Object.keys(before);
  const afterKeys = Object.keys(after);
  if (keys.length !== afterKeys.length || keys.some((k, i) => afterKeys[i] !== k)) return undefined;
  const cuts: Cut[] = [];
  for (const key of keys) {
    // A list's entries are written as JSON once (the list comparison and listCut's entry
    // comparisons are made from them, instead of writing a 500-entry list four times).
    const texts = entryTexts(before[key], after[key]);
    if (texts ? sameLists(texts.before, texts.after) : same(before[key], after[key])) continue;
    const cut = listCut(previous, key, before[key], after[key], texts);
    if (!cut) return undefined;
    cuts.push(cut);
  }
  let text = previous;
  for (const c of cuts.sort((a, b) => b.from - a.from)) text = text.slice(0, c.from) + c.text + text.slice(c.to);
  // Every new entry's lines read back (alone) as exactly that entry; the lines around them are
  // `previous`'s, cut only at entry seams, so the text holds `after` (and the fast reader reads it).
  rememberModel(text, { value: after, fast: true });
  return text;
}

/** The value of a text the fast reader reads (known to this process, or read now); else undefined. */
function fastValue(text: string): unknown {
  const known = knownModel(text);
  if (known) {
    if (!known.fast) return undefined;
    try {
      return JSON.parse(known.json);
    } catch {
      return undefined;
    }
  }
  const docs = fastRead(text);
  return docs?.length === 1 ? docs[0].value : undefined;
}

function fastRead(text: string): ReturnType<typeof fastParseDocuments> {
  try {
    return fastParseDocuments(text);
  } catch {
    return undefined;
  }
}

/**
 * False when comment lines follow each other (blank lines between them or not) at different
 * indentations: the library reads such a run back as one comment of the first node, so it does
 * not write the text back unchanged, and the splice cannot know where it moves them.
 */
function commentsSettled(text: string): boolean {
  // Only comment lines can fail it, and only a line with a "#" can be one: the lines holding a
  // "#" are visited (platform.yaml has a handful), the text between two comment lines is tested
  // at once for anything but spaces and line ends (a content line there ends the run). The same
  // answer as the line-by-line walk (commentsSettledByLine, test/model/text-splice-lists.test.ts).
  let runIndent = -1;
  let runEnd = -1; // end of the last comment line (its "\n" or the text's end)
  for (let hash = text.indexOf('#'); hash >= 0; ) {
    const start = text.lastIndexOf('\n', hash - 1) + 1;
    const nl = text.indexOf('\n', hash);
    const end = nl < 0 ? text.length : nl;
    let k = start;
    while (k < hash && text.charCodeAt(k) === 32) k++;
    if (k === hash) {
      // A comment line, indented k - start. A line between the last one and this one that is not
      // blank (only spaces) ended that run.
      if (runIndent >= 0 && !onlySpacesAndNewlines(text, runEnd, start)) runIndent = -1;
      if (runIndent >= 0 && runIndent !== k - start) return false;
      runIndent = k - start;
      runEnd = end;
    }
    hash = nl < 0 ? -1 : text.indexOf('#', nl + 1);
  }
  return true;
}

const NOT_BLANK = /[^ \n]/g;

/** True when text[from, to) holds nothing but spaces and line ends. */
function onlySpacesAndNewlines(text: string, from: number, to: number): boolean {
  if (from >= to) return true;
  NOT_BLANK.lastIndex = from;
  const m = NOT_BLANK.exec(text);
  return m === null || m.index >= to;
}

/** commentsSettled's plain walk of every line (what the fast one must answer; kept for its test). */
export function commentsSettledByLine(text: string): boolean {
  let runIndent = -1; // indentation of the comment run the last lines were part of; -1: none
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    let k = pos;
    while (k < end && text.charCodeAt(k) === 32) k++;
    if (k < end) {
      if (text.charCodeAt(k) !== 35) runIndent = -1;
      else if (runIndent >= 0 && runIndent !== k - pos) return false;
      else runIndent = k - pos;
    }
    pos = end + 1;
  }
  return true;
}

export { commentsSettled };

/** Each entry's JSON.stringify (undefined where it writes nothing), of two lists. */
interface EntryTexts {
  before: (string | undefined)[];
  after: (string | undefined)[];
}

/**
 * The entries of two lists as JSON, when `same` of the lists can be decided from them (sameLists):
 * plain lists whose entries have no toJSON method (JSON.stringify calls an entry's with its index
 * inside a list, with "" alone); undefined otherwise, or when one does not serialize (then the
 * comparison is made as before, and throws as before).
 */
export function entryTexts(before: unknown, after: unknown): EntryTexts | undefined {
  if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
  const texts = (list: unknown[]): (string | undefined)[] | undefined => {
    if (typeof (list as unknown as { toJSON?: unknown }).toJSON === 'function') return undefined;
    const out: (string | undefined)[] = [];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function') return undefined;
      out.push(JSON.stringify(x));
    }
    return out;
  };
  try {
    const b = texts(before);
    const a = b && texts(after);
    return a && { before: b!, after: a };
  } catch {
    return undefined;
  }
}

/** `same` of two lists from their entries' texts: a list is written "[" + its entries' texts
 *  (null for one that writes nothing) joined by "," + "]", and each entry's text is one whole
 *  JSON value, so the two texts are equal exactly when the entries' are, one by one. */
export function sameLists(before: (string | undefined)[], after: (string | undefined)[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) if ((before[i] ?? 'null') !== (after[i] ?? 'null')) return false;
  return true;
}

/** The one change a top-level named list went through, as a cut of its lines. */
function listCut(text: string, key: string, before: unknown, after: unknown, texts?: EntryTexts): Cut | undefined {
  if (!isNamedList(before) || !isNamedList(after) || !before.length || !after.length) return undefined;
  if (new Set(before.map((x) => x.name)).size !== before.length || new Set(after.map((x) => x.name)).size !== after.length) return undefined;
  const layout = listLayout(text, key);
  if (!layout || layout.items.length !== before.length) return undefined;
  const n = before.length;
  // same(before[i], after[k]), from the entries' texts when made (the same JSON.stringify of each).
  const sameAt = texts ? (i: number, k: number) => texts.before[i] === texts.after[k] : (i: number, k: number) => same(before[i], after[k]);
  // The first index where the lists differ by name, then which of insert / remove / replace it is.
  let j = 0;
  while (j < n && j < after.length && before[j].name === after[j].name) j++;
  if (after.length === n + 1) {
    if (before.some((x) => x.name === after[j].name)) return undefined;
    if (!before.every((_x, i) => sameAt(i, i < j ? i : i + 1))) return undefined;
    const entry = entryText(after[j]);
    if (entry === undefined) return undefined;
    const at = j < n ? seamBefore(layout, j) : endOf(layout, n - 1);
    return at === undefined ? undefined : { from: at, to: at, text: entry };
  }
  if (after.length === n - 1) {
    if (!after.every((_x, i) => sameAt(i < j ? i : i + 1, i))) return undefined;
    const range = entryRange(layout, j);
    return range && { ...range, text: '' };
  }
  if (after.length !== n || j !== n) return undefined; // renamed or moved entries
  const changed = before.map((_x, i) => (sameAt(i, i) ? -1 : i)).filter((i) => i >= 0);
  if (changed.length !== 1) return undefined;
  const i = changed[0];
  const range = entryRange(layout, i);
  if (!range) return undefined;
  const updated = patchedEntryText(text.slice(range.from, range.to), before[i], after[i]);
  return updated === undefined ? undefined : { ...range, text: updated };
}

/** The lines of the block of top-level `key:` (a plain key alone on its line), classified. */
function listLayout(text: string, key: string): ListLayout | undefined {
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return undefined;
  const head = `${key}:\n`;
  const at = text.startsWith(head) ? 0 : text.indexOf(`\n${head}`) + 1;
  if (at === 0 && !text.startsWith(head)) return undefined;
  const starts: number[] = [];
  const kinds: LineKind[] = [];
  const items: number[] = [];
  let pos = at + head.length;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 10) break; // a line at column 0 ends the block
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    let k = pos;
    while (k < end && text.charCodeAt(k) === 32) k++;
    const indent = k - pos;
    let kind: LineKind;
    if (k === end) kind = 'blank';
    else if (indent === 2 && text.charCodeAt(k) === 45 && (k + 1 === end || text.charCodeAt(k + 1) === 32)) kind = 'item';
    else if (indent >= 4) kind = text.charCodeAt(k) === 35 ? 'other' : 'content';
    else if (indent === 2 && text.charCodeAt(k) === 35) kind = 'seq-comment';
    else kind = 'other';
    if (kind === 'item') items.push(starts.length);
    starts.push(pos);
    kinds.push(kind);
    pos = end + 1;
  }
  starts.push(Math.min(pos, text.length));
  // Entries first: a comment or blank line before the first entry is left to the library.
  if (items[0] !== 0) return undefined;
  return { starts, kinds, items };
}

/** Line index just past entry i's own lines (its `- ` line and the content lines under it). */
function bodyEnd(layout: ListLayout, i: number): number {
  let l = layout.items[i] + 1;
  while (l < layout.kinds.length && layout.kinds[l] === 'content') l++;
  return l;
}

/** Offset where an entry inserted before entry j goes: only at a clean seam (no comment, no blank). */
function seamBefore(layout: ListLayout, j: number): number | undefined {
  if (j > 0 && bodyEnd(layout, j - 1) !== layout.items[j]) return undefined;
  return layout.starts[layout.items[j]];
}

/** Offset just past the last entry's lines, when only list comments and blank lines follow it. */
function endOf(layout: ListLayout, last: number): number | undefined {
  const end = bodyEnd(layout, last);
  for (let l = end; l < layout.kinds.length; l++) if (layout.kinds[l] !== 'seq-comment' && layout.kinds[l] !== 'blank') return undefined;
  return layout.starts[end];
}

/** Entry i's lines, when both its seams are clean. */
function entryRange(layout: ListLayout, i: number): { from: number; to: number } | undefined {
  const last = i === layout.items.length - 1;
  const end = bodyEnd(layout, i);
  if (!last && end !== layout.items[i + 1]) return undefined;
  if (last && endOf(layout, i) === undefined) return undefined;
  if (i > 0 && bodyEnd(layout, i - 1) !== layout.items[i]) return undefined;
  return { from: layout.starts[layout.items[i]], to: layout.starts[end] };
}

/** Lines indented as the list's entries are (empty lines stay empty, as the library writes them). */
const indented = (s: string) => s.replace(/^(?=[^\n])/gm, '  ');

/** A new entry as the library writes it in the list: `  - name: ...` lines. */
function entryText(value: unknown): string | undefined {
  if (sharesObjects(value)) return undefined; // the library would write anchors and aliases
  const written = new YAML.Document([value], { version: '1.1' }).toString(YAML_OPTIONS);
  return readsBack(written, value) ? indented(written) : undefined;
}

/** A one-entry list written by the library that the fast reader reads back as exactly [entry]. */
function readsBack(written: string, entry: unknown): boolean {
  if (!written.startsWith('- ') || !written.endsWith('\n')) return false;
  const docs = fastRead(written);
  return docs?.length === 1 && same(docs[0].value, [entry]);
}

/** An entry's lines patched by the library, as its path patches the entry within the whole file. */
function patchedEntryText(lines: string, before: unknown, after: unknown): string | undefined {
  if (sharesObjects(after)) return undefined;
  const split = lines.split('\n');
  if (split.some((l) => l !== '' && !l.startsWith('  '))) return undefined;
  const own = split.map((l) => l.slice(2)).join('\n');
  const doc = YAML.parseDocument(own, { version: '1.1' });
  if (doc.errors.length || doc.warnings.length || !YAML.isSeq(doc.contents) || doc.contents.items.length !== 1) return undefined;
  const value = doc.toJS();
  if (!same(value, [before])) return undefined;
  doc.contents.items[0] = patchNode(doc, doc.contents.items[0], before, after) as any;
  const written = doc.toString(YAML_OPTIONS);
  return readsBack(written, after) ? indented(written) : undefined;
}

/** True when an object or list appears twice in `value` (by reference). */
function sharesObjects(value: unknown, seen = new Set<object>()): boolean {
  if (!value || typeof value !== 'object') return false;
  if (seen.has(value)) return true;
  seen.add(value);
  return Object.values(value).some((v) => sharesObjects(v, seen));
}
