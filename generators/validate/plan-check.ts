// The generator's pre-write check: the planned files, in memory, through parse + strict schemas +
// kustomize path checks + cross references. No I/O and no external tools.
import type { Finding } from '../check/finding.ts';
import type { ParsedResource, SourceFile } from '../check/resources.ts';
import type { RepoIndex } from './kustomize-refs.ts';
import { type CheckOptions, runPipeline } from './pipeline.ts';

export type PlannedCheckOptions = CheckOptions;

export function checkPlannedFiles(files: SourceFile[], opts: PlannedCheckOptions = {}): { resources: ParsedResource[]; findings: Finding[]; repo: RepoIndex } {
  const manifests = files.filter((f) => /\.(ya?ml|json)$/i.test(f.path));
  const { resources, findings, repo } = runPipeline(manifests, files.map((f) => f.path), opts);
  return { resources, findings, repo };
}
