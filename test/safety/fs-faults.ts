// A failing disk under one folder, for the no-stack-trace sweep (not a test file). The writer's
// own seam (io/faults.ts) covers only the steps of a write; a disk fails everywhere: when the
// lock is created, when platform.yaml or a manifest is read, when validate lists the tree, when
// `schemas export` writes. This wraps node:fs itself (sync, promises) for paths under `dir`, and
// re-exports the wrapped functions to ESM importers (syncBuiltinESMExports), so every module of
// the tool sees the fault, whichever way it imports node:fs. In-process tests only; undone by
// the returned function.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { errnoError } from '../../generators/io/faults.ts';

export type FaultKind = 'read' | 'write';

export interface DiskFault {
  /** Fail reads (open for reading, readFile, readdir, readlink) or writes (open for writing, write, mkdir, rename, unlink, rm, copy, chmod). */
  kind: FaultKind;
  code: string;
  /** Repository-relative paths spared (e.g. the lock and the journal, to fail later steps). */
  spare?: (rel: string) => boolean;
}

const SYNC: Record<string, FaultKind> = {
  readFileSync: 'read', readdirSync: 'read', opendirSync: 'read', readlinkSync: 'read',
  writeFileSync: 'write', appendFileSync: 'write', mkdirSync: 'write', mkdtempSync: 'write', renameSync: 'write', unlinkSync: 'write',
  rmdirSync: 'write', rmSync: 'write', copyFileSync: 'write', cpSync: 'write', linkSync: 'write', symlinkSync: 'write', chmodSync: 'write', truncateSync: 'write', utimesSync: 'write',
};
const PROMISES: Record<string, FaultKind> = {
  readFile: 'read', readdir: 'read', opendir: 'read', readlink: 'read',
  writeFile: 'write', appendFile: 'write', mkdir: 'write', mkdtemp: 'write', rename: 'write', unlink: 'write', rmdir: 'write', rm: 'write', copyFile: 'write', cp: 'write', chmod: 'write',
};

const isWriteFlag = (flags: unknown) =>
  typeof flags === 'number' ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) !== 0 : typeof flags === 'string' && /[wa+]/.test(flags);

const asPath = (p: unknown): string | undefined => (typeof p === 'string' ? p : Buffer.isBuffer(p) ? p.toString() : p instanceof URL && p.protocol === 'file:' ? p.pathname : undefined);

/** Installs the fault for paths under dir; returns how many calls failed so far and an undo. */
export function failDisk(dir: string, fault: DiskFault): { failures: () => number; restore: () => void } {
  const roots = [path.resolve(dir), fs.realpathSync(dir)];
  let failures = 0;
  const hit = (kind: FaultKind, args: unknown[], syscall: string) => {
    if (kind !== fault.kind) return;
    for (const a of args.slice(0, 2)) {
      const p = asPath(a);
      if (p === undefined) continue;
      const abs = path.resolve(p);
      const root = roots.find((r) => abs === r || abs.startsWith(`${r}${path.sep}`));
      if (root === undefined || fault.spare?.(path.relative(root, abs))) continue;
      failures++;
      throw errnoError(fault.code, abs, syscall);
    }
  };
  const saved: [object, string, unknown][] = [];
  const wrap = (target: any, name: string, kind: FaultKind | ((args: unknown[]) => FaultKind)) => {
    const original = target[name];
    if (typeof original !== 'function') return;
    saved.push([target, name, original]);
    target[name] = function (this: unknown, ...args: unknown[]) {
      hit(typeof kind === 'function' ? kind(args) : kind, name === 'renameSync' || name === 'rename' || name === 'copyFileSync' || name === 'copyFile' || name === 'linkSync' || name === 'cpSync' || name === 'cp' ? args : args.slice(0, 1), name.replace(/Sync$/, ''));
      return original.apply(this, args);
    };
  };
  for (const [name, kind] of Object.entries(SYNC)) wrap(fs, name, kind);
  wrap(fs, 'openSync', (args) => (isWriteFlag(args[1]) ? 'write' : 'read'));
  for (const [name, kind] of Object.entries(PROMISES)) wrap(fs.promises, name, kind);
  wrap(fs.promises, 'open', (args) => (isWriteFlag(args[1]) ? 'write' : 'read'));
  syncBuiltinESMExports();
  return {
    failures: () => failures,
    restore: () => {
      for (const [target, name, original] of saved.reverse()) (target as any)[name] = original;
      syncBuiltinESMExports();
    },
  };
}
