// Decides, file by file, what a run does to the repository: pure (state in, plan out), so
// --dry-run, --json and the real write share one computation and a test drives every case
// without a disk.
//
// The manifest records, per file, the hash of what the tool last wrote, and the model that
// rendered it (io/manifest.ts). A managed file whose disk text differs from its recorded hash
// was edited by hand. Then:
//   - the new render equals the recorded one: the run does not change the file; the edit stays;
//   - the render changed: merged three ways, base = the render of the recorded model (proved by
//     the recorded hash), ours = the disk, theirs = the new render; overlapping edits, a missing
//     base, or a security-relevant file (AppProject, RBAC, NetworkPolicy, cluster
//     registration, Argo CD config) are a conflict: the file stays, a proposal is written beside
//     it, the run exits 1. A model change is never silently not applied.
//   - --force overwrites (and deletes) hand-edited and foreign files, keeping a backup whose name
//     never overwrites an earlier one.
// A conflict is resolved by moving the proposal over the file, or by merging by hand and
// deleting the proposal; the manifest's conflict record recognises both.

import { merge } from 'node-diff3';
import type { RenderedFile } from '../plan/types.ts';
import { MANIFEST_PATH, PROPOSAL_SUFFIX, newManifest, serializeManifest, sha256, type ConflictRecord, type Manifest, type ManifestEntry } from './manifest.ts';
import type { DiskFile } from './repo-state.ts';
import type { PutFile, WritePlan } from './writer.ts';

export { MANIFEST_PATH, PROPOSAL_SUFFIX, sha256, type Manifest };

export type ChangeKind = 'create' | 'recreate' | 'update' | 'merge' | 'delete' | 'unchanged' | 'kept-edit' | 'kept-seed' | 'conflict' | 'overwrite-foreign' | 'overwrite-edit';

export interface Change {
  path: string;
  kind: ChangeKind;
  /** Content to write (create, recreate, update, merge, overwrite-*), or the proposal of a conflict. */
  content?: string;
  /** Hash to record in the manifest for this path (absent: drop it from the manifest). */
  recordHash?: string;
  owner?: string;
  reason?: string;
  /** The file as this run read it (diffs show it; nothing re-reads the disk). */
  before?: string;
  /** --force: where the replaced or deleted text is kept. */
  backup?: string;
  /** Conflict: where the proposal goes (absent when a person's edited proposal is kept). */
  proposal?: string;
  /** Conflict: what the manifest remembers to recognise the resolution. */
  conflict?: ConflictRecord;
}

export interface ChangeInput {
  rendered: RenderedFile[];
  /** Disk text of every read path (io/repo-state.ts readFiles). */
  files: ReadonlyMap<string, DiskFile>;
  /** Names in each folder of a read path ('' = the root). */
  names: ReadonlyMap<string, ReadonlySet<string>>;
  manifest?: Manifest;
  /** The current manifest file, for the journal (its hash) and its mode. */
  manifestFile?: DiskFile;
  /** The render of the recorded model, by path; asked only when a hand-edited file's render changed. */
  base: () => ReadonlyMap<string, string> | undefined;
  /** The model this run renders: recorded as the next merge base. */
  model: unknown;
  /** The pins this run renders with: recorded beside the model. */
  pins: unknown;
}

export interface ChangeOptions {
  /** Overwrite hand-edited or foreign files, delete hand-edited ones (a backup is kept). */
  force: boolean;
  /** init: a platform.yaml the manifest does not know is a foreign file like any other. */
  foreignModel?: boolean;
}

export interface ChangePlan {
  changes: Change[];
  manifest: Manifest;
  /** What the writer does; empty (and `noop`) when the repository already matches. */
  writes: WritePlan;
  noop: boolean;
}

/** Kinds that write the file itself. */
export const WRITES: ReadonlySet<ChangeKind> = new Set(['create', 'recreate', 'update', 'merge', 'overwrite-foreign', 'overwrite-edit']);
export const isNoop = (changes: Change[]) => changes.every((c) => !WRITES.has(c.kind) && c.kind !== 'delete' && c.kind !== 'conflict');

const SECURITY_KINDS = /^kind:\s*"?(AppProject|Role|ClusterRole|RoleBinding|ClusterRoleBinding|NetworkPolicy|AuthorizationPolicy|PeerAuthentication|RequestAuthentication|ClusterImagePolicy|ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding)"?\s*$/m;
const SECURITY_MARKS = /argocd\.argoproj\.io\/secret-type:\s*"?cluster"?|^\s*name:\s*"?argocd-(rbac-cm|cm)"?\s*$/m;

/**
 * Files whose silent three-way merge could grant access nobody reviewed: AppProjects, RBAC,
 * NetworkPolicies and mesh policies, admission policies, cluster registrations, Argo CD's own
 * config and RBAC ConfigMaps. A hand edit meeting a render change there is always a conflict.
 */
export function isSecurityRelevant(...texts: (string | undefined)[]): boolean {
  return texts.some((t) => t !== undefined && (SECURITY_KINDS.test(t) || SECURITY_MARKS.test(t)));
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

interface Effective {
  /** The hash the tool stands behind for this file now. */
  recorded?: string;
  /** A conflict still open (the file unchanged since it was reported, its proposal still there). */
  open?: ConflictRecord;
  /** A person edited our proposal: it is never overwritten. */
  editedProposal?: boolean;
  note?: string;
}

function effective(path: string, entry: ManifestEntry | undefined, disk: DiskFile | undefined, files: ReadonlyMap<string, DiskFile>): Effective {
  if (!entry) return {};
  const c = entry.conflict;
  if (!c) return { recorded: entry.sha256 };
  const proposal = files.get(path + PROPOSAL_SUFFIX);
  const ours = proposal && proposal.sha256 === c.proposal ? proposal : undefined;
  if (disk && disk.sha256 === c.proposal) return { recorded: c.base, note: 'conflict resolved (proposal taken)' };
  if (!disk) return { recorded: c.foreign ? undefined : entry.sha256 };
  if (!c.foreign && disk.sha256 === entry.sha256) return { recorded: entry.sha256, note: 'conflict resolved (hand edit dropped)' };
  if (disk.sha256 !== c.disk && !proposal) return { recorded: c.base, note: 'conflict resolved (merged by hand)' };
  return { recorded: c.foreign ? undefined : entry.sha256, open: c, editedProposal: !!proposal && !ours };
}

export function planChanges(input: ChangeInput, opts: ChangeOptions): ChangePlan {
  const { files, manifest } = input;
  const known = manifest?.files ?? {};
  const changes: Change[] = [];
  const taken = new Set<string>();
  let base: ReadonlyMap<string, string> | undefined | null = null;
  const baseOf = (p: string) => {
    if (base === null) base = input.base();
    return base?.get(p);
  };
  /** First free backup name: x.orig, x.1.orig, x.2.orig, ... (never an earlier backup). */
  const backupFor = (p: string) => {
    const names = input.names.get(dirOf(p)) ?? new Set<string>();
    for (let n = 0; ; n++) {
      const candidate = n ? `${p}.${n}.orig` : `${p}.orig`;
      if (!names.has(baseName(candidate)) && !taken.has(candidate) && !files.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  const conflictRecord = (proposalText: string, newHash: string, disk: DiskFile, foreign = false): ConflictRecord => ({ proposal: sha256(proposalText), base: newHash, disk: disk.sha256, ...(foreign ? { foreign: true } : {}) });

  for (const file of input.rendered) {
    const disk = files.get(file.path);
    const entry = known[file.path];
    const newHash = file.sha256 ?? sha256(file.content);
    // The common case at fleet scale, decided as below but without the closures: the disk holds
    // exactly the render, and no conflict is recorded for the file (effective() has no note then).
    if (disk !== undefined && file.owner !== 'seed' && !entry?.conflict && disk.text === file.content) {
      changes.push({ path: file.path, owner: file.owner, before: disk.text, kind: 'unchanged', recordHash: newHash });
      continue;
    }
    const common = { path: file.path, owner: file.owner, before: disk?.text };
    const eff = effective(file.path, entry, disk, files);
    const note = (reason: string) => (eff.note ? `${eff.note}; ${reason}` : reason);
    const proposalPath = eff.editedProposal ? undefined : file.path + PROPOSAL_SUFFIX;
    const conflict = (reason: string, proposalText: string, record: string | undefined, foreign = false): Change => ({
      ...common,
      kind: 'conflict',
      content: proposalText,
      recordHash: record,
      proposal: proposalPath,
      conflict: conflictRecord(proposalText, newHash, disk!, foreign),
      reason: note(eff.editedProposal ? `${reason} (your edited ${file.path + PROPOSAL_SUFFIX} was left as it is; delete it to get a fresh proposal)` : reason),
    });

    if (disk === undefined) {
      if (entry && file.owner !== 'model') changes.push({ ...common, kind: 'recreate', content: file.content, recordHash: newHash, reason: note('deleted by hand; re-created from platform.yaml (remove its source from platform.yaml to drop it for good)') });
      else changes.push({ ...common, kind: 'create', content: file.content, recordHash: newHash });
      continue;
    }
    if (file.owner === 'seed') {
      changes.push({ ...common, kind: 'kept-seed', recordHash: entry?.sha256 ?? disk.sha256, reason: 'seeded once; yours to edit' });
      continue;
    }
    if (disk.text === file.content) {
      changes.push({ ...common, kind: 'unchanged', recordHash: newHash, ...(eff.note || eff.open ? { reason: eff.note ?? 'conflict resolved' } : {}) });
      continue;
    }
    const foreign = !entry || !!eff.open?.foreign;
    if (file.owner === 'model' && !(foreign && opts.foreignModel)) {
      changes.push({ ...common, kind: 'update', content: file.content, recordHash: newHash });
      continue;
    }
    if (foreign) {
      // A file the tool did not write sits where it wants to write.
      if (opts.force) changes.push({ ...common, kind: 'overwrite-foreign', content: file.content, recordHash: newHash, backup: backupFor(file.path), reason: 'not written by gitops-scaffold; overwritten (--force), backup kept' });
      else changes.push(conflict('exists and was not written by gitops-scaffold (move the proposal over it, or use --force to overwrite with a backup)', file.content, disk.sha256, true));
      continue;
    }
    if (eff.open) {
      if (opts.force) changes.push({ ...common, kind: 'overwrite-edit', content: file.content, recordHash: newHash, backup: backupFor(file.path), reason: 'conflict overwritten (--force); your version backed up' });
      else changes.push(conflict('still in conflict: edited by hand, and the proposal beside it was neither taken nor merged', file.content, entry.sha256));
      continue;
    }
    if (disk.sha256 === eff.recorded) {
      changes.push({ ...common, kind: 'update', content: file.content, recordHash: newHash, ...(eff.note ? { reason: eff.note } : {}) });
      continue;
    }
    // Edited by hand since the tool last wrote it.
    if (newHash === eff.recorded) {
      changes.push({ ...common, kind: 'kept-edit', recordHash: eff.recorded, reason: note('edited by hand; this run renders it as before, so your edit stays') });
      continue;
    }
    if (opts.force) {
      changes.push({ ...common, kind: 'overwrite-edit', content: file.content, recordHash: newHash, backup: backupFor(file.path), reason: 'hand edit overwritten (--force); backup kept' });
      continue;
    }
    const previous = baseOf(file.path);
    if (previous === undefined || sha256(previous) !== eff.recorded) {
      changes.push(conflict('edited by hand and changed by this run, and the render your edit started from is not recorded (written by another gitops-scaffold version?): merge by hand', file.content, eff.recorded));
      continue;
    }
    const merged = merge(disk.text.split('\n'), previous.split('\n'), file.content.split('\n'));
    if (merged.conflict) {
      changes.push(conflict('edited by hand and changed by this run in overlapping places', file.content, eff.recorded));
      continue;
    }
    const text = merged.result.join('\n');
    if (isSecurityRelevant(file.content, disk.text)) {
      changes.push(conflict('security-relevant (access, RBAC, network or cluster registration), edited by hand and changed by this run: never merged unseen; the proposal holds your edit merged with the new render, review it and move it over the file', text, eff.recorded));
      continue;
    }
    // Record the new render as the base: the file still carries the person's edit, so the next run
    // keeps treating it as edited.
    changes.push({ ...common, kind: 'merge', content: text, recordHash: newHash, reason: note('hand edit merged with the new render') });
  }

  const planned = new Set(input.rendered.map((f) => f.path));
  for (const path of Object.keys(known)) {
    if (planned.has(path)) continue;
    const entry = known[path];
    const disk = files.get(path);
    const eff = effective(path, entry, disk, files);
    if (disk === undefined) continue;
    const common = { path, owner: entry.owner, before: disk.text };
    // A seeded file belongs to the team even once this run no longer plans it (a SealedSecret
    // sealed on an earlier run): never deleted, and still recorded so the manifest stays stable.
    if (entry.owner === 'seed') {
      changes.push({ ...common, kind: 'kept-seed', recordHash: entry.sha256, reason: 'seeded once; yours to edit' });
      continue;
    }
    if (entry.conflict?.foreign && !eff.recorded) continue; // never ours: stays, forgotten
    if (disk.sha256 === eff.recorded) changes.push({ ...common, kind: 'delete', reason: 'its source is gone from platform.yaml' });
    else if (opts.force) changes.push({ ...common, kind: 'delete', backup: backupFor(path), reason: 'its source is gone from platform.yaml; your edited version backed up (--force)' });
    else changes.push({ ...common, kind: 'conflict', recordHash: entry.sha256, reason: 'its source is gone from platform.yaml but it was edited by hand; delete it yourself or re-run with --force (a backup is kept)' });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const entries: Record<string, ManifestEntry> = {};
  for (const c of changes)
    if (c.recordHash !== undefined && c.kind !== 'delete') {
      const e: ManifestEntry = { owner: c.owner ?? 'managed', sha256: c.recordHash };
      if (c.conflict) e.conflict = c.conflict;
      entries[c.path] = e;
    }
  const next = newManifest(entries, JSON.parse(JSON.stringify(input.model ?? null)), input.pins);
  const manifestText = serializeManifest(next);

  const puts: PutFile[] = [];
  const deletes: WritePlan['deletes'] = [];
  const put = (path: string, content: string, mode: number | undefined) => puts.push({ path, content, ...(mode !== undefined ? { mode } : {}), ...(files.has(path) ? { before: files.get(path)!.sha256 } : {}) });
  for (const c of changes) {
    const disk = files.get(c.path);
    if (c.backup && disk) put(c.backup, disk.text, disk.mode);
    if (WRITES.has(c.kind)) put(c.path, c.content!, disk?.mode);
    else if (c.kind === 'delete') deletes.push({ path: c.path, before: disk!.sha256 });
    else if (c.kind === 'conflict' && c.content !== undefined && c.proposal) {
      const existing = files.get(c.proposal);
      if (existing?.text !== c.content) put(c.proposal, c.content, disk?.mode);
    }
  }
  // Our proposals whose conflict is over (resolved, forced, or its file no longer planned) go; a
  // proposal a person edited is theirs and stays.
  const stillProposed = new Set(changes.filter((c) => c.kind === 'conflict' && c.content !== undefined).map((c) => c.path + PROPOSAL_SUFFIX));
  for (const p of Object.keys(known)) {
    const entry = known[p];
    if (!entry.conflict) continue;
    const proposal = files.get(p + PROPOSAL_SUFFIX);
    if (proposal?.sha256 === entry.conflict.proposal && !stillProposed.has(p + PROPOSAL_SUFFIX)) deletes.push({ path: p + PROPOSAL_SUFFIX, before: proposal.sha256 });
  }
  puts.sort((a, b) => (a.path < b.path ? -1 : 1));
  const manifestChanged = input.manifestFile?.text !== manifestText;
  const noop = !puts.length && !deletes.length && !manifestChanged;
  if (!noop) puts.push({ path: MANIFEST_PATH, content: manifestText, ...(input.manifestFile ? { before: input.manifestFile.sha256, mode: input.manifestFile.mode } : {}) });
  return { changes, manifest: next, writes: { puts, deletes }, noop };
}
