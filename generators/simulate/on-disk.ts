// The command edge of the simulation: reads files of a repository on disk for it (README.md,
// generator inputs, the prerequisites declaration). The simulation itself stays pure.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../check/resources.ts';
import type { PipelineResult } from '../validate/pipeline.ts';
import { isArgoRepository, simulateRepository, type Simulation } from './index.ts';
import { defaultExpander } from './expander.ts';

/**
 * Reads files of the repository, each once per reader (one simulation): git generators read the
 * same cluster files for every parameter set of a matrix, and the repository does not change
 * while it is simulated.
 */
export function diskReader(root: string): (p: string) => string | undefined {
  const base = path.resolve(root);
  const read = new Map<string, string | undefined>();
  return (p) => {
    const abs = path.resolve(base, p);
    if (abs !== base && !abs.startsWith(base + path.sep)) return undefined;
    if (read.has(abs)) return read.get(abs);
    let text: string | undefined;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      text = undefined;
    }
    read.set(abs, text);
    return text;
  };
}

/**
 * `validate --simulate`: the simulation over what validate parsed, or why it did not run.
 * `texts`: files validate has already read (its manifest candidates: generator files among
 * them), used instead of reading them again.
 */
export function simulateValidated(result: Pick<PipelineResult, 'resources' | 'repo'>, root: string, repoUrl?: string, texts?: readonly SourceFile[]): { ran: boolean; note?: string; findings: Simulation['findings']; simulation?: Simulation } {
  if (!isArgoRepository(result)) return { ran: false, note: 'no Argo CD Application, ApplicationSet or AppProject here', findings: [] };
  const fromDisk = diskReader(root);
  const known = new Map((texts ?? []).map((f) => [f.path, f.content]));
  const read = (p: string) => known.get(p) ?? fromDisk(p);
  const simulation = simulateRepository({ resources: result.resources, repo: result.repo, read, repoUrl, expand: defaultExpander() });
  const apps = simulation.model.applications.length;
  return { ran: true, note: `${apps} Applications (${simulation.model.appSets.length} ApplicationSets expanded), bootstrap ${simulation.commands.length ? `replayed from ${simulation.commands[0].file}` : 'not found'}`, findings: simulation.findings, simulation };
}
