// Reading what people hand the tool: answers files, certificates, seal-values files, and the
// YAML inside them. Every command reads its input files here, so the limits hold everywhere:
// only regular files (a FIFO, /dev/zero or a folder is refused before it is read, never hangs),
// at most a few megabytes. The YAML inside is parsed by io/yaml-input.ts (aliases capped).

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../model/errors.ts';

/** Size caps in bytes: far above any real file of the kind, far below what hurts. */
export const INPUT_LIMITS = {
  answers: 4 * 1024 * 1024,
  model: 4 * 1024 * 1024,
  certificate: 64 * 1024,
  sealValues: 1024 * 1024,
  lintConfig: 1024 * 1024,
} as const;

const KIND: [(s: ReturnType<typeof fstatSync>) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isFIFO(), 'a named pipe (FIFO)'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];

const mb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${Math.ceil(n / 1024)} KB`);

/**
 * The text of an input file. `what` names it in messages ("answers file"), `flag` is where it
 * came from (`--answers`). InputError (exit 2) for a missing, unreadable, non-regular or
 * oversized file.
 */
export function readInputFile(file: string, what: string, flag: string, maxBytes: number): string {
  const fail = (message: string, fix: string) => new InputError(`cannot read ${what} ${file}; nothing was written`, [{ path: flag, message: `${file} ${message}`, fix }]);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('does not exist', 'check the path');
    if (code === 'EACCES' || code === 'EPERM') throw fail('is not readable (permission denied)', 'check its permissions (ls -l)');
    if (code === 'EISDIR') throw fail('is a folder', `pass the ${what} itself`);
    throw fail(`cannot be opened (${code})`, 'check the path');
  }
  try {
    const stat = fstatSync(fd);
    const odd = KIND.find(([is]) => is(stat));
    if (odd || !stat.isFile()) throw fail(`is ${odd ? odd[1] : 'not a regular file'}, not a regular file`, `write the ${what} to a regular file and pass that`);
    if (stat.size > maxBytes) throw fail(`is ${mb(stat.size)}, over the ${mb(maxBytes)} limit of ${flag}`, 'pass the right file (a real one is far smaller)');
    // Read at most one byte past the cap: a file growing while we read is refused too.
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 1)));
    let len = 0;
    for (let n; len < buf.length && (n = readSync(fd, buf, len, buf.length - len, null)) > 0; ) len += n;
    if (len > maxBytes) throw fail(`grew past ${mb(maxBytes)} while being read`, `pass a ${what} that is not being written to`);
    return buf.subarray(0, len).toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fail(`could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'check the file');
  } finally {
    closeSync(fd);
  }
}
