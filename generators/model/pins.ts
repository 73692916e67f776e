// The pins a repository is rendered with, as one value: every upstream release the generated files
// name (Argo projects, charts, CI images, the repo CI's actions and archives, plugins). A repo
// records the set it was rendered with (.gitops-scaffold/manifest.json) and every render uses the
// recorded set, so a newer tool never moves a pin by itself; `gitops-scaffold upgrade` moves the
// record to this tool's set (`TOOL_PINS`) and says what moved. Pure.

import { InputError } from './errors.ts';
import { ciImages, CURL_IMAGE, GATEWAY_API_PLUGIN, GENERATOR_VERSION, ksopsImage, pins, repoCiPins, type ImagePin } from './versions.ts';

export interface ReleasePin {
  version: string;
  repo: string;
}
export interface ChartPin extends ReleasePin {
  chart: string;
}
export interface ActionPin {
  action: string;
  sha: string;
  tag: string;
}
export interface ArchivePin {
  version: string;
  linuxAmd64Sha256: string;
}

export interface PinSet {
  argocd: ReleasePin;
  argoRollouts: ReleasePin;
  argoWorkflows: ReleasePin;
  argoEvents: ReleasePin;
  externalSecrets: ChartPin;
  sealedSecrets: ChartPin;
  policyController: ChartPin;
  /** NATS server of the JetStream EventBus. */
  eventBusJetStream: string;
  /** Images of the CI WorkflowTemplate, by step. */
  ciImages: Record<keyof typeof ciImages, ImagePin>;
  /** The generated repository's own GitHub Actions workflow. */
  repoCi: { checkout: ActionPin; setupNode: ActionPin; kustomize: ArchivePin; kubeconform: ArchivePin; helm: ArchivePin; node: string };
  gatewayApiPlugin: { name: string; version: string; location: string; sha256?: string };
  /** curl of the services' smoke tests. */
  curl: { image: string; tag: string };
  ksops: ImagePin;
}

const curlPin = () => {
  const at = CURL_IMAGE.lastIndexOf(':');
  return { image: CURL_IMAGE.slice(0, at), tag: CURL_IMAGE.slice(at + 1) };
};

/** This tool's pins: what `init` records and `upgrade` moves a repository to. */
export const TOOL_PINS: PinSet = Object.freeze({
  argocd: { ...pins.argocd },
  argoRollouts: { ...pins.argoRollouts },
  argoWorkflows: { ...pins.argoWorkflows },
  argoEvents: { ...pins.argoEvents },
  externalSecrets: { ...pins.externalSecrets },
  sealedSecrets: { ...pins.sealedSecrets },
  policyController: { ...pins.policyController },
  eventBusJetStream: pins.eventBusJetStream,
  ciImages: Object.fromEntries(Object.entries(ciImages).map(([k, v]) => [k, { ...v }])) as PinSet['ciImages'],
  repoCi: { ...repoCiPins },
  gatewayApiPlugin: { ...GATEWAY_API_PLUGIN },
  curl: curlPin(),
  ksops: { ...ksopsImage },
}) as PinSet;

// ---- one line per pin ------------------------------------------------------------------------

/** One pin, flattened: what people read in `upgrade` and what is compared. */
export interface PinEntry {
  /** Stable id: `argocd`, `ciImages.syft`, `repoCi.checkout`. */
  id: string;
  /** For people: `Argo CD`, `CI image syft`. */
  label: string;
  /** The version as it is compared (a tag or release). */
  version: string;
  /** Everything that pins it (tag and digest, SHA, checksum): a change here is a move even at one version. */
  exact: string;
  /** Where its release notes are. */
  notes: (from: string, to: string) => string[];
}

const gh = (repo: string, tag: string) => `https://github.com/${repo}/releases/tag/${encodeURIComponent(tag)}`;
const minor = (v: string) => /^v?(\d+)\.(\d+)/.exec(v)?.slice(1, 3).map(Number) as [number, number] | undefined;

/** Argo CD publishes one upgrade page per minor step (docs/operator-manual/upgrading/<from>-<to>.md). */
function argoCdNotes(from: string, to: string): string[] {
  const a = minor(from);
  const b = minor(to);
  const pages: string[] = [];
  if (a && b) {
    // Minor steps inside a major; 2.14 -> 3.0 is the bridge upstream documents between majors.
    let [maj, min] = a;
    for (let guard = 0; (maj < b[0] || (maj === b[0] && min < b[1])) && guard < 40; guard++) {
      const next: [number, number] = maj < b[0] ? (maj === 2 && min >= 14 ? [3, 0] : [maj, min + 1]) : [maj, min + 1];
      pages.push(`https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/${maj}.${min}-${next[0]}.${next[1]}/`);
      [maj, min] = next;
    }
  }
  return [...pages, gh('argoproj/argo-cd', to)];
}

/** Where an image's releases are, by registry path (the CI images and ksops). */
const IMAGE_RELEASES: Record<string, (tag: string) => string> = {
  'registry.k8s.io/kustomize/kustomize': (t) => gh('kubernetes-sigs/kustomize', `kustomize/${t}`),
  'docker.io/martizih/kaniko': (t) => gh('osscontainertools/kaniko', t),
  'docker.io/anchore/syft': (t) => gh('anchore/syft', t),
  'docker.io/anchore/grype': (t) => gh('anchore/grype', t),
  'ghcr.io/sigstore/cosign/cosign': (t) => gh('sigstore/cosign', t),
  'docker.io/library/node': (t) => `https://nodejs.org/en/blog/release/v${t.split('-')[0]}`,
  'docker.io/openpolicyagent/conftest': (t) => gh('open-policy-agent/conftest', t),
  'docker.io/viaductoss/ksops': (t) => gh('viaductoss/ksops', t),
  curlimages: (t) => gh('curl/curl-container', t),
};
const imageNotes = (image: string) => (_from: string, to: string) => {
  const f = IMAGE_RELEASES[image] ?? Object.entries(IMAGE_RELEASES).find(([k]) => image.startsWith(k))?.[1];
  return f ? [f(to)] : [];
};

export function pinEntries(p: PinSet): PinEntry[] {
  const release = (id: keyof PinSet, label: string, repo: string, tag = (v: string) => v, extra?: (from: string, to: string) => string[]) => {
    const pin = p[id] as ReleasePin;
    return { id, label, version: pin.version, exact: `${pin.version} ${pin.repo}`, notes: extra ?? ((_f: string, t: string) => [gh(repo, tag(t))]) };
  };
  const chart = (id: keyof PinSet, label: string, repo: string, tag: (v: string) => string) => {
    const pin = p[id] as ChartPin;
    return { id, label, version: pin.version, exact: `${pin.chart} ${pin.version} ${pin.repo}`, notes: (_f: string, t: string) => [gh(repo, tag(t))] };
  };
  const out: PinEntry[] = [
    release('argocd', 'Argo CD', 'argoproj/argo-cd', undefined, argoCdNotes),
    release('argoRollouts', 'Argo Rollouts', 'argoproj/argo-rollouts'),
    release('argoWorkflows', 'Argo Workflows', 'argoproj/argo-workflows', undefined, (_f, t) => ['https://argo-workflows.readthedocs.io/en/latest/upgrading/', gh('argoproj/argo-workflows', t)]),
    release('argoEvents', 'Argo Events', 'argoproj/argo-events'),
    chart('externalSecrets', 'External Secrets (chart)', 'external-secrets/external-secrets', (v) => `helm-chart-${v}`),
    chart('sealedSecrets', 'Sealed Secrets (chart)', 'bitnami-labs/sealed-secrets', (v) => `helm-v${v}`),
    chart('policyController', 'Sigstore policy-controller (chart)', 'sigstore/helm-charts', (v) => `policy-controller-${v}`),
    { id: 'eventBusJetStream', label: 'NATS JetStream (EventBus)', version: p.eventBusJetStream, exact: p.eventBusJetStream, notes: (_f, t) => [gh('nats-io/nats-server', `v${t}`)] },
  ];
  for (const [k, img] of Object.entries(p.ciImages)) out.push({ id: `ciImages.${k}`, label: `CI image ${k} (${img.image})`, version: img.tag, exact: `${img.image}:${img.tag}${img.digest ? `@${img.digest}` : ''}`, notes: imageNotes(img.image) });
  const { checkout, setupNode, kustomize, kubeconform, helm, node } = p.repoCi;
  for (const [k, a] of [['checkout', checkout], ['setupNode', setupNode]] as const) out.push({ id: `repoCi.${k}`, label: `repo CI action ${a.action}`, version: a.tag, exact: `${a.tag}@${a.sha}`, notes: (_f, t) => [gh(a.action, t)] });
  for (const [k, a, repo, tag] of [['kustomize', kustomize, 'kubernetes-sigs/kustomize', (v: string) => `kustomize/${v}`], ['kubeconform', kubeconform, 'yannh/kubeconform', (v: string) => v], ['helm', helm, 'helm/helm', (v: string) => v]] as const)
    out.push({ id: `repoCi.${k}`, label: `repo CI ${k}`, version: a.version, exact: `${a.version} sha256:${a.linuxAmd64Sha256}`, notes: (_f, t) => [gh(repo, tag(t))] });
  out.push({ id: 'repoCi.node', label: 'repo CI Node.js', version: node, exact: node, notes: () => ['https://nodejs.org/en/about/previous-releases'] });
  out.push({ id: 'gatewayApiPlugin', label: `Rollouts plugin ${p.gatewayApiPlugin.name}`, version: p.gatewayApiPlugin.version, exact: `${p.gatewayApiPlugin.version} ${p.gatewayApiPlugin.location} ${p.gatewayApiPlugin.sha256 ?? ''}`.trim(), notes: (_f, t) => [gh('argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi', t)] });
  out.push({ id: 'curl', label: `smoke-test image ${p.curl.image}`, version: p.curl.tag, exact: `${p.curl.image}:${p.curl.tag}`, notes: imageNotes('curlimages') });
  out.push({ id: 'ksops', label: `KSOPS image ${p.ksops.image}`, version: p.ksops.tag, exact: `${p.ksops.image}:${p.ksops.tag}${p.ksops.digest ? `@${p.ksops.digest}` : ''}`, notes: imageNotes(p.ksops.image) });
  return out;
}

// ---- versions --------------------------------------------------------------------------------

/**
 * Compares release versions and tags as people write them (`v3.5.1`, `2.17.9`, `24.11.1-bookworm`,
 * `1.0.0-rc.1`): numeric parts in order, a pre-release (`-rc.1`) before its release; a suffix that
 * is not a pre-release (`-bookworm`) is a variant and compares equal. Negative: a < b.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?/.exec(v.trim());
    if (!m) return { nums: [] as number[], pre: v };
    const pre = m[2] && /^(alpha|beta|rc|pre|dev)/i.test(m[2]) ? m[2] : undefined;
    return { nums: m[1].split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  if (!x.nums.length || !y.nums.length) return a === b ? 0 : a < b ? -1 : 1;
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (x.pre && !y.pre) return -1;
  if (!x.pre && y.pre) return 1;
  if (x.pre && y.pre) return x.pre.localeCompare(y.pre, 'en', { numeric: true });
  return 0;
}

const major = (v: string) => Number(/^v?(\d+)/.exec(v)?.[1] ?? NaN);

// ---- the record ------------------------------------------------------------------------------

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The recorded pins, completed: a record written by an older tool lacks what that tool did not
 * pin yet; those come from this tool (and are listed, they are new rather than moved). A record
 * that is not a pin set (edited into something else) is refused, naming the field.
 */
export function resolvePins(recorded: unknown, tool: PinSet = TOOL_PINS): { pins: PinSet; added: string[] } {
  if (recorded === undefined) return { pins: tool, added: [] };
  const bad = (at: string, message: string) =>
    new InputError(`.gitops-scaffold/manifest.json: pins${at ? `.${at}` : ''} is not what gitops-scaffold records; nothing was written`, [
      { path: `manifest.json pins${at ? `.${at}` : ''}`, message, fix: "restore the file from Git (git checkout -- .gitops-scaffold/manifest.json), or run gitops-scaffold upgrade to record this tool's pins" },
    ]);
  const added: string[] = [];
  const merge = (want: unknown, have: unknown, at: string): unknown => {
    if (have === undefined) {
      added.push(at);
      return want;
    }
    if (!isObj(want)) {
      if (typeof have !== typeof want) throw bad(at, `expected a ${typeof want}, found ${JSON.stringify(have)}`);
      return have;
    }
    if (!isObj(have)) throw bad(at, `expected an object, found ${JSON.stringify(have)}`);
    // A group (ciImages, repoCi) takes new members from the tool; a pin is taken as recorded.
    const isPin = PIN_FIELDS.some((f) => f in want);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(want)) {
      const child = `${at ? `${at}.` : ''}${k}`;
      if (!isPin) out[k] = merge(want[k], have[k], child);
      else if (k in have) out[k] = merge(want[k], have[k], child);
      else if (PIN_FIELDS.includes(k)) throw bad(child, 'missing: the pin is incomplete');
      // How the tool runs it (entrypoint, where the pin was read): this tool's words.
      else if (!OPTIONAL_PIN_FIELDS.includes(k)) out[k] = want[k];
    }
    if (isPin) for (const k of OPTIONAL_PIN_FIELDS) if (k in have && !(k in want)) out[k] = have[k];
    return out;
  };
  return { pins: merge(tool, recorded, '') as PinSet, added };
}

/** The fields that say which release a pin is: a record missing one is refused. */
const PIN_FIELDS = ['version', 'tag', 'image', 'repo', 'chart', 'action', 'sha', 'linuxAmd64Sha256', 'location'];
/** Fields a pin may go without (it is then pinned by tag or version alone): never filled in from the tool. */
const OPTIONAL_PIN_FIELDS = ['digest', 'sha256'];

/** A writing command on a repository rendered by a newer gitops-scaffold would downgrade it. */
export function assertNotNewer(recordedVersion: string | undefined, toolVersion = GENERATOR_VERSION): void {
  if (!recordedVersion || compareVersions(recordedVersion, toolVersion) <= 0) return;
  throw new InputError(`this repository was rendered by gitops-scaffold ${recordedVersion}, newer than this ${toolVersion}; nothing was written`, [
    { path: '.gitops-scaffold/manifest.json version', message: `rendering with ${toolVersion} would move its templates and pins back`, fix: `run gitops-scaffold ${recordedVersion} or newer (npx gitops-scaffold@${recordedVersion} ...), or upgrade the installed tool` },
  ]);
}

// ---- upgrade ---------------------------------------------------------------------------------

export interface PinMove {
  id: string;
  label: string;
  from: string;
  to: string;
  /** `up`: a newer release; `repin`: the same release pinned differently (digest, checksum, SHA); `added`: new in this tool. */
  kind: 'up' | 'repin' | 'added';
  notes: string[];
  /** A major Argo CD step: what changes, in a few lines. */
  major?: string[];
}

export interface UpgradePlan {
  from: { tool?: string; pins: PinSet };
  to: { tool: string; pins: PinSet };
  moves: PinMove[];
  /** Recorded pins newer than this tool's: kept (an upgrade never moves a pin back). */
  kept: { id: string; label: string; recorded: string; tool: string }[];
}

/** What Argo CD 2.x -> 3.x changes for a repository like this one (docs/operator-manual/upgrading/2.14-3.0.md). */
const ARGOCD_MAJOR: Record<number, string[]> = {
  3: [
    'RBAC: `update` / `delete` on an Application no longer cover its resources (grant `update/*`, `delete/*`); `logs, get` is enforced for everyone (the generated roles grant it)',
    'resource tracking by annotation is the default (was label): Argo CD re-annotates every resource on its next sync',
    '`resource.exclusions` gains upstream defaults (Endpoints, EndpointSlice, Lease, ...), extended by this repository\'s argocd-cm',
    'legacy repository configuration in argocd-cm is removed (use repository Secrets), ApplicationSet `applyNestedSelectors` is ignored (always on)',
    'status fields and `ignoreDifferences` updates no longer trigger syncs; Helm 3.17 templating changes may alter chart output',
  ],
};

/**
 * What `upgrade` does: move every pin to this tool's unless the record is newer (kept: never a
 * downgrade). Refuses a repository rendered by a newer tool. Pure.
 */
export function planUpgrade(recorded: { version?: string; pins?: unknown }, tool: { version: string; pins: PinSet } = { version: GENERATOR_VERSION, pins: TOOL_PINS }): UpgradePlan {
  assertNotNewer(recorded.version, tool.version);
  const { pins: from, added } = resolvePins(recorded.pins, tool.pins);
  const target = structuredClone(tool.pins) as PinSet;
  const before = new Map(pinEntries(from).map((e) => [e.id, e]));
  const moves: PinMove[] = [];
  const kept: UpgradePlan['kept'] = [];
  for (const e of pinEntries(tool.pins)) {
    const old = before.get(e.id)!;
    if (added.some((a) => a === e.id || e.id.startsWith(`${a}.`))) {
      if (recorded.pins !== undefined) moves.push({ id: e.id, label: e.label, from: '(not pinned)', to: e.version, kind: 'added', notes: e.notes(e.version, e.version) });
      continue;
    }
    if (old.exact === e.exact) continue;
    const cmp = compareVersions(old.version, e.version);
    if (cmp > 0) {
      kept.push({ id: e.id, label: e.label, recorded: old.version, tool: e.version });
      setPin(target, e.id, getPin(from, e.id));
      continue;
    }
    const move: PinMove = { id: e.id, label: e.label, from: old.version, to: e.version, kind: cmp < 0 ? 'up' : 'repin', notes: e.notes(old.version, e.version) };
    if (e.id === 'argocd' && major(e.version) > major(old.version)) move.major = ARGOCD_MAJOR[major(e.version)] ?? [`Argo CD ${major(e.version)} is a major release: read the upgrade notes above before merging, and review the pull request's argocd/install diff`];
    moves.push(move);
  }
  return { from: { tool: recorded.version, pins: from }, to: { tool: tool.version, pins: target }, moves, kept };
}

function getPin(p: PinSet, id: string): unknown {
  return id.split('.').reduce<any>((v, k) => v?.[k], p);
}
function setPin(p: PinSet, id: string, value: unknown): void {
  const keys = id.split('.');
  const last = keys.pop()!;
  (keys.reduce<any>((v, k) => v[k], p) as Record<string, unknown>)[last] = structuredClone(value);
}
