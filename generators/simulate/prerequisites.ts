// The cluster prerequisites a repository declares it assumes (`.gitops-scaffold/prerequisites.yaml`):
// what something other than the repository installs on its clusters. The simulation counts what
// they provide as present from the start; kinds used but installed by nobody and declared by
// nobody are findings. Format: /work/coord/status-sim.md and ARCHITECTURE.md ("Simulation").
import { parse } from 'yaml';
import type { Finding } from '../check/finding.ts';
import { globMatch } from './argo/glob.ts';

export const PREREQUISITES_PATH = '.gitops-scaffold/prerequisites.yaml';

/** Capabilities whose presence changes what the simulation allows. */
export const KNOWN_CAPABILITIES = {
  'istio-cni': 'Istio CNI node agent: injected sidecars need no NET_ADMIN/NET_RAW init container',
  'istio-ambient': 'Istio ambient mode: no sidecar is injected',
} as const;

export interface Prerequisite {
  id: string;
  description?: string;
  /** Cluster names or servers (globs); undefined: every cluster. */
  clusters?: string[];
  crds: { group: string; kinds: string[] }[];
  capabilities: string[];
  namespaces: string[];
  ingressClasses: string[];
  repositoryCredentials: string[];
  docs?: string;
}

export interface Prerequisites {
  file?: string;
  items: Prerequisite[];
  problems: Finding[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readPrerequisites(text: string | undefined): Prerequisites {
  if (text === undefined) return { items: [], problems: [] };
  const file = PREREQUISITES_PATH;
  const problem = (path: string, message: string, fix: string): Finding => ({ rule: 'sim/prerequisites-format', severity: 'error', source: 'simulate', file, path, message: `${path || 'document'}: ${message}`, fix });
  let doc: any;
  try {
    doc = parse(text);
  } catch (e) {
    return { file, items: [], problems: [problem('', `not valid YAML (${(e as Error).message.split('\n')[0]})`, 'Fix the YAML syntax.')] };
  }
  const problems: Finding[] = [];
  if (!doc || typeof doc !== 'object' || doc.kind !== 'ClusterPrerequisites' || !Array.isArray(doc.prerequisites)) {
    return { file, items: [], problems: [problem('', 'expected kind: ClusterPrerequisites with a list `prerequisites`', 'Write apiVersion: gitops-scaffold.dev/v1alpha1, kind: ClusterPrerequisites, prerequisites: [...].')] };
  }
  const items: Prerequisite[] = [];
  const seen = new Set<string>();
  doc.prerequisites.forEach((p: any, i: number) => {
    const at = `/prerequisites/${i}`;
    if (!p || typeof p !== 'object' || typeof p.id !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.id)) {
      problems.push(problem(`${at}/id`, 'each prerequisite needs an id, a lower-case DNS label', 'Give it an id such as istio or gateway-api-crds.'));
      return;
    }
    if (seen.has(p.id)) problems.push(problem(`${at}/id`, `duplicate id ${p.id}`, 'Use each id once.'));
    seen.add(p.id);
    const provides = p.provides && typeof p.provides === 'object' ? p.provides : {};
    const crds = (Array.isArray(provides.crds) ? provides.crds : []).flatMap((c: any, j: number) => {
      if (!c || typeof c.group !== 'string' || !Array.isArray(c.kinds)) {
        problems.push(problem(`${at}/provides/crds/${j}`, 'each CRD entry needs group and kinds', 'Write { group: networking.istio.io, kinds: [VirtualService] }.'));
        return [];
      }
      return [{ group: c.group, kinds: strings(c.kinds) }];
    });
    const capabilities = strings(provides.capabilities);
    for (const cap of capabilities)
      if (!(cap in KNOWN_CAPABILITIES))
        problems.push({ rule: 'sim/prerequisite-capability', severity: 'info', source: 'simulate', file, path: `${at}/provides/capabilities`, message: `${at}/provides/capabilities: "${cap}" is documentation only; the simulation knows ${Object.keys(KNOWN_CAPABILITIES).join(', ')}` });
    items.push({
      id: p.id,
      description: typeof p.description === 'string' ? p.description : undefined,
      clusters: Array.isArray(p.clusters) ? strings(p.clusters) : undefined,
      crds,
      capabilities,
      namespaces: strings(provides.namespaces),
      ingressClasses: strings(provides.ingressClasses),
      repositoryCredentials: strings(provides.repositoryCredentials),
      docs: typeof p.docs === 'string' ? p.docs : undefined,
    });
  });
  return { file, items, problems };
}

/** Whether a prerequisite applies to a cluster (by Argo CD name or server, globs). */
export const appliesTo = (p: Prerequisite, cluster: { name: string; server: string }) =>
  !p.clusters || p.clusters.some((c) => globMatch(c, cluster.name) || globMatch(c, cluster.server));
