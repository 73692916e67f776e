// Regenerates schemas/ (see generators/validate/build/committed-schemas.ts for what is there):
// the part of the strict schema set only the kubernetes-models packages can produce. Run by
// `npm run schemas` through regenerate.mjs, which installs this folder's own dependencies first.
//   1. generate one JSON Schema per package kind from its `I<Kind>` declaration (generate-from-dts)
//   2. ask the package's own validator what the declaration cannot say: integers, unions that
//      allow none of their branches, required fields upstream does not require (probe-*.ts,
//      exclusive-unions.ts); the hand schemas borrow core shapes from this stage
//   3. patch known differences with upstream (patches.ts), normalize, share repeated subtrees
// The normal build (generators/validate/build/build-schemas.ts) takes it from there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG, type KindEntry, schemaId } from '../../generators/validate/catalog.ts';
import { HAND_SCHEMAS } from '../../generators/validate/hand-schemas/index.ts';
import {
  type CommittedKind,
  type CommittedManifest,
  REGENERATE_COMMAND,
  generatorHash,
  serializeCommitted,
  sha256,
} from '../../generators/validate/build/committed-schemas.ts';
import { makeCoreLookup } from '../../generators/validate/build/core-lookup.ts';
import type { JsonSchema } from '../../generators/validate/build/json-schema.ts';
import { normalize } from '../../generators/validate/build/normalize-schema.ts';
import { shareDefinitions } from '../../generators/validate/build/share-definitions.ts';
import { fixExclusiveUnions } from './exclusive-unions.ts';
import { generateFromDts } from './generate-from-dts.ts';
import { applyPatches } from './patches.ts';
import { probeIntegers, type UpstreamValidate } from './probe-integers.ts';
import { probeRequired } from './probe-required.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(HERE, '..', '..');

/** The packages whose content ends up in the schemas, and the tools whose version shapes them. */
const TOOLS = ['ts-json-schema-generator', 'typescript'];

function lockedVersions(): Record<string, string> {
  const lock = JSON.parse(fs.readFileSync(path.join(HERE, 'package-lock.json'), 'utf8'));
  return Object.fromEntries(Object.entries(lock.packages as Record<string, { version?: string }>).map(([k, v]) => [k.replace(/^node_modules\//, ''), v.version ?? '']));
}

function sourcePackages(): string[] {
  const pkgs = new Set<string>(['@kubernetes-models/apimachinery', '@kubernetes-models/base', '@kubernetes-models/validate']);
  for (const e of CATALOG) if (e.source.type === 'package') pkgs.add(e.source.pkg);
  return [...pkgs].sort();
}

/** Writes the committed set into `out` (schemas/, or a scratch folder for --check). */
export async function regenerate(out: string, log: (line: string) => void = () => {}): Promise<{ files: number; ms: number }> {
  const started = performance.now();
  const packaged = CATALOG.filter((e) => e.source.type === 'package');
  const generated = await generateFromDts(packaged, HERE, path.join(HERE, '.cache', 'src'));
  log(`generated ${generated.size} schemas from type declarations (${Math.round(performance.now() - started)} ms)`);

  // Probes first, in place, so the core shapes the hand schemas borrow have them too.
  const probes = new Map<KindEntry, { integers: number; unions: number; required: number }>();
  for (const [entry, raw] of generated) {
    const upstream = await upstreamValidator(entry);
    const integers = probeIntegers(raw, upstream);
    const unions = fixExclusiveUnions(raw, upstream);
    const required = probeRequired(raw, upstream);
    probes.set(entry, { integers, unions, required });
  }

  // Which core kinds the hand schemas borrow from: the ones they ask for.
  const coreByKind = new Map<string, JsonSchema>();
  for (const [e, s] of generated) if (e.source.type === 'package' && e.source.pkg === 'kubernetes-models') coreByKind.set(e.kind, s);
  const borrowedKinds = new Set<string>();
  const lookup = makeCoreLookup(coreByKind, (kind) => borrowedKinds.add(kind));
  for (const make of Object.values(HAND_SCHEMAS)) make(lookup);

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'json'), { recursive: true });
  fs.mkdirSync(path.join(out, 'borrowed'), { recursive: true });
  const write = (rel: string, value: unknown) => {
    const text = serializeCommitted(value);
    fs.writeFileSync(path.join(out, rel), text);
    return sha256(text);
  };
  const borrowed = [...borrowedKinds].sort().map((kind) => ({ kind, sha256: write(`borrowed/${kind}.json`, coreByKind.get(kind)) }));

  const kinds: CommittedKind[] = [];
  for (const entry of packaged) {
    if (entry.source.type !== 'package') continue;
    const id = schemaId(entry);
    const raw = structuredClone(generated.get(entry)!);
    const patches = applyPatches(entry, raw);
    const schema = normalize(raw);
    shareDefinitions(schema);
    const p = probes.get(entry)!;
    kinds.push({
      apiVersion: entry.apiVersion,
      kind: entry.kind,
      id,
      scope: entry.scope,
      source: entry.source.pkg,
      patches,
      integersFromUpstream: p.integers,
      requiredDropped: p.required,
      exclusiveUnions: p.unions,
      sha256: write(`json/${id}.json`, schema),
    });
  }

  const locked = lockedVersions();
  const manifest: CommittedManifest = {
    generatedBy: `${REGENERATE_COMMAND} (tools/schemas/regenerate.ts); do not edit`,
    generator: generatorHash(PROJECT_ROOT),
    packages: Object.fromEntries(sourcePackages().map((p) => [p, locked[p] ?? 'missing'])),
    tools: Object.fromEntries(TOOLS.map((p) => [p, locked[p] ?? 'missing'])),
    kinds,
    borrowed,
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), serializeCommitted(manifest));
  fs.writeFileSync(path.join(out, 'README.md'), readme(manifest));
  const ms = Math.round(performance.now() - started);
  log(`wrote ${kinds.length} strict schemas and ${borrowed.length} borrowed core kinds into ${out.startsWith(PROJECT_ROOT + path.sep) ? path.relative(PROJECT_ROOT, out) : out} in ${(ms / 1000).toFixed(1)} s`);
  return { files: kinds.length + borrowed.length + 2, ms };
}

/** The package's own (non-strict) validator, which the probes ask. */
async function upstreamValidator(entry: KindEntry): Promise<UpstreamValidate> {
  if (entry.source.type !== 'package') throw new Error('not a package kind');
  const mod = await import(entry.source.module);
  const Model = mod[entry.kind];
  return (data) => {
    try {
      new Model(data).validate();
      return [];
    } catch (e: any) {
      return e?.errors ?? [];
    }
  };
}

function readme(m: CommittedManifest): string {
  const rows = Object.entries({ ...m.packages, ...m.tools }).map(([p, v]) => `| \`${p}\` | ${v} |`);
  return `# Generated strict schemas: do not edit

Generated by \`${REGENERATE_COMMAND}\` (\`tools/schemas/regenerate.ts\`, with its own
\`package.json\` and lockfile in \`tools/schemas/\`) from the TypeScript declarations and validators
of the packages below. They are committed so that installing, building, testing and packing
gitops-scaffold needs none of these packages (they require Node >= 22 and take ~30 s to run);
the normal build (\`npm run build\`, run by \`npm test\` when stale) compiles the validators in
\`.cache/schemas/\` from these files with Ajv.

- \`json/<id>.json\`: the strict schema (JSON Schema draft-07, self-contained) of each kind a
  package describes: generated, probed against the package's own validator (integers, required
  fields, exclusive unions), patched (\`tools/schemas/patches.ts\`, reasons in \`manifest.json\`),
  normalized (\`additionalProperties: false\`, optional fields nullable), repeated subtrees in
  \`definitions\`.
- \`borrowed/<Kind>.json\`: the raw generated core kinds (probed, not patched or normalized) that
  the hand-written schemas (\`generators/validate/hand-schemas/\`) take Kubernetes shapes from;
  the normal build builds those schemas from them.
- \`manifest.json\`: package versions, the hash of the generator's sources and lockfile
  (\`generator\`), one row per kind with its probe results and the sha256 of every file.

\`npm test\` fails when a file here is not the one the manifest records, when the generator or
its lockfile changed since the files were generated, or when the compiled validators are not
these schemas. Regenerate after changing \`tools/schemas/\` (a package version, a patch, a probe),
\`normalize-schema.ts\`/\`share-definitions.ts\` or the catalog's package kinds;
\`${REGENERATE_COMMAND} -- --check\` regenerates into a scratch folder and compares.

| package | version |
| --- | --- |
${rows.join('\n')}
`;
}
