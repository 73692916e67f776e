// What the handlers of init, render, add and remove share: finding the repository, reading the
// Sealed Secrets inputs, printing a run's result.

import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readInputFile } from '../../io/input.ts';
import { isInside, realPathOf } from '../../io/paths.ts';
import path from 'node:path';
import { InputError } from '../../model/errors.ts';
import { parseAnswersText } from '../../prompts/answers.ts';
import type { RunResult } from '../../pipeline.ts';
import { asJson, summarize } from '../../io/output.ts';
import { CERT_PATH } from '../../plan/supply-chain/sealed-secrets.ts';
import type { Io } from '../types.ts';

/** An input file (regular, size-capped: io/input.ts); `flag` names where it came from. */
export function readText(file: string, what: string, flag: string, maxBytes: number = INPUT_LIMITS.answers): string {
  return readInputFile(file, what, flag, maxBytes);
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
export function supplyChainFlags(values: Record<string, any>, root: string) {
  const file = values['sealed-secrets-cert'];
  let certPem: string | undefined;
  if (file) {
    certPem = readText(file, 'Sealed Secrets certificate', '--sealed-secrets-cert', INPUT_LIMITS.certificate);
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
  // Real paths on both sides: `--repo` through a symlink, or the file reached through one, is
  // still inside; a file named `..x.yaml` in the repository is inside too.
  if (isInside(realPathOf(root), realPathOf(file)))
    throw new InputError('--seal-values points inside the repository; nothing was written', [{ path: '--seal-values', message: `${file} would sit next to its own ciphertext and could be committed`, fix: 'keep plaintext values outside the repository (e.g. a temp file you delete afterwards)' }]);
  if (!haveCert)
    throw new InputError('--seal-values needs the controller certificate; nothing was written', [{ path: '--sealed-secrets-cert', message: 'no certificate given and none kept in the repository', fix: 'pass --sealed-secrets-cert FILE (kubeseal --fetch-cert > sealed-secrets.pem)' }]);
  const data = parseAnswersText(readText(file, 'seal values file', '--seal-values', INPUT_LIMITS.sealValues), file);
  const problems = Object.entries(data).flatMap(([secret, keys]) =>
    keys && typeof keys === 'object' && !Array.isArray(keys) && Object.values(keys).every((v) => typeof v === 'string')
      ? []
      : [{ path: `--seal-values ${secret}`, message: 'expected a mapping of key to string value', fix: 'write e.g. ci-git-read: {username: bot, password: "..."} (quote values)' }],
  );
  if (problems.length) throw new InputError('--seal-values is not a mapping of secret -> key -> value; nothing was written', problems);
  return data as Record<string, Record<string, string>>;
}

/** Prints a run (JSON or the human summary, then `after` when given); exit 1 on conflicts. */
export function report(command: string, result: RunResult, flags: Record<string, any>, io: Io, after?: string): number {
  const dryRun = !!flags['dry-run'];
  if (flags.json) io.stdout(JSON.stringify(asJson(command, result, dryRun), null, 2));
  else io.stdout([summarize(result, { dryRun, verbose: !!flags.verbose, color: io.color }), ...(after ? [after] : [])].join('\n'));
  return result.conflicts.length ? 1 : 0;
}
