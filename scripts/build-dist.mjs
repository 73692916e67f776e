// Compiles the TypeScript sources and the libraries they use into dist/ with esbuild, twice:
// - dist/cli.cjs, the CLI as ONE CommonJS script, which bin/ loads through a V8 code cache for
//   every command that does work (bin/bundle.mjs): Node 20 has no compile cache for modules
//   (module.enableCompileCache is 22.1+), and compiling the init path's ES modules cost ~60 ms of
//   CPU on every run; a script's cachedData is the one cache Node 20 offers. Modules stay lazy
//   inside it (esbuild wraps each in an init function run at its first import).
// - dist/cli.js, dist/plopfile.js + dist/chunks/: the same CLI and the plop generators
//   (`gitops-scaffold/plop`) as ES modules split at every dynamic import. bin/ runs dist/cli.js for
//   help, --version and completion, which load ~60 KB of it: cheaper than deserialising the
//   whole script's cache (measured: --help 91 ms of CPU vs 105, `node -e 0` 62).
// The package therefore has no runtime dependencies: installing it fetches one tarball, offline
// from a cache, and a version is the same code all the way down (the bytes the generator writes
// depend on yaml and handlebars). The licenses of what is bundled go to dist/THIRD-PARTY-LICENSES.txt.
// Builds into a fresh folder and swaps it in, so a running bin never sees half a build.
// Usage: node scripts/build-dist.mjs [--quiet] [--if-stale]
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsStale } from './dist-freshness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
if (process.argv.includes('--if-stale') && !distIsStale(ROOT)) process.exit(0);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies cannot build; the package ships dist/ prebuilt.
  if (!quiet) console.error('build-dist: skipped, esbuild (a dev dependency) is not installed');
  process.exit(0);
}
const started = Date.now();
const tmp = path.join(ROOT, `dist.tmp-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
try {
  const common = { absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20', legalComments: 'none', metafile: true, logLevel: 'warning', plugins: [precompiledTemplates()] };
  const cli = await esbuild.build({
    ...common,
    entryPoints: { cli: 'generators/cli.ts', 'validate-worker': 'generators/validate/check-worker.ts' },
    outdir: tmp,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // The sources find the package from import.meta.url (package-root.ts): the script's own URL.
    define: { 'import.meta.url': '__gsImportMetaUrl' },
    banner: { js: "const __gsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const plop = await esbuild.build({
    ...common,
    entryPoints: { cli: 'generators/cli.ts', plopfile: 'plopfile.ts' },
    outdir: tmp,
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS libraries (handlebars, ajv) call require() for Node built-ins: give every chunk one.
    banner: { js: "import { createRequire as __gsCreateRequire } from 'node:module'; const require = __gsCreateRequire(import.meta.url);" },
  });
  asciiOnly(path.join(tmp, 'cli.cjs'));
  writeFileSync(path.join(tmp, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(cli.metafile, plop.metafile));
  // Read by the bin in a checkout: sources newer than this mean dist/ is stale.
  writeFileSync(path.join(tmp, 'build.json'), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
  const dist = path.join(ROOT, 'dist');
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(tmp, dist);
  rmSync(old, { recursive: true, force: true });
} catch (e) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`build-dist: failed: ${e?.message ?? e}`);
  process.exit(1);
}
if (!quiet) console.error(`build-dist: compiled dist/ in ${Date.now() - started} ms`);

/**
 * The CommonJS bundle in ASCII, so bin/bundle.mjs reads it as latin1 (no UTF-8 decode at start-up).
 * esbuild escapes non-ASCII in strings but leaves it in regular expressions and kept comments;
 * a \uXXXX escape (per UTF-16 unit) means the same character in a string, a template, a regular
 * expression and an identifier, and nothing in a comment. The one place it would not is a raw
 * template (String.raw): the build refuses a bundle whose non-ASCII sits on a line naming one.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  for (const line of text.split('\n')) if (/[^\x00-\x7f]/.test(line) && /\.raw\b/.test(line)) throw new Error(`non-ASCII in a raw template of ${path.basename(file)}: ${line.trim().slice(0, 120)}`);
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * generators/render/precompiled.ts becomes every template of templates/ precompiled by Handlebars
 * with the engine's COMPILE_OPTIONS (test/cli/package.test.ts renders both ways and compares), and
 * the engine's `handlebars` import becomes the runtime alone: the bundle never compiles a template.
 */
function precompiledTemplates() {
  const COMPILE_OPTIONS = { noEscape: true, strict: true }; // = generators/render/engine.ts
  return {
    name: 'precompiled-templates',
    setup(build) {
      build.onResolve({ filter: /^handlebars$/ }, (args) => (args.importer.endsWith(path.join('render', 'engine.ts')) ? { path: path.join(ROOT, 'node_modules/handlebars/dist/cjs/handlebars.runtime.js') } : undefined));
      build.onLoad({ filter: /render[\\/]precompiled\.ts$/ }, async () => {
        const { default: Handlebars } = await import('handlebars');
        const dir = path.join(ROOT, 'templates');
        const entries = [];
        const walk = (rel) => {
          for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
            const child = rel ? `${rel}/${e.name}` : e.name;
            if (e.isDirectory()) walk(child);
            else if (e.name.endsWith('.hbs')) entries.push(`  ${JSON.stringify(child)}: ${Handlebars.precompile(readFileSync(path.join(dir, child), 'utf8'), COMPILE_OPTIONS)},`);
          }
        };
        walk('');
        return { loader: 'js', contents: `export const PRECOMPILED_TEMPLATES = {\n${entries.sort().join('\n')}\n};\n` };
      });
    },
  };
}

/** Name, version, license and license text of every package with code in the bundle. */
function thirdPartyLicenses(...metafiles) {
  const dirs = new Set();
  for (const input of metafiles.flatMap((m) => Object.keys(m.inputs))) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  const sections = [...dirs].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
    const file = readdirSync(path.join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(path.join(ROOT, dir, file), 'utf8').trim() : `(no license file; package.json says ${pkg.license ?? 'nothing'})`;
    return `${pkg.name} ${pkg.version} (${pkg.license ?? 'see below'})\n${'-'.repeat(72)}\n${text}\n`;
  });
  return `gitops-scaffold bundles the following packages in dist/.\n\n${sections.join('\n')}`;
}
