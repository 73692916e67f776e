// A parsed manifest document, the unit every checker works on. Parsing happens once
// (parse.ts); validators, cross-reference checks and lint rules all read these.

export interface ParsedResource {
  /** File path relative to the checked root, forward slashes. */
  file: string;
  /** 0-based index of the document inside the file. */
  docIndex: number;
  /** 1-based line where the document starts. */
  line: number;
  /** The plain JS value of the document (`toJS()`), usually a Kubernetes object. */
  obj: any;
  /** Where it came from: a file on disk, or the output of a kustomize build of `file`'s folder. */
  origin: 'file' | 'kustomize-build' | 'helm-template';
  /** Line lookup for a JSON pointer inside this document, when the source is known. */
  lineOf?: (pointer: string) => number | undefined;
}

/** An input file as text: checkers work on text so the same code serves disk and in-memory plans. */
export interface SourceFile {
  path: string;
  content: string;
}
