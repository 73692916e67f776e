// The commands a person runs to bootstrap the repository, read from its README (the code blocks
// of a section whose heading says "bootstrap") or, failing that, bootstrap/README.md. Only what
// the simulation can replay is modelled: `kubectl apply -k DIR | -f PATH` (with or without
// --server-side), `kubectl create namespace NAME`, and `argocd repo add / repocreds add URL`
// (repository credentials put in before the root app reads the repository).

export interface BootstrapCommand {
  /** The command as written. */
  text: string;
  file: string;
  line: number;
  kind: 'apply' | 'create-namespace' | 'repo-credentials' | 'other';
  /** apply: -k (kustomize) or -f (files or folders). */
  kustomize?: boolean;
  paths: string[];
  serverSide: boolean;
  namespace?: string;
}

const FENCE = /^\s*(```|~~~)/;

function commandsIn(text: string, file: string, onlyBootstrapSection: boolean): BootstrapCommand[] {
  const lines = text.split('\n');
  const out: BootstrapCommand[] = [];
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
    for (const c of candidates) {
      const cmd = c.replace(/\s+#.*$/, '').replace(/^\s*\$\s*/, '').trim();
      if (/^(kubectl|argocd)\s/.test(cmd)) out.push(parseCommand(cmd, file, i + 1));
    }
  });
  return out;
}

export function parseCommand(text: string, file: string, line: number): BootstrapCommand {
  const words = text.split(/\s+/);
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
  if (words[0] === 'kubectl' && words[1] === 'apply') {
    const k = flag(['-k', '--kustomize']);
    const f = flag(['-f', '--filename']);
    return { ...base, kind: 'apply', kustomize: k.length > 0, paths: k.length ? k : f, serverSide: words.some((w) => w === '--server-side' || w === '--server-side=true'), namespace: flag(['-n', '--namespace'])[0] };
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
