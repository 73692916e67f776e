// Parses manifest files once, for every checker: YAML text -> ParsedResource[] + parse findings.
// Semantics follow kubeconform -strict (which reads YAML the way Kubernetes does, YAML 1.1):
// duplicate keys and syntax errors are errors with a line, empty and comment-only documents are
// skipped, `kind: List` is expanded, and a document without kind/apiVersion gets kubeconform's
// message. Line numbers for any field are looked up lazily from the YAML AST (lineOf), so the
// common case (a valid resource) pays nothing for them.
// Most files never reach the `yaml` library at all: fast-yaml.ts reads the block-style subset
// the generator writes (and JSON files) with the same YAML 1.1 scalar typing, and gives up on
// anything else or anything that might be an error; parseSourceFull, the reference, then runs.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, parseDocument } from 'yaml';
import { type FastDocument, fastLineLookup, fastParseDocuments, UNSURE_LINE } from './fast-yaml.ts';
import type { Finding } from './finding.ts';
import type { ParsedResource, SourceFile } from './resources.ts';

export interface ParseResult {
  resources: ParsedResource[];
  findings: Finding[];
  /** Non-empty documents (List items counted one by one), including ones that failed to parse. */
  documents: number;
}

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
/** kustomize accepts kustomization files without apiVersion/kind. */
export const isKustomizationFile = (file: string) => KUSTOMIZATION_FILE.test(file);

export function parseSources(files: readonly SourceFile[], origin: ParsedResource['origin'] = 'file'): ParseResult {
  const out: ParseResult = { resources: [], findings: [], documents: 0 };
  for (const f of files) {
    const r = parseSource(f, origin);
    out.resources.push(...r.resources);
    out.findings.push(...r.findings);
    out.documents += r.documents;
  }
  return out;
}

export function parseSource(file: SourceFile, origin: ParsedResource['origin'] = 'file'): ParseResult {
  return parseSourceFast(file, origin) || parseSourceFull(file, origin);
}

/**
 * The common case without the `yaml` library's full parse: fast-yaml.ts reads the block-style
 * subset and gives up (undefined) on anything else, including anything that could be an error,
 * which the full parser then reports. Findings and resources are the ones parseSourceFull gives.
 */
export function parseSourceFast(file: SourceFile, origin: ParsedResource['origin']): ParseResult | undefined {
  const docs = fastParseDocuments(file.content);
  if (!docs) return undefined;
  const out: ParseResult = { resources: [], findings: [], documents: 0 };
  const kustomization = isKustomizationFile(file.path);
  docs.forEach((doc, docIndex) => {
    const value = doc.value as any;
    if (value === null || value === undefined) return;
    out.documents++;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.findings.push(notAnObject(file, doc.line, value));
      return;
    }
    const lineOf = fastLineOf(file.content, doc);
    if (value.kind === 'List' && Array.isArray(value.items) && !kustomization) {
      out.documents--;
      value.items.forEach((item: unknown, i: number) => {
        out.documents++;
        const itemLineOf = (pointer: string) => lineOf(`/items/${i}${pointer}`);
        addResource(out, file, docIndex, item, itemLineOf('') ?? doc.line, origin, itemLineOf, kustomization);
      });
      return;
    }
    addResource(out, file, docIndex, value, doc.line, origin, lineOf, kustomization);
  });
  return out;
}

const notAnObject = (file: SourceFile, line: number, value: unknown): Finding => ({
  rule: 'parse/not-an-object',
  severity: 'error',
  source: 'parse',
  file: file.path,
  line,
  message: `document: expected a Kubernetes object (a mapping with apiVersion and kind), got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
  fix: 'Make the document a mapping with apiVersion, kind and metadata, or move non-manifest data out of the manifest folders.',
});

/** The reference path: the `yaml` library's full parse, for everything. */
export function parseSourceFull(file: SourceFile, origin: ParsedResource['origin'] = 'file'): ParseResult {
  const out: ParseResult = { resources: [], findings: [], documents: 0 };
  const lines = new LineCounter();
  const lineAt = (offset: number) => lines.linePos(offset).line;
  const docs = parseAllDocuments(file.content, { lineCounter: lines, version: '1.1', uniqueKeys: true, prettyErrors: false });
  const kustomization = isKustomizationFile(file.path);

  docs.forEach((doc, docIndex) => {
    const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
    const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    const docLine = lineAt(doc.contents?.range?.[0] ?? doc.range[0]);
    if (fatal.length) {
      out.documents++;
      for (const e of fatal) {
        out.findings.push({
          rule: 'parse/syntax',
          severity: 'error',
          source: 'parse',
          file: file.path,
          line: lineAt(e.pos[0]),
          message: `line ${lineAt(e.pos[0])}: YAML syntax error: ${firstLine(e.message)}`,
          fix: 'Fix the YAML syntax (indentation, quotes, brackets) at that line.',
        });
      }
      return;
    }
    // What parses but cannot become a value (a merge key of a scalar, `<<: 1`; too many
    // aliases) is an error Kubernetes' YAML reader reports too, not a crash.
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      out.documents++;
      const merge = firstMergeKey(doc.contents);
      const line = merge?.range ? lineAt(merge.range[0]) : docLine;
      out.findings.push({
        rule: 'parse/syntax',
        severity: 'error',
        source: 'parse',
        file: file.path,
        line,
        message: `line ${line}: YAML syntax error: ${firstLine(String((e as Error)?.message ?? e))}`,
        fix: 'Fix the YAML at that document: merge keys (<<) take a mapping or a list of mappings, and aliases must not expand without bound.',
      });
      return;
    }
    if (value === null || value === undefined) return; // empty or comment-only document
    out.documents++;
    for (const e of duplicates) {
      const keyPath = pathOfKeyAt(doc.contents, e.pos[0]);
      out.findings.push({
        rule: 'parse/duplicate-key',
        severity: 'error',
        source: 'parse',
        file: file.path,
        line: lineAt(e.pos[0]),
        path: keyPath ? toPointer(keyPath) : undefined,
        message: `${keyPath ? dotted(keyPath) : `line ${lineAt(e.pos[0])}`}: duplicate key (kubeconform -strict and the API server reject it; YAML keeps only the last value)`,
        fix: 'Remove one of the two entries, or merge their contents under one key.',
        resource: refOf(value),
      });
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.findings.push(notAnObject(file, docLine, value));
      return;
    }
    // The AST is not kept (20k documents' ASTs are most of the memory and GC time of a large
    // run): a line lookup re-parses this one document from its text, once, when asked.
    const lineOf = lazyLineLookup(file.content, doc.range[0], doc.range[2], lineAt);
    if (value.kind === 'List' && Array.isArray(value.items) && !kustomization) {
      out.documents--; // the List itself is a container, its items are the documents
      value.items.forEach((item: unknown, i: number) => {
        out.documents++;
        const itemLineOf = (pointer: string) => lineOf(`/items/${i}${pointer}`);
        addResource(out, file, docIndex, item, itemLineOf('') ?? docLine, origin, itemLineOf, kustomization);
      });
      return;
    }
    addResource(out, file, docIndex, value, docLine, origin, lineOf, kustomization);
  });
  return out;
}

function addResource(
  out: ParseResult,
  file: SourceFile,
  docIndex: number,
  obj: any,
  line: number,
  origin: ParsedResource['origin'],
  lineOf: (pointer: string) => number | undefined,
  kustomization: boolean,
) {
  // kubeconform's checks and messages, in its order (kind first).
  const missing = !obj || typeof obj !== 'object' ? 'kind' : !obj.kind ? 'kind' : !obj.apiVersion ? 'apiVersion' : undefined;
  if (missing && !kustomization) {
    out.findings.push({
      rule: `parse/missing-${missing.toLowerCase()}`,
      severity: 'error',
      source: 'parse',
      file: file.path,
      line,
      path: `/${missing}`,
      message: `${missing}: missing '${missing}' key`,
      fix: missing === 'kind' ? 'Add the kind of the resource (kind: Deployment).' : 'Add the apiVersion of the resource (apiVersion: apps/v1).',
      resource: refOf(obj),
    });
    return;
  }
  out.resources.push({ file: file.path, docIndex, line, obj, origin, lineOf });
}

/**
 * Line lookup of a document the fast reader read: the same reading again, recording lines, when
 * the first line is asked for (most resources are never asked); the `yaml` library's answer
 * only where the fast one is unsure.
 */
function fastLineOf(content: string, doc: FastDocument) {
  let fast: ((pointer: string) => number) | null | undefined;
  let slow: ((pointer: string) => number | undefined) | undefined;
  return (pointer: string): number | undefined => {
    if (fast === undefined) fast = fastLineLookup(content, doc) ?? null;
    const line = fast ? fast(pointer) : UNSURE_LINE;
    if (line !== UNSURE_LINE) return line;
    slow ??= lazyLineLookup(content, doc.start, doc.end, () => doc.startLine);
    return slow(pointer);
  };
}

/** Line lookup from the `yaml` library's AST of the document at [start, end), parsed when first asked. */
export function lazyLineLookup(content: string, start: number, end: number, lineAt: (offset: number) => number) {
  let lookup: ((pointer: string) => number | undefined) | undefined;
  return (pointer: string): number | undefined => {
    if (!lookup) {
      const lines = new LineCounter();
      const doc = parseDocument(content.slice(start, end), { lineCounter: lines, version: '1.1', uniqueKeys: false });
      const base = lineAt(start) - 1;
      lookup = lineLookup(doc.contents, (offset) => base + lines.linePos(offset).line);
    }
    return lookup(pointer);
  };
}

/** Line of the field a JSON pointer names; the nearest existing ancestor when it is missing. */
function lineLookup(root: Node | null, lineAt: (offset: number) => number) {
  return (pointer: string): number | undefined => {
    let node: unknown = root;
    let line = root?.range ? lineAt(root.range[0]) : undefined;
    if (!pointer) return line;
    for (const raw of pointer.split('/').slice(1)) {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) return line;
        const key = pair.key as Node;
        if (key.range) line = lineAt(key.range[0]);
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)] as Node | undefined;
        if (!item) return line;
        if (item.range) line = lineAt(item.range[0]);
        node = item;
      } else return line;
    }
    return line;
  };
}

/** The first `<<` key of a document (where a merge that cannot be made is reported). */
function firstMergeKey(node: unknown): Node | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && (pair.key.source === '<<' || pair.key.value === '<<')) return pair.key;
      const inner = firstMergeKey(pair.value);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = firstMergeKey(item);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Path (keys and indexes) of the map key that starts at `offset`, for duplicate-key messages. */
function pathOfKeyAt(root: Document['contents'], offset: number): (string | number)[] | undefined {
  const walk = (node: unknown, path: (string | number)[]): (string | number)[] | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const name = isScalar(key) ? String(key.value) : '?';
        if (key?.range?.[0] === offset) return [...path, name];
        const found = walk(pair.value, [...path, name]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = walk(node.items[i], [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(root, []);
}

const firstLine = (s: string) => s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

const refOf = (obj: any) =>
  obj && typeof obj === 'object'
    ? { apiVersion: str(obj.apiVersion), kind: str(obj.kind), name: str(obj.metadata?.name), namespace: str(obj.metadata?.namespace) }
    : undefined;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** `spec.template.spec.containers[0].image` from path segments. */
export function dotted(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out || '(root)';
}

export const toPointer = (path: readonly (string | number)[]) =>
  path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** `/spec/containers/0/image` -> `spec.containers[0].image`. */
export function pointerToDotted(pointer: string): string {
  if (!pointer) return '(root)';
  return dotted(pointer.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~'))));
}
