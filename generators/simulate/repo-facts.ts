// What a unit of the simulation read of the repository, as facts a later run can check again:
// a file's content hash, whether a folder exists, which files a folder holds (directly or
// below), which file is a folder's kustomization. The inventory reader notes the facts each
// build reads (as keys only: nothing is hashed unless a cache keeps the unit); a cached unit is
// reused only while every fact it noted has the value it had (unit-memo.ts). Pure.
import { sha256 } from '../io/manifest.ts';
import type { RepoIndex } from '../validate/kustomize-refs.ts';

/** A fact's kind and argument: file hash, folder exists, folder listing, listing below, kustomization file. */
export type FactKey = readonly ['file' | 'dir' | 'ls' | 'lsr' | 'kz', string];
export type FactValue = string | boolean | null;

export const factId = (k: FactKey) => `${k[0]}\0${k[1]}`;

export class RepoFacts {
  private readonly shas = new Map<string, string | null>();

  /** `knownSha`: a file's sha256 when the caller knows it (the render does), else its text is hashed. */
  constructor(
    private readonly repo: RepoIndex,
    private readonly read: (p: string) => string | undefined,
    private readonly knownSha?: (p: string) => string | undefined,
  ) {}

  fileSha(p: string): string | null {
    let s = this.shas.get(p);
    if (s === undefined) {
      const known = this.repo.files.has(p) ? this.knownSha?.(p) : undefined;
      const text = known === undefined && this.repo.files.has(p) ? this.read(p) : undefined;
      s = known ?? (text === undefined ? null : sha256(text));
      this.shas.set(p, s);
    }
    return s;
  }

  value(k: FactKey): FactValue {
    const [kind, arg] = k;
    switch (kind) {
      case 'file':
        return this.fileSha(arg);
      case 'dir':
        return this.repo.isDir(arg);
      case 'kz':
        return this.repo.kustomizations.get(arg)?.resource.file ?? null;
      case 'ls':
        return sha256(this.repo.filesIn(arg).join('\0'));
      case 'lsr': {
        const prefix = arg ? `${arg}/` : '';
        return sha256([...this.repo.files].filter((f) => f.startsWith(prefix)).join('\0'));
      }
    }
  }
}
