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

const perInput = new WeakMap<object, RepoFacts>();
/** One RepoFacts per simulation input (the walk's units and the Application units ask alike). */
export function repoFactsOf(input: { repo: RepoIndex; read(p: string): string | undefined; sha?(p: string): string | undefined }): RepoFacts {
  let f = perInput.get(input);
  if (!f) perInput.set(input, (f = new RepoFacts(input.repo, (p) => input.read(p), input.sha ? (p) => input.sha!(p) : undefined)));
  return f;
}

export class RepoFacts {
  private readonly shas = new Map<string, string | null>();
  private readonly listings = new Map<string, string>();

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
      case 'lsr': {
        const id = `${kind}\0${arg}`;
        let v = this.listings.get(id);
        if (v === undefined) {
          const prefix = arg ? `${arg}/` : '';
          this.listings.set(id, (v = sha256((kind === 'ls' ? this.repo.filesIn(arg) : [...this.repo.files].filter((f) => f.startsWith(prefix))).join('\0'))));
        }
        return v;
      }
    }
  }
}
