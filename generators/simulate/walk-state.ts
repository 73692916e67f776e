// The bootstrap walk's state: what exists on each cluster (CRDs, namespaces, the objects the
// walk asks for), the AppProjects, clusters and repository credentials Argo CD knows, each
// Application's outcome, and the findings so far. The walk (bootstrap.ts) reads and writes it
// only through these methods, so a unit of the walk (one ApplicationSet's subtree) can be
// recorded as the reads it made (with what they returned) and the writes it did, in order, and
// replayed by a later run (unit-memo.ts): each read is asked again of the state as it is at that
// point of the replay and must return what it returned then, each write is done again; a read
// that differs undoes the replayed writes, and the unit is walked anew. What the replay does is
// then exactly what walking the unit would do. Values are JSON.
import type { Finding } from '../check/finding.ts';
import type { ClusterRegistration } from './argo/secrets.ts';

/** A cluster Argo CD knows, as the walk reads it (not the Secret that registers it). */
export type KnownCluster = Omit<ClusterRegistration, 'secret'>;

export interface Provenance {
  by: string;
  /** Set when what created it belongs to an ApplicationSet whose health does not wait for it. */
  unawaited?: string;
}

export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Unknown';

export interface Outcome {
  health: Health;
  /** Why it is not Healthy, in Argo CD's terms. */
  reason?: string;
}

export class ClusterState {
  readonly crds = new Map<string, Provenance>();
  readonly namespaces = new Map<string, Provenance>();
  readonly objects = new Map<string, Provenance>();
  constructor(readonly server: string) {}
}

/** One step of a unit: a read (op, args, what it returned) or a write (op, args). JSON. */
export type Step = readonly unknown[];

/** What the state needs from the walk to answer reads and make clusters (pure of the model). */
export interface WalkFacts {
  /** A new cluster's namespaces and CRDs (the cluster's own and the declared prerequisites'). */
  initCluster(c: ClusterState, name: string): void;
  /** resolveDestination over the registered clusters. */
  resolve(registered: readonly KnownCluster[], server: string | undefined, name: string | undefined): { name: string; server: string } | undefined;
  /** What an ApplicationSet's cluster generator sees of the registered clusters. */
  views(registered: readonly KnownCluster[]): unknown;
  /** credentialFor over the credentials Argo CD has. */
  credentialFor(creds: readonly { type: string; url: string }[], url: string): boolean;
  /** A reached Application by name and ApplicationSet (for WalkResult.reached on a replay). */
  reachedApp(name: string, appSet: string | null): unknown;
}

interface Recorder {
  steps: Step[];
  /** Reads already in `steps` whose answer no write has changed since (not noted twice). */
  seen: Set<string>;
}

type Undo = () => void;

const same = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));

export class WalkState {
  readonly clusters = new Map<string, ClusterState>();
  readonly projects = new Set<string>();
  readonly registered: KnownCluster[] = [];
  readonly creds: { type: string; url: string }[] = [];
  readonly findings: Finding[] = [];
  readonly outcomes = new Map<string, Outcome>();
  readonly reached: { app: unknown; outcome: Outcome }[] = [];
  readonly unhealthyStores = new Set<string>();
  private readonly recorders: Recorder[] = [];
  private undo: Undo[] | undefined;

  constructor(private readonly facts: WalkFacts) {}

  // ---------------------------------------------------------------- reads

  // Each read builds its id and arguments only while a unit is recorded (a cold walk of a fleet
  // asks ~100,000 of them with nothing recording).
  outcome(name: string): Outcome | undefined {
    const v = this.outcomes.get(name);
    return this.recorders.length ? this.noted(`o\0${name}`, ['o', name], v) : v;
  }
  hasProject(name: string): boolean {
    const v = this.projects.has(name);
    return this.recorders.length ? this.noted(`p\0${name}`, ['p', name], v) : v;
  }
  hasCredentialFor(url: string): boolean {
    const v = this.facts.credentialFor(this.creds, url);
    return this.recorders.length ? this.noted(`c\0${url}`, ['c', url], v) : v;
  }
  /** The registered cluster a destination resolves to (server and name as resolveDestination reads them). */
  resolveRegistered(dest: any): { name: string; server: string } | undefined {
    const server = typeof dest?.server === 'string' && dest.server ? dest.server : undefined;
    const name = typeof dest?.name === 'string' && dest.name ? dest.name : undefined;
    let byName = this.resolved.get(server);
    if (!byName) this.resolved.set(server, (byName = new Map()));
    let v = byName.get(name);
    if (v === undefined && !byName.has(name)) byName.set(name, (v = this.facts.resolve(this.registered, server, name)));
    return this.recorders.length ? this.noted(`d\0${server ?? ''}\0${name ?? ''}`, ['d', server ?? null, name ?? null], v) : v;
  }
  /**
   * resolveRegistered's answers by server, then name, while the registrations stay as they are
   * (every Application asks twice; a registration and its undo clear them).
   */
  private readonly resolved = new Map<string | undefined, Map<string | undefined, { name: string; server: string } | undefined>>();
  /** The registered clusters as a whole (what the cluster generator of an ApplicationSet sees). */
  registeredClusters(): readonly KnownCluster[] {
    if (this.recorders.length) this.noted('v', ['v'], this.facts.views(this.registered));
    return this.registered;
  }
  crd(server: string, gk: string): Provenance | undefined {
    const v = this.clusters.get(server)?.crds.get(gk);
    return this.recorders.length ? this.noted(`k\0${server}\0${gk}`, ['k', server, gk], v) : v;
  }
  namespace(server: string, ns: string): Provenance | undefined {
    const v = this.clusters.get(server)?.namespaces.get(ns);
    return this.recorders.length ? this.noted(`n\0${server}\0${ns}`, ['n', server, ns], v) : v;
  }
  hasObject(server: string, key: string): boolean {
    const v = !!this.clusters.get(server)?.objects.has(key);
    return this.recorders.length ? this.noted(`b\0${server}\0${key}`, ['b', server, key], v) : v;
  }
  unhealthyStore(key: string): boolean {
    const v = this.unhealthyStores.has(key);
    return this.recorders.length ? this.noted(`u\0${key}`, ['u', key], v) : v;
  }

  /** Evaluates a recorded read against the state as it is now. */
  private answer(step: Step): unknown {
    const [op, a, b] = step as [string, any, any];
    switch (op) {
      case 'o': return this.outcomes.get(a);
      case 'p': return this.projects.has(a);
      case 'c': return this.facts.credentialFor(this.creds, a);
      case 'd': return this.facts.resolve(this.registered, a ?? undefined, b ?? undefined);
      case 'v': return this.facts.views(this.registered);
      case 'k': return this.clusters.get(a)?.crds.get(b);
      case 'n': return this.clusters.get(a)?.namespaces.get(b);
      case 'b': return !!this.clusters.get(a)?.objects.has(b);
      case 'u': return this.unhealthyStores.has(a);
    }
    throw new Error(`unknown read ${op}`);
  }

  private noted<T>(id: string, args: unknown[], value: T): T {
    for (const r of this.recorders) {
      if (r.seen.has(id)) continue;
      r.seen.add(id);
      r.steps.push([...args, value === undefined ? null : JSON.parse(JSON.stringify(value))]);
    }
    return value;
  }

  // ---------------------------------------------------------------- writes

  /** A cluster Argo CD targets from now on (made once, with what it comes with). */
  ensureCluster(server: string, name: string): ClusterState {
    let c = this.clusters.get(server);
    if (this.recorders.length) this.wrote(['E', server, name], c ? [] : ['k', 'n', 'b'].map((op) => `${op}\0${server}\0`), true);
    if (!c) {
      c = new ClusterState(server);
      this.facts.initCluster(c, name);
      this.clusters.set(server, c);
      this.undo?.push(() => this.clusters.delete(server));
    }
    return c;
  }
  setOutcome(name: string, outcome: Outcome): void {
    if (this.recorders.length) this.wrote(['O', name, outcome], [`o\0${name}`]);
    const before = this.outcomes.get(name);
    this.outcomes.set(name, outcome);
    this.undo?.push(() => (before === undefined ? this.outcomes.delete(name) : this.outcomes.set(name, before)));
  }
  reach(app: { name: string; appSet?: { name: string } }, outcome: Outcome): void {
    if (this.recorders.length) this.wrote(['A', app.name, app.appSet?.name ?? null, outcome], []);
    this.reached.push({ app, outcome });
    this.undo?.push(() => this.reached.pop());
  }
  addProject(name: string): void {
    if (this.recorders.length) this.wrote(['P', name], [`p\0${name}`]);
    if (this.projects.has(name)) return;
    this.projects.add(name);
    this.undo?.push(() => this.projects.delete(name));
  }
  addCredential(cred: { type: string; url: string }): void {
    if (this.recorders.length) this.wrote(['C', cred], ['c\0'], true);
    this.creds.push(cred);
    this.undo?.push(() => this.creds.pop());
  }
  /** Registers a cluster unless one with its server is registered already. */
  register(registration: KnownCluster): void {
    const { name, server, labels, annotations, project } = registration;
    const cl: KnownCluster = { name, server, labels, annotations, ...(project !== undefined ? { project } : {}) };
    const fresh = !this.registered.some((r) => r.server === cl.server);
    if (this.recorders.length) this.wrote(['R', cl], fresh ? ['d\0', 'v'] : [], true);
    if (!fresh) return;
    this.registered.push(cl);
    this.resolved.clear();
    this.undo?.push(() => {
      this.registered.pop();
      this.resolved.clear();
    });
  }
  setCrd(server: string, gk: string, prov: Provenance): void {
    this.setIn('K', server, this.ensureExisting(server).crds, gk, prov);
  }
  setNamespace(server: string, ns: string, prov: Provenance): void {
    this.setIn('N', server, this.ensureExisting(server).namespaces, ns, prov);
  }
  remember(server: string, key: string, prov: Provenance): void {
    this.setIn('B', server, this.ensureExisting(server).objects, key, prov);
  }
  addUnhealthyStore(key: string): void {
    if (this.recorders.length) this.wrote(['U', key], [`u\0${key}`]);
    if (this.unhealthyStores.has(key)) return;
    this.unhealthyStores.add(key);
    this.undo?.push(() => this.unhealthyStores.delete(key));
  }
  addFinding(f: Finding): void {
    if (this.recorders.length) this.wrote(['F', f], []);
    this.findings.push(f);
    this.undo?.push(() => this.findings.pop());
  }

  private ensureExisting(server: string): ClusterState {
    const c = this.clusters.get(server);
    if (!c) throw new Error(`the walk writes to cluster ${server} before making it`);
    return c;
  }

  /** A write of a cluster's map: step [op, server, key, prov], the read it changes `op-lowercase\0server\0key`. */
  private setIn(op: 'K' | 'N' | 'B', server: string, map: Map<string, Provenance>, key: string, prov: Provenance) {
    if (this.recorders.length) this.wrote([op, server, key, prov], [`${op.toLowerCase()}\0${server}\0${key}`]);
    const before = map.get(key);
    map.set(key, prov);
    this.undo?.push(() => (before === undefined ? map.delete(key) : map.set(key, before)));
  }

  /**
   * Notes a write in every recording unit; the reads it may change are asked again if they
   * come up again (`prefixes`: every read whose id starts with one of them).
   */
  private wrote(step: Step, ids: readonly string[], prefixes = false) {
    for (const r of this.recorders) {
      r.steps.push(JSON.parse(JSON.stringify(step)));
      if (!ids.length) continue;
      if (!prefixes) for (const id of ids) r.seen.delete(id);
      else for (const id of [...r.seen]) if (ids.some((p) => id.startsWith(p))) r.seen.delete(id);
    }
  }

  private redo(step: Step): void {
    const [op, a, b, c] = step as [string, any, any, any];
    switch (op) {
      case 'E': return void this.ensureCluster(a, b);
      case 'O': return this.setOutcome(a, b);
      case 'A': return this.reach(this.facts.reachedApp(a, b) as { name: string; appSet?: { name: string } }, c);
      case 'P': return this.addProject(a);
      case 'C': return this.addCredential(a);
      case 'R': return this.register(a);
      case 'K': return this.setCrd(a, b, c);
      case 'N': return this.setNamespace(a, b, c);
      case 'B': return this.remember(a, b, c);
      case 'U': return this.addUnhealthyStore(a);
      case 'F': return this.addFinding(a);
    }
    throw new Error(`unknown write ${op}`);
  }

  // ---------------------------------------------------------------- units

  /** Runs `fn` noting its steps (nested recordings each note every step). */
  record<T>(fn: () => T): { result: T; steps: Step[] } {
    const r: Recorder = { steps: [], seen: new Set() };
    this.recorders.push(r);
    try {
      return { result: fn(), steps: r.steps };
    } finally {
      this.recorders.splice(this.recorders.lastIndexOf(r), 1);
    }
  }

  /**
   * Replays a recorded unit: true when every read answered as recorded (its writes are then
   * done, and its steps noted in the units recording around it), false with the state as it was
   * (and nothing noted).
   */
  replay(steps: readonly Step[]): boolean {
    const outer = this.undo;
    const recorders = this.recorders.splice(0);
    const undo: Undo[] = [];
    this.undo = undo;
    let ok = true;
    try {
      for (const step of steps) {
        const op = step[0] as string;
        if (op.length === 1 && op >= 'a' && op <= 'z') {
          const now = this.answer(step);
          if (!same(now === undefined ? null : now, step[step.length - 1])) {
            ok = false;
            break;
          }
        } else this.redo(step);
      }
    } catch {
      ok = false;
    } finally {
      this.undo = outer;
      this.recorders.push(...recorders);
    }
    if (!ok) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
      return false;
    }
    outer?.push(...undo);
    // The units around it did what the replayed one did (its reads noted again afterwards).
    for (const r of this.recorders) {
      r.steps.push(...steps);
      r.seen.clear();
    }
    return true;
  }
}

