// Step 3 of the schema build: precompile each strict schema to a standalone validator module
// (Ajv standalone code, CommonJS so the runtime can load it synchronously and lazily with
// require). Compiling the big schemas at run time would cost seconds (WorkflowTemplate ~2 s);
// loading the precompiled module costs milliseconds.
import { Ajv } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';

// CommonJS module with `exports.default`: under NodeNext the default import is module.exports.
const standaloneCode = ((standaloneModule as any).default ?? standaloneModule) as typeof import('ajv/dist/standalone/index.js').default;
import type { JsonSchema } from './json-schema.ts';

/** The options the runtime relies on: all errors (one run reports every problem). */
export function newCompiler() {
  return new Ajv({
    allErrors: true,
    // Type lists (`["string","null"]`) are deliberate; strict mode would reject them.
    strict: false,
    // Messages are written by ajv-findings.ts from keyword and params: smaller modules.
    messages: false,
    // The strict schemas assert no formats (the declarations carry none).
    validateFormats: false,
    // Shared definitions (share-definitions.ts) stay separate functions instead of being inlined
    // back at every use.
    inlineRefs: false,
    code: { source: true, esm: false },
  });
}

export function compileStandalone(schema: JsonSchema): string {
  const ajv = newCompiler();
  const validate = ajv.compile(schema);
  return standaloneCode(ajv, validate);
}
