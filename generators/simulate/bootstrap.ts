// The bootstrap, replayed: apply what the README's bootstrap commands apply, then let Argo CD
// reconcile the app-of-apps tree wave by wave, the way the pinned controllers do it:
// - an Application whose AppProject does not exist is not reconciled (controller getAppProj
//   fails: InvalidSpecError); an ApplicationSet's git generator fetches the template's project
//   before generating (applicationset/generators/git.go), and its generated Applications are
//   validated for project and destination (applicationset_controller.go validateGeneratedApplications);
// - a private repository cannot be read before its credentials exist;
// - a sync dry-runs every object first: a kind must be built in, its CRD installed, in the same
//   sync (gitops-engine sync_context.go hasCRDOfGroupKind), or SkipDryRunOnMissingResource set;
// - client-side apply stores the object in an annotation capped at 256 KiB unless ServerSideApply;
// - a namespaced object needs its namespace (or CreateNamespace=true for the destination's);
// - a multi-wave sync waits for the previous wave's health, and fails on a Degraded resource
//   (sync_context.go); an Application's health counts only when argocd-cm has the Lua health
//   check for argoproj.io/Application (Argo CD removed the built-in one in 1.8); an
//   ApplicationSet is Healthy as soon as ResourcesUpToDate (resource_customizations/argoproj.io/
//   ApplicationSet/health.lua), long before its Applications are;
// - auto-sync does not retry a revision whose sync failed (appcontroller autoSync), so a failed
//   wave stays failed even once what it lacked arrives.
// Every problem is reported where it is written; after a blocked wave the walk carries on as if
// it had passed, so one run lists every independent problem.
import type { Finding } from '../check/finding.ts';
import { ANNOTATIONS_SIZE_LIMIT, LAST_APPLIED_ANNOTATION } from '../model/components.ts';
import type { BootstrapCommand } from './bootstrap-commands.ts';
import { crdScopes, inventoryOfApp, type Placed } from './deployment.ts';
import { appFinding, describeApp, simFinding } from './findings.ts';
import { appliedBytes, surelyWithin, type DeployedObject, type Inventory } from './inventory.ts';
import { groupKind, isBuiltInGroup, isClusterScoped } from './kube.ts';
import { clusterOf, LOCAL_SERVER, producedSecret, repositoryCredentialOf, type ClusterRegistration } from './argo/secrets.ts';
import {
  carriesCredentials, clusterViews, credentialFor, expandAppSet, isOwnRepo, resolveDestination, sourcesOf, syncOptionsOf, useCacheKey,
  type AppRecord, type AppSetRecord, type RepoModel,
} from './model.ts';
import { appliesTo } from './prerequisites.ts';
import { applicationSetConditions, applicationSetHealth } from './argo/health.ts';
import { WalkState, type Outcome, type Provenance, type Step } from './walk-state.ts';
import { factId, repoFactsOf, type RepoFacts, type FactKey, type FactValue } from './repo-facts.ts';
import { factsOf } from './inventory.ts';
import { sha256 } from '../io/manifest.ts';
import type { ClusterView } from './appset/index.ts';

export type { Health, Outcome } from './walk-state.ts';

/**
 * Whether BootstrapWalk.remember could keep the key of this object: a key that starts with
 * `ServiceAccount|` has a group-kind starting with ServiceAccount; one that holds
 * `.external-secrets.io|` (no `|` before its end) has it inside the group-kind, the namespace or
 * the name. Spares building ~60,000 keys nobody keeps.
 */
function mayBeRemembered(o: DeployedObject, ns: string | undefined): boolean {
  const gk = groupKind(o.group, o.kind);
  return gk.startsWith('ServiceAccount') || gk.includes('.external-secrets.io') || (typeof ns === 'string' && ns.includes('.external-secrets.io')) || o.name.includes('.external-secrets.io');
}

/**
 * Whether record() can do anything with the object whatever its namespace, but for a namespace
 * that holds `.external-secrets.io` (mayBeRemembered): it defines a kind, is a namespace, an
 * AppProject, produces a Secret, or may be remembered.
 */
const RECORDED_KINDS = new Set(['Namespace', 'AppProject', 'Secret', 'ExternalSecret', 'SealedSecret']);
const recordMatters = (o: DeployedObject) => !!o.defines || RECORDED_KINDS.has(o.kind) || mayBeRemembered(o, o.namespace);

/** Objects healthOf can find anything but Healthy in (or act on): the others are Healthy at once. */
const healthMatters = (o: DeployedObject) =>
  (o.group === 'argoproj.io' && (o.kind === 'Application' || o.kind === 'ApplicationSet')) || (o.group === 'external-secrets.io' && (o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore' || o.kind === 'ExternalSecret'));

const objKey = (group: string, kind: string, ns: string | undefined, name: string) => `${groupKind(group, kind)}|${ns ?? ''}|${name}`;

export interface WalkResult {
  findings: Finding[];
  /** Applications the walk reached, with their outcome, in the order they were created. */
  reached: { app: AppRecord; outcome: Outcome }[];
  /** Objects the bootstrap commands apply, on the local cluster. */
  bootstrapPlaced: Placed[];
}

interface Visit {
  /** ApplicationSet whose health does not wait for this Application, when there is one above. */
  unawaited?: string;
  depth: number;
  /** Its ApplicationSet already reported the missing project / unregistered cluster. */
  assumeProject?: boolean;
  assumeCluster?: boolean;
}

const names = (apps: readonly AppRecord[]) => (apps.length > 3 ? `${apps.slice(0, 3).map((a) => a.name).join(', ')}, ...` : apps.map((a) => a.name).join(', '));

export class BootstrapWalk {
  private readonly state: WalkState;
  private readonly bootstrapPlaced: Placed[] = [];
  private readonly scopes: Map<string, string>;
  private readonly appHealthAssessed: boolean;
  private readonly appSetHealthWaits: boolean;
  private readonly privateRepo: boolean;
  /** What installs each kind on each cluster (`server|Kind.group`), for messages. */
  private readonly installers: Map<string, string>;

  constructor(private readonly model: RepoModel, placed: readonly Placed[]) {
    this.state = new WalkState({
      initCluster: (c, name) => {
        for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) c.namespaces.set(ns, { by: 'the cluster' });
        for (const p of model.prerequisites.items) {
          if (!appliesTo(p, { name, server: c.server })) continue;
          for (const d of p.crds) for (const k of d.kinds) c.crds.set(groupKind(d.group, k), { by: `prerequisite ${p.id}` });
          for (const ns of p.namespaces) c.namespaces.set(ns, { by: `prerequisite ${p.id}` });
        }
      },
      resolve: (registered, server, name) => resolveDestination(model, registered as ClusterRegistration[], { server, name }),
      views: (registered) => clusterViews(registered as ClusterRegistration[]),
      credentialFor,
      reachedApp: (name, appSet) => this.reachedApp(name, appSet),
    });
    this.scopes = crdScopes(placed.map((p) => p.obj));
    this.installers = new Map();
    for (const p of placed) if (p.obj.defines) this.installers.set(`${p.cluster}|${groupKind(p.obj.defines.group, p.obj.defines.kind)}`, p.by);
    const health = model.argocd.healthCustomizations;
    this.appHealthAssessed = health.has('argoproj.io_Application');
    // A custom ApplicationSet health check waits for the generated Applications only if it reads
    // their health from status.resources; the built-in one never does.
    const appSetLua = health.get('argoproj.io_ApplicationSet') ?? '';
    this.appSetHealthWaits = /status\.resources/.test(appSetLua) && /health/.test(appSetLua);
    this.privateRepo = !!model.repoUrl && model.repoCredentials.some((c) => carriesCredentials(c) && credentialFor([c], model.repoUrl!));
    for (const p of model.prerequisites.items) for (const url of p.repositoryCredentials) this.state.addCredential({ type: 'repo-creds', url });
    this.cluster(LOCAL_SERVER, 'in-cluster');
  }

  /** A cluster the walk acts on (made at first use, with what it comes with): its server. */
  private cluster(server: string, name = server): string {
    this.state.ensureCluster(server, name);
    return server;
  }

  /**
   * An object exists. The walk only ever asks for ServiceAccounts (pods, store providers) and
   * External Secrets objects (stores), so only keys that can be asked for are kept: a fleet
   * applies some 60,000 objects.
   */
  private remember(server: string, key: string, prov: Provenance) {
    if (key.startsWith('ServiceAccount|') || key.includes('.external-secrets.io|')) this.state.remember(server, key, prov);
  }

  /** A reached Application by name (and ApplicationSet), for a replayed unit's WalkResult.reached. */
  // By ApplicationSet name, then name (no key string per Application); a name with a NUL in it
  // (where `set\0name` keys could meet) is looked up the way the one-string key did, by a scan.
  private reachedByName?: Map<string, Map<string, AppRecord>>;
  private reachedApp(name: string, appSet: string | null): AppRecord | { name: string } {
    const set = appSet ?? '';
    if (set.includes('\0') || name.includes('\0')) {
      const k = `${set}\0${name}`;
      return this.model.applications.find((a) => `${a.appSet?.name ?? ''}\0${a.name}` === k) ?? { name };
    }
    if (!this.reachedByName) {
      this.reachedByName = new Map();
      for (const a of this.model.applications) {
        const s = a.appSet?.name ?? '';
        let names = this.reachedByName.get(s);
        if (!names) this.reachedByName.set(s, (names = new Map()));
        if (!names.has(a.name)) names.set(a.name, a);
      }
    }
    return this.reachedByName.get(set)?.get(name) ?? { name };
  }

  run(commands: readonly BootstrapCommand[]): WalkResult {
    const roots: AppRecord[] = [];
    // Argo CD itself: installed by the commands (its CRDs among what they apply), or assumed to
    // be running already in its namespace when they install none.
    const installsArgo = commands.some((c) => c.kind === 'apply' && c.paths.some((p) => this.objectsOfCommand(c, p).some((o) => o.defines?.kind === 'Application' && o.defines.group === 'argoproj.io')));
    if (!installsArgo) {
      const local = this.cluster(LOCAL_SERVER);
      this.state.setNamespace(local, this.model.argocd.namespace, { by: 'Argo CD (already running)' });
      for (const kind of ['Application', 'ApplicationSet', 'AppProject']) this.state.setCrd(local, groupKind('argoproj.io', kind), { by: 'Argo CD (already running)' });
    }
    // Secrets made by hand, by namespace/name: literals and labels merged over the commands, and the
    // object that stands for them from the bootstrap on (the latest command's).
    const handMade = new Map<string, { name: string; namespace: string; literals: Record<string, string>; labels: Record<string, string>; placed?: Placed }>();
    for (const cmd of commands) {
      if (cmd.kind === 'create-namespace' && cmd.namespace) this.state.setNamespace(this.cluster(LOCAL_SERVER), cmd.namespace, { by: cmd.text });
      if ((cmd.kind === 'create-secret' || cmd.kind === 'label-secret') && cmd.secret) {
        // A Secret made by hand: once labelled as Argo CD's, it registers a repository or cluster.
        const namespace = cmd.namespace ?? 'default';
        const key = `${namespace}/${cmd.secret.name}`;
        const s = handMade.get(key) ?? { name: cmd.secret.name, namespace, literals: {}, labels: {} };
        Object.assign(s.literals, cmd.secret.literals);
        Object.assign(s.labels, cmd.secret.labels);
        handMade.set(key, s);
        const obj = { apiVersion: 'v1', kind: 'Secret', metadata: { name: s.name, namespace, labels: s.labels }, stringData: s.literals };
        const secret: DeployedObject = { group: '', kind: 'Secret', name: s.name, namespace, obj, file: cmd.file, line: cmd.line, wave: 0, lastAppliedBytes: 0 };
        this.record(this.cluster(LOCAL_SERVER), secret, namespace, { by: `\`${cmd.text}\`` });
        s.placed = { obj: secret, by: `\`${cmd.text}\``, cluster: LOCAL_SERVER, namespace };
      }
      if (cmd.kind === 'repo-credentials') this.state.addCredential({ type: 'repo-creds', url: cmd.paths[0] });
      if (cmd.kind !== 'apply') continue;
      for (const p of cmd.paths) roots.push(...this.applyCommand(cmd, p));
    }
    // What references a hand-made Secret (argocd-cm's `$secret:key`) finds it, with its labels.
    for (const s of handMade.values()) if (s.placed) this.bootstrapPlaced.push(s.placed);
    for (const app of roots) this.reconcile(app, { depth: 0 });
    return { findings: this.state.findings, reached: this.state.reached as WalkResult['reached'], bootstrapPlaced: this.bootstrapPlaced };
  }

  /** kubectl apply of one path: every object applied at once, no waves, no health. */
  private applyCommand(cmd: BootstrapCommand, p: string): AppRecord[] {
    const inv = this.inventoryOfCommand(cmd, p);
    const objects = inv.objects;
    const local = this.cluster(LOCAL_SERVER);
    const at = { file: cmd.file, line: cmd.line };
    if (!objects.length && inv.type === 'missing') {
      this.state.addFinding(simFinding('bootstrap-command', 'error', at.file, undefined, `\`${cmd.text}\`: ${p} does not exist in this repository; the command fails`, 'Fix the path in the bootstrap instructions.', at.line));
      return [];
    }
    const roots: AppRecord[] = [];
    const failures: string[] = [];
    for (const o of objects) {
      const ns = this.namespaceOf(o, cmd.namespace ?? 'default');
      this.bootstrapPlaced.push({ obj: o, by: `\`${cmd.text}\``, cluster: LOCAL_SERVER, namespace: ns });
      if (!cmd.serverSide && this.overAnnotationLimit(o))
        failures.push(`${o.kind} ${o.name} is ${appliedBytes(o)} bytes, over the ${ANNOTATIONS_SIZE_LIMIT}-byte limit of the ${LAST_APPLIED_ANNOTATION} annotation client-side apply writes (metadata.annotations: Too long)`);
      else if (!this.kindKnown(local, o, objects)) failures.push(`${o.kind} ${o.name}: no matches for kind ${o.kind} in group ${o.group} (its CRD is not installed yet)`);
    }
    // kubectl applies what it can and fails on the rest. Once reported, the walk goes on as if the
    // command had been fixed, so what follows is checked on its own merits.
    for (const o of objects) this.record(local, o, this.namespaceOf(o, cmd.namespace ?? 'default'), { by: `\`${cmd.text}\`` });
    const tooLarge = failures.filter((f) => f.includes('Too long'));
    const unknownKinds = failures.filter((f) => !f.includes('Too long'));
    if (tooLarge.length)
      this.state.addFinding(simFinding('bootstrap-apply-too-large', 'error', at.file, undefined, `\`${cmd.text}\` fails: ${tooLarge.join('; ')}`, 'Bootstrap with `kubectl apply --server-side --force-conflicts`, as upstream documents for Argo CD.', at.line));
    if (unknownKinds.length)
      this.state.addFinding(simFinding('bootstrap-kind-not-installed', 'error', at.file, undefined, `\`${cmd.text}\` fails: ${unknownKinds.join('; ')}`, 'Apply the CRDs first, or leave those objects to an Application that syncs after their controller.', at.line));
    for (const o of objects) if (o.group === 'argoproj.io' && o.kind === 'Application' && o.obj) roots.push(this.recordOf(o));
    return roots;
  }

  private inventoryOfCommand(cmd: BootstrapCommand, p: string): Inventory {
    const dir = p.replace(/^\.\//, '').replace(/\/+$/, '');
    if (cmd.kustomize || this.model.input.repo.isDir(dir)) return this.model.inventory.ofPath(dir);
    return { objects: this.model.inventory.ofFile(dir), unmodelled: [], missing: [], type: this.model.input.repo.files.has(dir) ? 'directory' : 'missing' };
  }

  private objectsOfCommand(cmd: BootstrapCommand, p: string): DeployedObject[] {
    return this.inventoryOfCommand(cmd, p).objects;
  }

  /** Written Applications by file and name (the first of each, as a search in order finds). */
  private writtenApps?: Map<string, AppRecord>;
  private recordOf(o: DeployedObject): AppRecord {
    if (!this.writtenApps) {
      this.writtenApps = new Map();
      for (const a of this.model.applications) if (!a.appSet && !this.writtenApps.has(`${a.file}\0${a.name}`)) this.writtenApps.set(`${a.file}\0${a.name}`, a);
    }
    return (o.file === undefined ? undefined : this.writtenApps.get(`${o.file}\0${o.name}`)) ?? { name: o.name, namespace: o.namespace ?? this.model.argocd.namespace, manifest: o.obj, file: o.file ?? '', line: o.line, at: '' };
  }

  /** Client-side apply of the object fails: its last-applied annotation is over the limit. */
  private overAnnotationLimit(o: DeployedObject): boolean {
    return !surelyWithin(o, ANNOTATIONS_SIZE_LIMIT, this.model.input.read) && appliedBytes(o) > ANNOTATIONS_SIZE_LIMIT;
  }

  private namespaceOf(o: DeployedObject, destNs: string | undefined): string | undefined {
    return isClusterScoped(o.group, o.kind, this.scopes) ? undefined : (o.namespace ?? destNs);
  }

  private kindKnown(c: string, o: DeployedObject, sameSync: readonly DeployedObject[]): boolean {
    if (isBuiltInGroup(o.group)) return true;
    const gk = groupKind(o.group, o.kind);
    return !!this.state.crd(c, gk) || sameSync.some((x) => x.defines && groupKind(x.defines.group, x.defines.kind) === gk);
  }

  /** An object now exists on the cluster, with what it brings (CRD, namespace, project, cluster, credentials). */
  private record(c: string, o: DeployedObject, ns: string | undefined, prov: Provenance) {
    if (mayBeRemembered(o, ns)) this.remember(c, objKey(o.group, o.kind, ns, o.name), prov);
    if (o.defines) this.state.setCrd(c, groupKind(o.defines.group, o.defines.kind), prov);
    if (o.kind === 'Namespace' && o.group === '') this.state.setNamespace(c, o.name, prov);
    if (c !== LOCAL_SERVER) return;
    if (o.group === 'argoproj.io' && o.kind === 'AppProject' && ns === this.model.argocd.namespace) this.state.addProject(o.name);
    const s = producedSecret(o);
    if (!s || (s.namespace ?? ns) !== this.model.argocd.namespace) return;
    if (!this.secretMaterializes(c, s.producer, s.storeRef, ns)) return;
    this.remember(c, objKey('', 'Secret', ns, s.name), prov);
    const cl = clusterOf(s);
    if (cl && !('unreadable' in cl)) this.state.register(cl);
    const cred = repositoryCredentialOf(s);
    if (cred) this.state.addCredential(cred);
  }

  /** Whether a controller-rendered Secret comes to exist: its controller and store are there. */
  private secretMaterializes(c: string, producer: string, storeRef: { kind: string; name: string } | undefined, ns: string | undefined): boolean {
    if (producer === 'Secret') return true;
    if (producer === 'SealedSecret') return !!this.state.crd(c, 'SealedSecret.bitnami.com');
    if (!storeRef) return false;
    const key = objKey('external-secrets.io', storeRef.kind, storeRef.kind === 'SecretStore' ? ns : undefined, storeRef.name);
    return this.state.hasObject(c, key) && !this.state.unhealthyStore(`${c}|${key}`);
  }

  /** Reconcile one Application: checks before it syncs, then its sync wave by wave. */
  private reconcile(app: AppRecord, visit: Visit): Outcome {
    const known = this.state.outcome(app.name);
    if (known) return known;
    this.state.setOutcome(app.name, { health: 'Progressing', reason: 'reconciling' });
    const outcome = this.reconcileOnce(app, visit);
    this.state.setOutcome(app.name, outcome);
    this.state.reach(app, outcome);
    return outcome;
  }

  private reconcileOnce(app: AppRecord, visit: Visit): Outcome {
    const spec = app.manifest?.spec ?? {};
    const project = typeof spec.project === 'string' && spec.project ? spec.project : 'default';
    let blocked: Outcome | undefined;
    if (project !== 'default' && !this.state.hasProject(project) && !visit.assumeProject) {
      const later = this.model.projects.get(project);
      this.state.addFinding(appFinding(app, 'bootstrap-project-missing', 'error', '/spec/project', `${describeApp(app)}: AppProject ${project} does not exist when the Application is created${later ? ` (${later.file} creates it only later, through this very tree)` : ''}; Argo CD does not reconcile an Application whose project does not exist, so it never syncs and stays Progressing`, `Create AppProject ${project} before anything uses it: apply it with the bootstrap, or have the first Applications use a project that already exists.`));
      blocked = { health: 'Progressing', reason: `AppProject ${project} does not exist` };
    }
    if (this.privateRepo) for (const { pointer, source } of sourcesOf(spec)) {
      if (!isOwnRepo(this.model, source?.repoURL) || this.state.hasCredentialFor(source.repoURL)) continue;
      this.state.addFinding(appFinding(app, 'bootstrap-repo-credentials', 'error', `${pointer}/repoURL`, `${describeApp(app)}: ${source.repoURL} is private (the repository carries credentials for it), but no credentials are in Argo CD when this Application first reads it; the repo-server fails with "authentication required" (ComparisonError)`, 'Add a bootstrap step that puts the repository credentials into Argo CD before the root Application (argocd repocreds add, or a Secret applied with the bootstrap), or declare them in .gitops-scaffold/prerequisites.yaml (provides.repositoryCredentials).'));
      blocked ??= { health: 'Unknown', reason: 'the repository cannot be read' };
      this.state.addCredential({ type: 'repository', url: source.repoURL }); // reported once; carry on as if fixed
    }
    const dest = spec.destination ?? {};
    const cluster = this.state.resolveRegistered(dest) ?? (visit.assumeCluster ? resolveDestination(this.model, this.model.clusters, dest) : undefined);
    if (!cluster) {
      const later = resolveDestination(this.model, this.model.clusters, dest);
      if (!visit.assumeCluster) this.state.addFinding(appFinding(app, 'bootstrap-cluster-not-registered', 'error', `/spec/destination/${dest.server ? 'server' : 'name'}`, `${describeApp(app)}: destination ${dest.server ?? dest.name} is not registered with Argo CD when the Application is created${later ? ' (its registration comes only later in the bootstrap)' : ' (nothing in the repository registers it)'}; ${app.appSet ? 'the ApplicationSet reports "application destination spec is invalid" and goes Degraded' : 'Argo CD reports "cluster not found"'}`, 'Register the cluster before anything targets it, or have the generator skip clusters not registered yet.'));
      return blocked ?? { health: app.appSet ? 'Degraded' : 'Unknown', reason: `cluster ${dest.server ?? dest.name} is not registered` };
    }
    if (blocked) {
      // Not reconciled: nothing of it is applied. The walk goes on with what it would deploy so
      // the problems further down are reported too, but its outcome stays blocked.
      this.sync(app, cluster, visit);
      return blocked;
    }
    return this.sync(app, cluster, visit);
  }

  /**
   * What a sync does with one list of objects that does not depend on the cluster's state: waves,
   * each wave's objects in apply order, scopes, the kinds the list defines, annotations. Once per
   * list (an inventory is shared by the Applications of one source path: a fleet's overlay is
   * deployed to several clusters), per walk (the CRD scopes are the walk's).
   */
  private readonly plans = new WeakMap<readonly DeployedObject[], SyncPlan>();
  private planOf(objects: readonly DeployedObject[]): SyncPlan {
    let plan = this.plans.get(objects);
    if (plan) return plan;
    const defined = new Set<string>();
    for (const x of objects) if (x.defines) defined.add(groupKind(x.defines.group, x.defines.kind));
    const custom: SyncPlan['custom'] = [];
    const clusterScoped = new Set<DeployedObject>();
    const namespaceWave = new Map<string, number>();
    const byWave = new Map<number, DeployedObject[]>();
    const childWaves = new Set<number>();
    for (const o of objects) {
      if (!isBuiltInGroup(o.group)) custom.push({ o, gk: groupKind(o.group, o.kind), skipDryRun: annotationOption(o, 'SkipDryRunOnMissingResource=true') });
      if (isClusterScoped(o.group, o.kind, this.scopes)) clusterScoped.add(o);
      if (o.kind === 'Namespace' && o.group === '' && !(namespaceWave.get(o.name)! <= o.wave)) namespaceWave.set(o.name, o.wave);
      if (o.group === 'argoproj.io' && o.kind === 'Application') childWaves.add(o.wave);
      let list = byWave.get(o.wave);
      if (!list) byWave.set(o.wave, (list = []));
      list.push(o);
    }
    const waves = [...byWave.keys()].sort((a, b) => a - b).map((wave) => {
      const inWave = byWave.get(wave)!;
      // Apply: namespaces and CRDs first, as gitops-engine orders kinds within a wave (stable).
      // (ranks looked up once per object, not per comparison; the sort is stable either way)
      const ranked = inWave.map((o) => ({ o, rank: kindOrder(o) }));
      const ordered = ranked.sort((a, b) => a.rank - b.rank).map((x) => x.o);
      const namespaces = new Set<unknown>();
      let usesDestination = false;
      for (const o of inWave) {
        if (clusterScoped.has(o)) continue;
        if (o.namespace === undefined || o.namespace === null) usesDestination = true;
        else if (o.namespace) namespaces.add(o.namespace);
      }
      return { wave, inWave, ordered, recorded: ordered.filter(recordMatters), health: inWave.filter(healthMatters), namespaces, namespaceList: [...namespaces], usesDestination };
    });
    const customKinds = new Set(custom.map((x) => x.gk));
    plan = { custom, customKinds, customKindList: [...customKinds], defined, clusterScoped, namespaceWave, waves, childWaves: childWaves.size, hasChildAppsAfter: (wave) => objects.some((o) => o.wave > wave && o.kind === 'Application') };
    this.plans.set(objects, plan);
    return plan;
  }

  private sync(app: AppRecord, target: { name: string; server: string }, visit: Visit): Outcome {
    const spec = app.manifest?.spec ?? {};
    const options = syncOptionsOf(spec);
    const c = this.cluster(target.server, target.name);
    const destNs: string | undefined = spec.destination?.namespace;
    const inv = inventoryOfApp(this.model, app);
    this.noteInventory(inv);
    const objects = inv.objects;
    const plan = this.planOf(objects);
    const namespaceOf = (o: DeployedObject) => (plan.clusterScoped.has(o) ? undefined : (o.namespace ?? destNs));
    const skipDryRun = options.includes('SkipDryRunOnMissingResource=true');
    const serverSide = options.includes('ServerSideApply=true');
    const replace = options.includes('Replace=true');
    const unawaited = visit.unawaited;
    const prov: Provenance = { by: describeApp(app), unawaited };
    const failures: string[] = [];

    // Dry run of the whole sync (nothing to do when every kind is installed by what nothing waits for).
    // (notAwaited reports nothing for what `quietFor` holds.)
    const quietFor = (p: Provenance) => !p.unawaited || p.unawaited === app.appSet?.name || p.by === prov.by;
    const dryRunQuiet = plan.customKindList.every((gk) => { const p = this.state.crd(c, gk); return !!p && quietFor(p); });
    if (!dryRunQuiet) for (const { o, gk, skipDryRun: skipThis } of plan.custom) {
      const installed = this.state.crd(c, gk);
      if (installed) {
        if (installed.unawaited) this.notAwaited(app, o, installed, `the CRD of ${o.kind}`);
        continue;
      }
      if (skipDryRun || skipThis || plan.defined.has(gk)) continue;
      const installer = this.installers.get(`${target.server}|${gk}`);
      if (!installer) continue; // installed by nobody: a reference finding already says so
      failures.push(`${o.kind} ${o.name}`);
      this.state.addFinding(this.objectFinding(app, o, 'bootstrap-kind-not-installed', `${describeApp(app)}: ${o.kind} ${o.name} cannot be applied when it syncs: the CRD ${gk} is not installed on ${target.name} yet (${installer} installs it later), so the dry run fails ("the server could not find the requested resource") and the sync fails`, `Sync ${installer} first (an earlier sync wave that the parent waits for), or leave ${o.kind} to an Application that comes after it.`));
    }
    if (!serverSide && !replace) {
      const large = (plan.large ??= objects.filter((o) => !annotationOption(o, 'ServerSideApply=true') && this.overAnnotationLimit(o)));
      for (const o of large) failures.push(`${o.kind} ${o.name}`);
      if (large.length)
        this.state.addFinding(appFinding(app, 'apply-annotation-too-large', 'error', '/spec/syncPolicy/syncOptions', `${describeApp(app)}: ${large.map((o) => `${o.kind} ${o.name} is ${appliedBytes(o)} bytes`).join(', ')}; client-side apply writes each into the ${LAST_APPLIED_ANNOTATION} annotation, capped at ${ANNOTATIONS_SIZE_LIMIT} bytes, so the sync fails (metadata.annotations: Too long)`, 'Add ServerSideApply=true to the sync options.'));
    }

    // CreateNamespace=true: gitops-engine adds the destination namespace as a PreSync task of every
    // sync, whatever the Application deploys (gitops-engine/pkg/sync/sync_context.go
    // autoCreateNamespace), so it exists even when the source is a chart the simulation cannot read.
    const createNamespace = options.includes('CreateNamespace=true');
    if (destNs && createNamespace && !this.state.namespace(c, destNs)) this.state.setNamespace(c, destNs, prov);
    if (!this.appHealthAssessed && plan.childWaves > 1)
      this.state.addFinding(appFinding(app, 'app-health-not-assessed', 'warning', '', `${describeApp(app)}: its child Applications sit in ${plan.childWaves} sync waves, but argocd-cm has no health check for argoproj.io/Application (Argo CD removed the built-in one in 1.8), so each wave passes as soon as the Applications exist and the waves order nothing`, 'Add resource.customizations.health.argoproj.io_Application to argocd-cm (the Lua check from the Argo CD docs on sync waves in app of apps).'));
    let outcome: Outcome = failures.length ? { health: 'Missing', reason: `the sync failed (${failures.join(', ')})` } : { health: 'Healthy' };
    // A destination namespace that may make record() keep a key: the object-by-object path.
    const plainDestination = !(typeof destNs === 'string' && destNs.includes('.external-secrets.io'));
    for (const { wave, ordered, recorded, health, namespaceList, usesDestination } of plan.waves) {
      const waveProblems: string[] = [];
      // Every namespace the wave uses exists already, and notAwaited has nothing to say about who
      // made it: no object can miss its namespace or report one (namespaces are never removed,
      // and one this sync makes is its own), so only objects record() acts on are recorded.
      const ready = (ns: unknown) => { const p = this.state.namespace(c, ns as string); return !!p && quietFor(p); };
      const quiet = plainDestination && namespaceList.every(ready) && (!usesDestination || !destNs || ready(destNs));
      if (quiet) for (const o of recorded) this.record(c, o, namespaceOf(o), prov);
      else for (const o of ordered) {
        const ns = namespaceOf(o);
        if (ns && !this.state.namespace(c, ns)) {
          const created = createNamespace && ns === destNs;
          const inApp = plan.namespaceWave.get(ns)! <= wave;
          if (created) this.state.setNamespace(c, ns, prov);
          else if (!inApp) {
            waveProblems.push(`${o.kind} ${o.name}: namespace ${ns} does not exist`);
            this.state.addFinding(this.objectFinding(app, o, 'bootstrap-namespace-missing', `${describeApp(app)}: ${o.kind} ${o.name} goes to namespace ${ns} on ${target.name}, which does not exist when it syncs${ns === destNs ? ' and CreateNamespace=true is not set' : ''}; the apply fails (namespaces "${ns}" not found)`, ns === destNs ? 'Add CreateNamespace=true to the sync options, or create the namespace in an earlier wave.' : `Create namespace ${ns} in an earlier wave (or the same Application).`));
            this.state.setNamespace(c, ns, prov); // reported; carry on as if it existed
          }
        } else if (ns) {
          const made = this.state.namespace(c, ns)!;
          if (made.unawaited) this.notAwaited(app, o, made, `namespace ${ns}`);
        }
        this.record(c, o, ns, prov);
      }
      // Health of the wave.
      for (const o of health) {
        const h = this.healthOf(app, o, c, namespaceOf(o), visit);
        if (h.health !== 'Healthy') waveProblems.push(`${o.kind} ${o.name} is ${h.health}${h.reason ? ` (${h.reason})` : ''}`);
      }
      if (waveProblems.length && outcome.health === 'Healthy') {
        const rest = plan.waves.filter((w) => w.wave > wave).map((w) => w.wave);
        const degraded = waveProblems.some((p) => /is (Degraded|Missing)/.test(p) || /does not exist$/.test(p));
        outcome = { health: degraded ? 'Degraded' : 'Progressing', reason: `wave ${wave}: ${waveProblems[0]}` };
        if (rest.length && plan.hasChildAppsAfter(wave))
          this.state.addFinding(appFinding(app, 'bootstrap-wave-blocked', 'error', '', `${describeApp(app)}: its sync ${degraded ? 'fails' : 'waits forever'} at wave ${wave}: ${waveProblems.join('; ')}; waves ${rest.join(', ')} never sync${degraded ? ', and auto-sync does not retry a revision whose sync failed' : ''}`, 'Fix the cause reported for the object named here; the later waves depend on it.'));
      }
    }
    return outcome;
  }

  /** Health of one applied object, as the parent's wave sees it. */
  private healthOf(app: AppRecord, o: DeployedObject, c: string, ns: string | undefined, visit: Visit): Outcome {
    if (o.group === 'argoproj.io' && o.kind === 'Application' && o.obj && c === LOCAL_SERVER) {
      const child = this.recordOf(o);
      const outcome = this.reconcile(child, { unawaited: visit.unawaited, depth: visit.depth + 1 });
      // Without the Lua health check an Application has no health: the wave passes at once.
      return this.appHealthAssessed ? outcome : { health: 'Healthy' };
    }
    if (o.group === 'argoproj.io' && o.kind === 'ApplicationSet' && o.obj && c === LOCAL_SERVER) return this.applicationSet(app, o, visit);
    if (o.group === 'external-secrets.io' && (o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore') && o.obj) {
      const missing = serviceAccountRefs(o.obj.spec?.provider).filter((r) => !this.state.hasObject(c, objKey('', 'ServiceAccount', r.namespace ?? ns, r.name)));
      if (missing.length) {
        this.state.addUnhealthyStore(`${c}|${objKey(o.group, o.kind, o.kind === 'SecretStore' ? ns : undefined, o.name)}`);
        return { health: 'Degraded', reason: `ServiceAccount ${missing.map((m) => `${m.namespace ?? ns}/${m.name}`).join(', ')} not found, so the store is not Ready` };
      }
    }
    if (o.group === 'external-secrets.io' && o.kind === 'ExternalSecret' && o.obj) {
      const ref = o.obj.spec?.secretStoreRef;
      if (ref?.name && !this.secretMaterializes(c, 'ExternalSecret', { kind: ref.kind ?? 'SecretStore', name: ref.name }, ns))
        return { health: 'Degraded', reason: `${ref.kind ?? 'SecretStore'} ${ref.name} is missing or not Ready (SecretSyncedError)` };
    }
    return { health: 'Healthy' };
  }

  /** ApplicationSets by file and name (the first of each). */
  private appSetsByFile?: Map<string, AppSetRecord>;
  private appSetOf(file: string | undefined, name: string): AppSetRecord | undefined {
    if (!this.appSetsByFile) {
      this.appSetsByFile = new Map();
      for (const s of this.model.appSets) if (!this.appSetsByFile.has(`${s.file}\0${s.name}`)) this.appSetsByFile.set(`${s.file}\0${s.name}`, s);
    }
    return file === undefined ? undefined : this.appSetsByFile.get(`${file}\0${name}`);
  }

  // ---------------------------------------------------------------- units across runs

  /**
   * An ApplicationSet's subtree (the ApplicationSet's own checks and every Application it
   * creates, reconciled) is the walk's unit: with the simulation's cache (the pre-write check's
   * sim.jsonl), it is kept as what it read of the walk's state and did to it (walk-state.ts), with
   * the repository facts it read (repo-facts.ts: the inventories of its Applications, its
   * expansion), under a key of the walk's global facts (globalDigest) and the ApplicationSet's
   * file and place in the walk. A later run replays it when every fact and every read is the
   * same, so adding a service walks its tenant's ApplicationSet only.
   */
  private applicationSet(parent: AppRecord, o: DeployedObject, visit: Visit): Outcome {
    const cache = this.model.input.cache;
    if (!cache || o.file === undefined) return this.applicationSetOnce(parent, o, visit);
    const facts = this.repoFacts();
    const key = WALK_CACHE_PREFIX + sha256(JSON.stringify([this.globalDigest(), o.file, facts.fileSha(o.file), o.name, visit.unawaited ?? null, visit.depth, !!visit.assumeProject, !!visit.assumeCluster]));
    useCacheKey(cache, key);
    const known = cache.get(key);
    if (isUnitEntry(known) && known.facts.every(([k, a, v]) => this.factValue(k, a) === v) && this.state.replay(known.steps)) {
      for (const [k, a] of known.facts) this.noteFact(k, a);
      return known.outcome;
    }
    const sink: FactSink = { inventories: new Set(), keys: new Map() };
    this.sinks.push(sink);
    let run: { result: Outcome; steps: Step[] };
    try {
      this.noteFact('file', o.file);
      run = this.state.record(() => this.applicationSetOnce(parent, o, visit));
    } finally {
      this.sinks.splice(this.sinks.lastIndexOf(sink), 1);
    }
    const keys = new Map(sink.keys);
    for (const inv of sink.inventories) for (const f of factsOf(inv)) keys.set(factId(f), f as readonly [string, string]);
    const entry: UnitEntry = { facts: [...keys.values()].map(([k, a]) => [k, a, this.factValue(k, a)]), steps: run.steps, outcome: JSON.parse(JSON.stringify(run.result)) };
    cache.set(key, entry);
    return run.result;
  }

  private readonly sinks: FactSink[] = [];
  private noteFact(kind: string, arg: string) {
    for (const s of this.sinks) s.keys.set(`${kind}\0${arg}`, [kind, arg]);
  }
  private noteInventory(inv: Inventory) {
    for (const s of this.sinks) s.inventories.add(inv);
  }

  private facts?: RepoFacts;
  private repoFacts(): RepoFacts {
    return (this.facts ??= repoFactsOf(this.model.input));
  }

  /** A fact's value now: a repository fact, or (`x`) the sha of an ApplicationSet's expansion. */
  private factValue(kind: string, arg: string): FactValue {
    if (kind !== 'x') return this.repoFacts().value([kind as FactKey[0], arg]);
    const [file, name, views] = JSON.parse(arg) as [string, string, ClusterView[]];
    const s = this.appSetOf(file, name);
    return s ? (expandAppSet(this.model, s.resource, views).resultSha ?? null) : null;
  }

  /**
   * Everything of the model the walk reads besides the repository facts and its own state, in
   * one hash: Argo CD's configuration, the repository URL and whether it is private, the clusters
   * and projects the repository defines, the prerequisites, the CRD scopes and installers.
   */
  private digest?: string;
  private globalDigest(): string {
    const m = this.model;
    return (this.digest ??= sha256(JSON.stringify([
      m.argocd.namespace, m.argocd.cmdParams, [...m.argocd.healthCustomizations], m.argocd.inClusterEnabled, m.repoUrl ?? null, this.privateRepo,
      this.appHealthAssessed, this.appSetHealthWaits, clusterViews(m.clusters), [...m.projects].map(([n, r]) => [n, r.file]),
      m.prerequisites.items, [...this.scopes], [...this.installers], !!m.expand,
    ])));
  }

  private applicationSetOnce(parent: AppRecord, o: DeployedObject, visit: Visit): Outcome {
    const resource = this.appSetOf(o.file, o.name)?.resource;
    if (!resource || !this.model.expand) return { health: 'Healthy' };
    const project = resource.obj?.spec?.template?.spec?.project;
    const line = (p: string) => resource.lineOf?.(p) ?? resource.line;
    const problems: { message: string }[] = [];
    const usesGit = JSON.stringify(resource.obj?.spec?.generators ?? []).includes('"git"');
    if (usesGit && typeof project === 'string' && !project.includes('{{') && !this.state.hasProject(project)) {
      this.state.addFinding(simFinding('bootstrap-appset-project-missing', 'error', resource.file, '/spec/template/spec/project', `ApplicationSet ${o.name}: its git generator fetches AppProject ${project} before generating anything, and ${project} does not exist yet; the ApplicationSet reports "error getting project ${project}", creates no Application and goes Degraded`, `Create AppProject ${project} before the ApplicationSet (bootstrap it, or an earlier wave that the parent waits for).`, line('/spec/template/spec/project')));
      problems.push({ message: `error generating params from git: error getting project ${project}` });
    }
    // The clusters registered so far; the engine adds in-cluster as the cluster generator does.
    // Projects are not passed: the controller's project checks are made here, once per
    // ApplicationSet, and the walk goes on with every Application it would create.
    const views = clusterViews(this.state.registeredClusters() as ClusterRegistration[]);
    this.noteFact('x', JSON.stringify([resource.file, o.name, views]));
    const rec = expandAppSet(this.model, resource, views);
    problems.push(...rec.problems.filter((p) => (p.severity ?? 'error') === 'error').map((p) => ({ message: p.message })));
    const unawaited = this.appSetHealthWaits ? visit.unawaited : (visit.unawaited ?? rec.name);
    // applicationset_controller.go validateGeneratedApplications: an Application whose project or
    // destination cluster does not exist is not created, and the ApplicationSet reports it.
    const noProject = rec.applications.filter((a) => { const p = a.manifest?.spec?.project || 'default'; return p !== 'default' && !this.state.hasProject(p); });
    const noCluster = rec.applications.filter((a) => !this.state.resolveRegistered(a.manifest?.spec?.destination));
    if (noProject.length && !problems.length) {
      const missing = [...new Set(noProject.map((a) => a.manifest?.spec?.project))];
      this.state.addFinding(simFinding('bootstrap-project-missing', 'error', resource.file, '/spec/template/spec/project', `ApplicationSet ${o.name}: ${noProject.length} of its Applications (${names(noProject)}) reference AppProject ${missing.join(', ')}, which does not exist yet; the controller does not create them ("application references project ... which does not exist") and the ApplicationSet goes Degraded`, 'Create the AppProject before the ApplicationSet syncs.', line('/spec/template/spec/project')));
      problems.push({ message: `application references project ${missing[0]} which does not exist` });
    }
    if (noCluster.length) {
      const servers = [...new Set(noCluster.map((a) => a.manifest?.spec?.destination?.server ?? a.manifest?.spec?.destination?.name))];
      const later = servers.filter((srv) => resolveDestination(this.model, this.model.clusters, { server: srv }) || resolveDestination(this.model, this.model.clusters, { name: srv }));
      const dest = noCluster[0].manifest?.spec?.destination ?? {};
      const at = `/spec/template/spec/destination/${dest.server ? 'server' : 'name'}`;
      this.state.addFinding(simFinding('bootstrap-cluster-not-registered', 'error', resource.file, at, `ApplicationSet ${o.name}: ${noCluster.length} of its Applications (${names(noCluster)}) target ${servers.join(', ')}, not registered with Argo CD when the ApplicationSet syncs${later.length ? ` (${later.join(', ')} registered only later in the bootstrap)` : ' (nothing in the repository registers them)'}; the controller does not create them ("application destination spec is invalid") and the ApplicationSet goes Degraded`, 'Register the clusters before the ApplicationSet syncs, or generate Applications only for registered clusters (a cluster generator reads the registrations).', line(at)));
      problems.push({ message: `application destination spec is invalid: there are no clusters with this URL: ${servers[0]}` });
    }
    // Carry on as if fixed: every Application it would create is reconciled.
    const outcomes = rec.applications.map((a) => this.reconcile(a, { unawaited, depth: visit.depth + 1, assumeProject: true, assumeCluster: true }));
    const rollingSync = resource.obj?.spec?.strategy?.type === 'RollingSync' && this.model.argocd.cmdParams['applicationsetcontroller.enable.progressive.syncs'] === 'true';
    const builtIn = applicationSetHealth({ conditions: applicationSetConditions(problems, rollingSync && outcomes.some((x) => x.health !== 'Healthy')) });
    if (builtIn.status !== 'Healthy') return { health: builtIn.status === 'Degraded' ? 'Degraded' : 'Progressing', reason: builtIn.message };
    if (this.appSetHealthWaits) {
      const bad = outcomes.find((x) => x.health !== 'Healthy');
      if (bad) return { health: bad.health === 'Degraded' ? 'Degraded' : 'Progressing', reason: `an Application it generates is ${bad.health}` };
    }
    return { health: 'Healthy' };
  }

  /**
   * `app` relies on something created by an Application of an ApplicationSet whose health does
   * not wait for it: the parent's next wave started as soon as the ApplicationSet existed.
   */
  private notAwaited(app: AppRecord, o: DeployedObject, prov: Provenance, what: string) {
    if (!prov.unawaited || prov.unawaited === app.appSet?.name || prov.by === describeApp(app)) return;
    this.state.addFinding(this.objectFinding(app, o, 'bootstrap-wave-not-awaited', `${describeApp(app)}: ${o.kind} ${o.name} needs ${what}, created by ${prov.by}; ApplicationSet ${prov.unawaited} is Healthy as soon as its Applications exist, so the wave after it starts before ${what} is there and this sync fails on its first attempt (it converges only if retries outlast the install)`, `Make the parent wait for the install: a health check for ApplicationSets in argocd-cm that reads status.resources, or install ${what} from an Application the parent waits for.`));
  }

  private objectFinding(app: AppRecord, o: DeployedObject, rule: string, message: string, fix: string): Finding {
    if (o.file && o.file !== app.file) return simFinding(rule, 'error', o.file, o.pointer ?? '', message, fix, o.line);
    return appFinding(app, rule, 'error', '/spec/source', message, fix);
  }
}

export const WALK_CACHE_PREFIX = 'sim/walk/v1/';

/** A walked unit as the cache keeps it (see BootstrapWalk.applicationSet). */
interface UnitEntry {
  facts: [kind: string, arg: string, value: FactValue][];
  steps: Step[];
  outcome: Outcome;
}
const isUnitEntry = (v: unknown): v is UnitEntry =>
  !!v && typeof v === 'object' && Array.isArray((v as UnitEntry).facts) && Array.isArray((v as UnitEntry).steps) && !!(v as UnitEntry).outcome && typeof (v as UnitEntry).outcome.health === 'string' &&
  (v as UnitEntry).facts.every((f) => Array.isArray(f) && f.length === 3 && typeof f[0] === 'string' && typeof f[1] === 'string') && (v as UnitEntry).steps.every((s) => Array.isArray(s) && typeof s[0] === 'string');

interface FactSink {
  inventories: Set<Inventory>;
  keys: Map<string, readonly [string, string]>;
}

interface SyncPlan {
  /** Objects of groups the API server does not serve by itself: the dry run asks for their CRDs. */
  custom: { o: DeployedObject; gk: string; skipDryRun: boolean }[];
  /** Kinds the list's own CRDs define (the same sync installs them). */
  defined: Set<string>;
  clusterScoped: Set<DeployedObject>;
  /** Namespaces the list creates: the earliest wave of each. */
  namespaceWave: Map<string, number>;
  customKinds: Set<string>;
  /** The same, as a list (asked of every sync). */
  customKindList: string[];
  waves: {
    wave: number;
    inWave: DeployedObject[];
    ordered: DeployedObject[];
    /** Of `ordered`, what record() acts on (recordMatters). */
    recorded: DeployedObject[];
    /** Of `inWave`, what healthOf() may find unhealthy (healthMatters). */
    health: DeployedObject[];
    /** Explicit namespaces of its namespaced objects; whether some take the destination's. */
    namespaces: Set<unknown>;
    /** The same, as a list (asked of every sync). */
    namespaceList: unknown[];
    usesDestination: boolean;
  }[];
  /** Distinct waves of child Applications. */
  childWaves: number;
  hasChildAppsAfter(wave: number): boolean;
  /** Objects over the client-side apply annotation limit, once asked for. */
  large?: DeployedObject[];
}

const annotationOption = (o: DeployedObject, opt: string) => {
  const v = o.obj?.metadata?.annotations?.['argocd.argoproj.io/sync-options'];
  // (Most objects have none: '' splits into [''], which holds only the empty option.)
  if (v === undefined || v === null) return opt === '';
  return String(v).split(',').map((s) => s.trim()).includes(opt);
};

/** gitops-engine's kind order within a wave (sync_tasks.go kindOrder), first entries only. */
const KIND_ORDER = ['Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService'];
const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k, i]));
function kindOrder(o: DeployedObject): number {
  return KIND_RANK.get(o.kind) ?? KIND_ORDER.length;
}

function serviceAccountRefs(value: unknown, out: { name: string; namespace?: string }[] = []): { name: string; namespace?: string }[] {
  if (!value || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v) => serviceAccountRefs(v, out));
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'serviceAccountRef' && v && typeof (v as any).name === 'string') out.push({ name: (v as any).name, namespace: (v as any).namespace });
    else serviceAccountRefs(v, out);
  }
  return out;
}
