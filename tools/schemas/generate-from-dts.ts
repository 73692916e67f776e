// Step 1 of the schema regeneration (regenerate.ts): JSON Schemas from the kubernetes-models type
// declarations, with ts-json-schema-generator. One TypeScript program for every kind (creating the
// program is the slow part, about 1.5 s; each schema after that takes milliseconds).
import fs from 'node:fs';
import path from 'node:path';
import type { KindEntry, PackageSource } from '../../generators/validate/catalog.ts';
import type { JsonSchema } from '../../generators/validate/build/json-schema.ts';

/**
 * `packageDir` is the folder whose node_modules holds the packages. The generator names recursive
 * definitions after the declaring file's path relative to the working directory
 * (`interface-<hash of node_modules/...>-...`), so it runs from there: the names, and so the
 * committed bytes, do not depend on where the checkout is.
 */
export async function generateFromDts(entries: readonly KindEntry[], packageDir: string, workDir: string): Promise<Map<KindEntry, JsonSchema>> {
  const { createGenerator } = await import('ts-json-schema-generator');
  fs.mkdirSync(workDir, { recursive: true });
  const entryFile = path.join(workDir, 'kinds.ts');
  const tsconfig = path.join(workDir, 'tsconfig.json');
  // One root interface per kind. `extends` (rather than a re-export or alias) is what the
  // generator can find by name; with `expose: 'none'` the result is the interface inlined.
  const lines = entries.map((e, i) => {
    const src = e.source as PackageSource;
    return `import type { I${e.kind} as K${i} } from '${src.module}';\nexport interface Root${i} extends K${i} {}`;
  });
  fs.writeFileSync(entryFile, lines.join('\n') + '\n');
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [] } }),
  );
  const cwd = process.cwd();
  process.chdir(packageDir);
  try {
    const generator = createGenerator({
      path: entryFile,
      tsconfig,
      skipTypeCheck: true,
      // 'export' or 'all' would name shared definitions, but argo-workflows declares interfaces
      // with the same name in different modules (IHTTPHeader) and the generator refuses those.
      expose: 'none',
      topRef: false,
      jsDoc: 'none',
      // Closed objects are added later, only where an object lists properties (normalize-schema).
      additionalProperties: true,
    });
    const out = new Map<KindEntry, JsonSchema>();
    entries.forEach((e, i) => out.set(e, generator.createSchema(`Root${i}`) as JsonSchema));
    return out;
  } finally {
    process.chdir(cwd);
  }
}
