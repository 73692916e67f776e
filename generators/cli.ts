// The command-line entry: parses flags, calls one library function, prints, picks the exit code.
// 0 ok, 1 conflicts or failed checks, 2 bad input (nothing written). Never prompts without a TTY.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, ConflictError, GeneratedOutputError, formatProblem } from './model/errors.ts';
import { parseSpecText } from './model/serialize.ts';
import { applySets, missingInitAnswers, parseAnswersText } from './prompts/answers.ts';
import { run } from './pipeline.ts';
import { asJson, summarize } from './io/output.ts';
import { PACKAGE_ROOT } from './io/templates.ts';
import { GENERATOR_VERSION } from './model/versions.ts';
import { CERT_PATH } from './plan/supply-chain/sealed-secrets.ts';

const HELP = `gitops-scaffold ${GENERATOR_VERSION}: writes a secure, strictly valid Argo CD GitOps repository from platform.yaml

Usage:
  gitops-scaffold init [--answers FILE] [--set key=value]... [--out DIR] [--yes]
  gitops-scaffold init --example minimal|enterprise --out DIR
  gitops-scaffold render [--repo DIR] [--sealed-secrets-cert FILE] [--seal-values FILE]
  gitops-scaffold validate [DIR...] [--output text|json|junit|sarif] [--kubeconform auto|always|never]
                    [--no-kustomize] [--skip KIND,...] [--reject KIND,...] [--ignore-missing-schemas]
                    [--ignore-filename-pattern REGEX]... [--repo-url URL]
  gitops-scaffold lint [DIR...] [--output text|json|junit|sarif] [--config FILE]
  gitops-scaffold schemas export DIR
  gitops-scaffold add service NAME --tenant T --image REPO --tag TAG [--port N] [--strategy canary|blueGreen|rolling]
                    [--digest sha256:...] [--host HOST] [--environments a,b] [--update]
  gitops-scaffold add tenant NAME [--environments a,b] [--update]
  gitops-scaffold add cluster NAME --server URL --environment ENV|--environments a,b [--region R] [--update]
  gitops-scaffold add environment NAME --cluster NAME [--server URL --region R] [--after ENV] [--protected]
  gitops-scaffold remove service|tenant|cluster|environment NAME
                    add/remove also take [--repo DIR] [--answers FILE] [--set field=value]... (paths
                    relative to the entity, e.g. --set overrides.prod.replicas=4); --dry-run prints a diff.
                    add environment goes just before the last environment unless --after ENV;
                    --cluster names an existing cluster to serve it, or a new one created with --server.
                    Removing an environment also removes the clusters that served only it.

Common flags:
  --dry-run     print the plan (files to create / change / leave), write nothing
  --json        print one JSON result for automation
  --force       overwrite hand-edited or foreign files (backups are kept as .orig)
  --no-check    skip validating the output before writing
  --yes, -y     take defaults for every optional answer (never prompts)

Exit codes: 0 ok, 1 conflicts or failed checks, 2 bad or missing input (nothing written).
Without a TTY, or with CI=true, gitops-scaffold never prompts.`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  interactive: boolean;
}

const OPTIONS = {
  answers: { type: 'string' },
  set: { type: 'string', multiple: true },
  out: { type: 'string' },
  repo: { type: 'string' },
  example: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-check': { type: 'boolean' },
  output: { type: 'string' },
  kubeconform: { type: 'string' },
  config: { type: 'string' },
  'sealed-secrets-cert': { type: 'string' },
  'seal-values': { type: 'string' },
  'repo-url': { type: 'string' },
  'no-kustomize': { type: 'boolean' },
  skip: { type: 'string', multiple: true },
  reject: { type: 'string', multiple: true },
  'ignore-missing-schemas': { type: 'boolean' },
  'ignore-filename-pattern': { type: 'string', multiple: true },
  name: { type: 'string' },
  tenant: { type: 'string' },
  image: { type: 'string' },
  tag: { type: 'string' },
  digest: { type: 'string' },
  port: { type: 'string' },
  strategy: { type: 'string' },
  host: { type: 'string' },
  environments: { type: 'string' },
  server: { type: 'string' },
  environment: { type: 'string' },
  region: { type: 'string' },
  cluster: { type: 'string' },
  after: { type: 'string' },
  protected: { type: 'boolean' },
  update: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`cannot read ${what} ${file}; nothing was written`, [{ path: file, message: 'file not found or not readable', fix: 'check the path' }]);
  }
}

async function init(values: Record<string, any>, io: Io): Promise<number> {
  const out = path.resolve(values.out ?? '.');
  let answers: Record<string, any> = {};
  if (values.example) {
    const file = path.join(PACKAGE_ROOT, 'examples', String(values.example), 'platform.yaml');
    if (!existsSync(file)) throw new InputError(`unknown example "${values.example}"`, [{ path: '--example', message: 'no such built-in example', fix: 'use minimal or enterprise' }]);
    answers = parseAnswersText(readText(file, 'example'), file);
  }
  if (values.answers) answers = { ...answers, ...parseAnswersText(readText(values.answers, 'answers file'), values.answers) };
  applySets(answers, values.set ?? []);
  const existingModelPath = path.join(out, 'platform.yaml');
  const previousModelText = existsSync(existingModelPath) ? readFileSync(existingModelPath, 'utf8') : undefined;
  let missing = missingInitAnswers(answers);
  if (missing.length && io.interactive && !values.yes) {
    const { askPlatform } = await import('./prompts/interactive.ts');
    answers = await askPlatform(answers);
    missing = missingInitAnswers(answers);
  }
  if (missing.length) throw new InputError(`missing required answers${io.interactive ? '' : ' (no TTY: gitops-scaffold never prompts here)'}; nothing was written`, missing);
  const previousSpec = previousModelText ? parseSpecText(previousModelText, existingModelPath) : undefined;
  const result = run({ root: out, spec: answers, previousModelText, previousSpec, dryRun: !!values['dry-run'], force: !!values.force, check: !values['no-check'], refuseForeign: true, supplyChain: supplyChainFlags(values, out) });
  return report('init', result, values, io);
}

async function render(values: Record<string, any>, io: Io): Promise<number> {
  const root = findRepo(values.repo);
  const file = path.join(root, 'platform.yaml');
  const text = readFileSync(file, 'utf8');
  const spec = parseSpecText(text, file);
  const result = run({ root, spec, previousModelText: text, previousSpec: spec, dryRun: !!values['dry-run'], force: !!values.force, check: !values['no-check'], supplyChain: supplyChainFlags(values, root) });
  return report('render', result, values, io);
}

/** --repo DIR, else the current folder or the nearest parent holding platform.yaml. */
export function findRepo(explicit?: string): string {
  if (explicit) {
    const root = path.resolve(explicit);
    if (!existsSync(path.join(root, 'platform.yaml'))) throw new InputError(`${root} has no platform.yaml`, [{ path: '--repo', message: 'not a gitops-scaffold repository', fix: 'run gitops-scaffold init first, or point --repo at the folder holding platform.yaml' }]);
    return root;
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'platform.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new InputError('no platform.yaml in this folder or any parent', [{ path: '--repo', message: 'not inside a gitops-scaffold repository', fix: 'pass --repo DIR or run gitops-scaffold init' }]);
  }
}

/** `--sealed-secrets-cert FILE`: the controller's public certificate (kubeseal --fetch-cert). */
function supplyChainFlags(values: Record<string, any>, root: string) {
  const file = values['sealed-secrets-cert'];
  let certPem: string | undefined;
  if (file) {
    certPem = readText(file, 'Sealed Secrets certificate');
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(certPem))
      throw new InputError(`${file} is not a PEM certificate; nothing was written`, [{ path: '--sealed-secrets-cert', message: 'expected a PEM block "-----BEGIN CERTIFICATE-----"', fix: 'fetch it with: kubeseal --fetch-cert > sealed-secrets.pem' }]);
  }
  const sealValues = values['seal-values'] ? readSealValues(values['seal-values'], root, !!certPem || existsSync(path.join(root, CERT_PATH))) : undefined;
  if (!certPem && !sealValues) return undefined;
  return { sealedSecrets: { ...(certPem ? { certPem } : {}), ...(sealValues ? { values: sealValues } : {}) } };
}

/**
 * `--seal-values FILE`: plaintext credentials to seal, `{<secret>: {<key>: <value>}}`. The file must
 * live outside the repository (it must never be committed); only ciphertext reaches the repo.
 */
function readSealValues(file: string, root: string, haveCert: boolean): Record<string, Record<string, string>> {
  const abs = path.resolve(file);
  const rel = path.relative(root, abs);
  if (!rel.startsWith('..') && !path.isAbsolute(rel))
    throw new InputError('--seal-values points inside the repository; nothing was written', [{ path: '--seal-values', message: `${file} would sit next to its own ciphertext and could be committed`, fix: 'keep plaintext values outside the repository (e.g. a temp file you delete afterwards)' }]);
  if (!haveCert)
    throw new InputError('--seal-values needs the controller certificate; nothing was written', [{ path: '--sealed-secrets-cert', message: 'no certificate given and none kept in the repository', fix: 'pass --sealed-secrets-cert FILE (kubeseal --fetch-cert > sealed-secrets.pem)' }]);
  const data = parseAnswersText(readText(file, 'seal values file'), file);
  const problems = Object.entries(data).flatMap(([secret, keys]) =>
    keys && typeof keys === 'object' && !Array.isArray(keys) && Object.values(keys).every((v) => typeof v === 'string')
      ? []
      : [{ path: `--seal-values ${secret}`, message: 'expected a mapping of key to string value', fix: 'write e.g. ci-git-read: {username: bot, password: "..."} (quote values)' }],
  );
  if (problems.length) throw new InputError('--seal-values is not a mapping of secret -> key -> value; nothing was written', problems);
  return data as Record<string, Record<string, string>>;
}

function report(command: string, result: ReturnType<typeof run>, values: Record<string, any>, io: Io): number {
  const dryRun = !!values['dry-run'];
  if (values.json) io.stdout(JSON.stringify(asJson(command, result, dryRun), null, 2));
  else io.stdout(summarize(result, { dryRun }));
  return result.conflicts.length ? 1 : 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed as { values: Record<string, any>; positionals: string[] };
  if (values.version) return io.stdout(GENERATOR_VERSION), 0;
  const [command, ...rest] = positionals;
  if (values.help || !command) return (command ? io.stdout : io.stderr)(HELP), command ? 0 : 2;
  try {
    switch (command) {
      case 'init':
        return await init(values, io);
      case 'render':
        return await render(values, io);
      default: {
        const extra = await import('./commands/index.ts');
        const handled = await extra.dispatch(command, rest, values, io);
        if (handled !== undefined) return handled;
        io.stderr(`error: unknown command "${command}"\n\n${HELP}`);
        return 2;
      }
    }
  } catch (err) {
    if (err instanceof InputError || err instanceof ConflictError || err instanceof GeneratedOutputError) {
      if (values.json) io.stdout(JSON.stringify({ command, ok: false, error: err.name, message: err.message.split('\n')[0], problems: err instanceof InputError ? err.problems.map((p) => ({ ...p, text: formatProblem(p) })) : [] }, null, 2));
      io.stderr(`error: ${err.message}`);
      return err.exitCode;
    }
    if ((err as any)?.yamlError) {
      io.stderr(`error: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}
