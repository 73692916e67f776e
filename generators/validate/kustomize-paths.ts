// Without a kustomize binary, the least a check can do: every local path a kustomization refers
// to exists. Remote bases are counted (they cannot be fetched offline), not failed. Pure.
import type { Finding } from '../check/finding.ts';
import { refOf } from './schema-layer.ts';
import type { RepoIndex } from './kustomize-refs.ts';

export interface KustomizePathResult {
  findings: Finding[];
  remoteRefs: number;
}

export function checkKustomizePaths(repo: RepoIndex): KustomizePathResult {
  const out: KustomizePathResult = { findings: [], remoteRefs: 0 };
  for (const k of repo.kustomizations.values()) {
    for (const ref of k.refs) {
      if (ref.remote) {
        out.remoteRefs++;
        continue;
      }
      const p = ref.resolved!;
      // resources/components/bases may name a folder; patches and data must be files.
      const exists = repo.files.has(p) || ((ref.role === 'resource' || ref.role === 'component') && repo.isDir(p));
      if (exists) continue;
      const where = ref.pointer.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
      out.findings.push({
        rule: 'kustomize/missing-path',
        severity: 'error',
        source: 'kustomize',
        file: k.resource.file,
        line: k.resource.lineOf?.(ref.pointer) ?? k.resource.line,
        path: ref.pointer,
        resource: { ...refOf(k.resource.obj), kind: k.resource.obj?.kind ?? 'Kustomization' },
        message: `${where}: "${ref.value}" does not exist (resolved to ${p || '.'}); kustomize build fails on it`,
        fix: `Fix the path in ${k.resource.file}, or add the missing ${ref.role === 'resource' || ref.role === 'component' ? 'file or folder' : 'file'}.`,
      });
    }
  }
  return out;
}
