// The one YAML configuration of the project. Output is written for YAML 1.1 readers
// (Kubernetes' sigs.k8s.io/yaml): strings such as "yes", "on" or "0755" come out quoted, so no
// value changes type on its way into a cluster. No line folding, so diffs stay line-based.

import YAML from 'yaml';

const STRINGIFY: YAML.ToStringOptions & YAML.DocumentOptions & YAML.SchemaOptions & YAML.CreateNodeOptions = {
  version: '1.1',
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: true,
  sortMapEntries: false,
  // Shared objects (one list used twice) are written out in full: anchors confuse reviewers and tools.
  aliasDuplicateObjects: false,
};

/** A value (built in code) as a YAML document, ending with a newline. */
export const toYaml = (value: unknown): string => YAML.stringify(value, STRINGIFY);

/** A value as an indented YAML block to sit under a key in a template. */
export function toYamlBlock(value: unknown, indent: number): string {
  const text = toYaml(value).replace(/\n$/, '');
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

/** A safely quoted YAML scalar for any string: a JSON string is a valid double-quoted YAML scalar. */
export const quote = (value: unknown): string => JSON.stringify(value == null ? '' : String(value));

/** Parses every document of a text; throws with the first error (a rendering bug if it happens). */
export function parseAll(text: string, file: string): unknown[] {
  const docs = YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true });
  const out: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    out.push(doc.toJS()); // toJS() surfaces unresolved aliases, which errors[] does not
  }
  return out;
}
