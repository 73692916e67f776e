// The commands a person runs to bootstrap the repository, read from its README (the code blocks
// of a section whose heading says "bootstrap"; inline `code` only when there is no block) or,
// failing that, bootstrap/README.md. Only what the simulation can replay is modelled:
// `kubectl apply -k DIR | -f PATH` (with or without --server-side), `kubectl create namespace
// NAME`, `kubectl create secret generic NAME --from-literal=k=v` followed by `kubectl label
// secret NAME argocd.argoproj.io/secret-type=...` (a repository credential or cluster Secret made
// by hand), and `argocd repo add / repocreds add URL`. Commands chained with && or ; are split.

export interface BootstrapCommand {
  /** The command as written. */
  text: string;
  file: string;
  line: number;
  kind: 'apply' | 'create-namespace' | 'create-secret' | 'label-secret' | 'repo-credentials' | 'other';
  /** apply: -k (kustomize) or -f (files or folders). */
  kustomize?: boolean;
  paths: string[];
  serverSide: boolean;
  namespace?: string;
  /** create-secret: the Secret's name and literals; label-secret: the Secret's name and labels. */
  secret?: { name: string; literals: Record<string, string>; labels: Record<string, string> };
}

const FENCE = /^\s*(```|~~~)/;

function commandsIn(text: string, file: string, onlyBootstrapSection: boolean): BootstrapCommand[] {
  const lines = text.split('\n');
  const fenced: BootstrapCommand[] = [];
  const inline: BootstrapCommand[] = [];
  let inFence = false;
  let inSection = !onlyBootstrapSection;
  let sectionLevel = 0;
  lines.forEach((raw, i) => {
    const heading = /^(#{1,6})\s+(.*)$/.exec(raw);
    if (!inFence && heading && onlyBootstrapSection) {
      const level = heading[1].length;
      if (/bootstrap/i.test(heading[2])) {
        inSection = true;
        sectionLevel = level;
      } else if (inSection && level <= sectionLevel) inSection = false;
      return;
    }
    if (FENCE.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (!inSection) return;
    const candidates = inFence ? [raw] : [...raw.matchAll(/`([^`]+)`|\s{2}((?:kubectl|argocd) [^`]+?)(?=\s{2}|$)/g)].map((m) => m[1] ?? m[2]);
    for (const c of candidates)
      for (const part of c.replace(/\s+#.*$/, '').split(/\s*(?:&&|;)\s*/)) {
        const cmd = part.replace(/^\s*\$\s*/, '').trim();
        if (/^(kubectl|argocd)\s/.test(cmd)) (inFence ? fenced : inline).push(parseCommand(cmd, file, i + 1));
      }
  });
  return fenced.length ? fenced : inline;
}

/** kubectl's global flags that may stand before the verb (`kubectl -n argocd create ...`). */
const GLOBAL_WITH_VALUE = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server']);

export function parseCommand(text: string, file: string, line: number): BootstrapCommand {
  const all = text.split(/\s+/);
  let globalNamespace: string | undefined;
  const words: string[] = [all[0]];
  for (let i = 1; i < all.length; i++) {
    const w = all[i];
    if (all[0] === 'kubectl' && words.length === 1 && GLOBAL_WITH_VALUE.has(w)) {
      if (w === '-n' || w === '--namespace') globalNamespace = all[i + 1];
      i++;
      continue;
    }
    words.push(w);
  }
  const base: BootstrapCommand = { text, file, line, kind: 'other', paths: [], serverSide: false };
  const flag = (names: string[]) => {
    const values: string[] = [];
    words.forEach((w, i) => {
      for (const n of names) {
        if (w === n && words[i + 1]) values.push(words[i + 1]);
        else if (w.startsWith(`${n}=`)) values.push(w.slice(n.length + 1));
      }
    });
    return values;
  };
  const namespace = globalNamespace ?? flag(['-n', '--namespace'])[0];
  if (words[0] === 'kubectl' && words[1] === 'apply') {
    const k = flag(['-k', '--kustomize']);
    const f = flag(['-f', '--filename']);
    return { ...base, kind: 'apply', kustomize: k.length > 0, paths: k.length ? k : f, serverSide: words.some((w) => w === '--server-side' || w === '--server-side=true'), namespace };
  }
  if (words[0] === 'kubectl' && words[1] === 'create' && words[2] === 'secret' && words[4]) {
    const literals = Object.fromEntries(flag(['--from-literal']).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]).filter(([k]) => k));
    return { ...base, kind: 'create-secret', namespace, secret: { name: words[4], literals, labels: {} } };
  }
  if (words[0] === 'kubectl' && words[1] === 'label' && (words[2] === 'secret' || words[2] === 'secrets') && words[3]) {
    const labels = Object.fromEntries(words.slice(4).filter((w) => /^[^-=][^=]*=[^=]*$/.test(w)).map((w) => w.split('=') as [string, string]));
    return { ...base, kind: 'label-secret', namespace, secret: { name: words[3], literals: {}, labels } };
  }
  if (words[0] === 'kubectl' && words[1] === 'create' && (words[2] === 'namespace' || words[2] === 'ns') && words[3]) return { ...base, kind: 'create-namespace', paths: [], namespace: words[3] };
  if (words[0] === 'argocd' && (words[1] === 'repo' || words[1] === 'repocreds') && words[2] === 'add' && words[3]) return { ...base, kind: 'repo-credentials', paths: [words[3]] };
  return base;
}

/** The bootstrap commands, in order, and where they were read. */
export function readBootstrapCommands(read: (path: string) => string | undefined): { commands: BootstrapCommand[]; source?: string } {
  for (const [file, onlySection] of [['README.md', true], ['bootstrap/README.md', false]] as const) {
    const text = read(file);
    if (text === undefined) continue;
    const commands = commandsIn(text, file, onlySection);
    if (commands.length) return { commands, source: file };
  }
  return { commands: [] };
}
