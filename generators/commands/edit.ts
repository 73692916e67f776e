// `gitops-scaffold add|remove service|tenant|cluster|environment`: apply one pure edit
// (model/edits.ts) to platform.yaml as the pipeline reads it under the repository lock, re-plan
// and write only what changed (pipeline.run; the merge base is the model the manifest records). `editRepo` is the library function; the plop generators call
// it too. `editCommand` only turns flags, --answers, --set and prompts into its request.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { INPUT_LIMITS, readInputFile } from '../io/input.ts';
import { InputError, type Problem } from '../model/errors.ts';
import { parseModelForEdit } from '../io/model-input.ts';
import { cacheInside, loadModelCache, modelCacheFingerprint } from '../io/model-cache.ts';
import { sha256 } from '../io/manifest.ts';
import type { PlatformSpec } from '../model/types.ts';
import { addEntity, removeEntity, validateEdited, patchModelText, LIST_KEY, type AddOptions, type EditStatus, type Entity, type EntityKind } from '../model/edits.ts';
import { applySets, coerce, parseAnswersText } from '../prompts/answers.ts';
import { splitImageRef } from '../prompts/image-ref.ts';
import { run, type RunResult } from '../pipeline.ts';
import { asJson, summarize } from '../io/output.ts';
import { WRITES } from '../io/changes.ts';
import { unifiedDiff } from '../io/diff.ts';
import { findRepo } from './handlers/common.ts';
import { deliver } from './handlers/deliver.ts';
import { wantsPullRequest } from '../pr/delivery.ts';
import { progressFor, type Progress } from '../io/progress.ts';
import { describeEdit } from '../pr/describe.ts';

import type { Io } from './types.ts';
export type { Io };

export interface EditRequest {
  op: 'add' | 'remove';
  kind: EntityKind;
  /** The repository (the folder holding platform.yaml). */
  root: string;
  /** add: the entity's fields; remove: only its name matters. */
  entity: Entity;
  options?: AddOptions;
  dryRun?: boolean;
  force?: boolean;
  check?: boolean;
  /** How long to wait for another run's repository lock (default: GITOPS_SCAFFOLD_LOCK_WAIT or 10 s). */
  lockWaitMs?: number;
  /** Phases of a long run, for a terminal. */
  progress?: Progress;
}

export interface EditOutcome {
  result: RunResult;
  status: EditStatus;
  notes: string[];
  /** platform.yaml before the edit. */
  previousText: string;
}

/** Field -> the flag that sets it, for messages. Fields without a flag are set with --set. */
const FLAGS: Record<EntityKind, Record<string, string>> = {
  service: { name: 'name', tenant: 'tenant', image: 'image', tag: 'tag', digest: 'digest', port: 'port', strategy: 'strategy', host: 'host', environments: 'environments' },
  tenant: { name: 'name', environments: 'environments' },
  cluster: { name: 'name', server: 'server', environment: 'environment', environments: 'environments', region: 'region' },
  environment: { name: 'name', protected: 'protected' },
};

/** What a new entity needs, with the flag that sets it. */
const REQUIRED: Record<EntityKind, { field: string; fix: string; present: (e: Entity, o: AddOptions) => boolean }[]> = {
  service: [
    { field: 'tenant', fix: '--tenant TENANT', present: (e) => !!e.tenant },
    // A chart service (--chart) has no image: its chart and version stand for them.
    { field: 'image', fix: '--image REPOSITORY[:TAG][@DIGEST] (or --chart REPO/CHART for a Helm chart)', present: (e) => !!e.image || !!(e as any).chart },
    { field: 'tag', fix: '--tag TAG or --image REPOSITORY:TAG (pinned, never latest)', present: (e) => !!e.tag || !!(e as any).chart },
    { field: 'chart.version', fix: '--chart-version X.Y.Z (exact)', present: (e) => !(e as any).chart || !!(e as any).chart.version },
  ],
  tenant: [],
  cluster: [
    { field: 'server', fix: '--server https://API-SERVER', present: (e) => !!e.server },
    { field: 'environment', fix: '--environment ENV (or --environments a,b)', present: (e) => !!e.environment || !!e.environments },
  ],
  environment: [{ field: 'cluster', fix: '--cluster NAME (an existing cluster, or a new one with --server URL)', present: (_e, o) => !!o.cluster }],
};

export function missingFields(kind: EntityKind, entity: Partial<Entity>, options: AddOptions = {}): Problem[] {
  const at = `${LIST_KEY[kind]}[${entity.name ?? '?'}]`;
  const out: Problem[] = [];
  if (!entity.name) out.push({ path: `${at}.name`, message: 'required and not answered', fix: `gitops-scaffold add ${kind} NAME (or --name NAME)` });
  for (const r of REQUIRED[kind]) if (!r.present(entity as Entity, options)) out.push({ path: `${at}.${r.field}`, message: 'required and not answered', fix: `${r.fix} (or key ${r.field} in --answers FILE)` });
  return out;
}

const exists = (spec: PlatformSpec, kind: EntityKind, name: string | undefined) => !!name && ((spec as any)[LIST_KEY[kind]] ?? []).some((x: Entity) => x.name === name);

export function readModel(root: string): { text: string; spec: PlatformSpec } {
  const file = path.join(root, 'platform.yaml');
  if (!existsSync(file)) throw noModel(root);
  const text = readInputFile(file, 'platform model', 'platform.yaml', INPUT_LIMITS.model);
  // The value the last run left in the repository's cache: then neither this parse nor the model
  // step's under the lock reads the YAML (io/model-cache.ts).
  const fingerprint = cacheInside(root) ? modelCacheFingerprint() : undefined;
  if (fingerprint) loadModelCache(root, text, sha256(text), fingerprint);
  return { text, spec: parseModelForEdit(text, file) };
}

const noModel = (root: string) => new InputError(`${root} has no platform.yaml; nothing was written`, [{ path: '--repo', message: 'not a gitops-scaffold repository', fix: 'run gitops-scaffold init first, or point --repo at the folder holding platform.yaml' }]);

/**
 * The library entry of add/remove: edit, validate, re-plan, write only what changed. The edit is
 * applied to platform.yaml as the pipeline reads it under the repository lock, so two edits at
 * once both land (the second waits for the first and edits its result).
 */
export function editRepo(req: EditRequest): EditOutcome {
  const options = req.options ?? {};
  let status: EditStatus | undefined;
  let notes: string[] = [];
  let previousText = '';
  const result = run({
    root: req.root,
    command: `${req.op} ${req.kind} ${req.entity.name ?? ''}`.trim(),
    model: ({ text, written }) => {
      if (text === undefined) throw noModel(req.root);
      const previous = parseModelForEdit(text, path.join(req.root, 'platform.yaml'));
      if (req.op === 'add' && !exists(previous, req.kind, req.entity.name)) {
        const missing = missingFields(req.kind, req.entity, options);
        if (missing.length) throw new InputError(`add ${req.kind}: missing required answers; nothing was written`, missing);
      }
      const edit = req.op === 'add' ? addEntity(previous, req.kind, req.entity, options) : removeEntity(previous, req.kind, req.entity.name);
      const fixFor = (field: string) => {
        const flag = FLAGS[req.kind][field.split('.')[0]];
        if (!field) return undefined;
        return `give a valid value with ${flag && !field.includes('.') ? `--${flag} VALUE` : `--set ${field}=VALUE`}${exists(previous, req.kind, req.entity.name) ? ' (and --update)' : ''}`;
      };
      const spec = validateEdited(edit.spec, `${req.op} ${req.kind} ${req.entity.name}`, req.op === 'add' ? fixFor : undefined, previous);
      status = edit.status;
      notes = edit.notes;
      previousText = text;
      // The edit applied node by node: comments and formatting elsewhere in platform.yaml survive.
      return { spec, modelText: patchModelText(text, spec, { written }) };
    },
    dryRun: req.dryRun,
    force: req.force,
    check: req.check,
    lockWaitMs: req.lockWaitMs,
    progress: req.progress,
  });
  return { result, status: status!, notes, previousText };
}

/** Unified diff of every file the run writes or deletes (platform.yaml included). */
export function describeDiff(outcome: Pick<EditOutcome, 'result'>): string {
  const { result } = outcome;
  return result.changes
    .filter((c) => WRITES.has(c.kind) || c.kind === 'delete' || (c.kind === 'conflict' && c.content !== undefined))
    .map((c) => unifiedDiff(c.path, c.before, c.kind === 'delete' ? undefined : c.content))
    .filter(Boolean)
    .join('\n');
}

function headline(req: EditRequest, outcome: EditOutcome): string {
  const what = `${req.kind} ${req.entity.name}`;
  const verb = { added: 'Added', updated: 'Updated', removed: 'Removed', unchanged: 'Unchanged:' }[outcome.status];
  const tail = outcome.status === 'unchanged' ? ' already exists with these settings' : '';
  return [`${req.dryRun && outcome.status !== 'unchanged' ? `Would have ${verb.toLowerCase()}` : verb} ${what}${tail}.`, ...outcome.notes.map((n) => `  (${n})`)].join('\n');
}


/** Flags, --answers and --set -> the entity (precedence: --set over flags over the answers file). */
function entityFromFlags(kind: EntityKind, name: string | undefined, values: Record<string, any>): { entity: Entity; options: AddOptions } {
  const listKey = LIST_KEY[kind];
  let entity: Record<string, any> = {};
  if (values.answers) {
    entity = parseAnswersText(readInputFile(values.answers, 'answers file', '--answers', INPUT_LIMITS.answers), values.answers);
  }
  for (const [field, flag] of Object.entries(FLAGS[kind])) {
    const raw = values[flag];
    if (raw === undefined || flag === 'name') continue;
    entity[field] = typeof raw === 'boolean' ? raw : coerce([listKey, 0, field], String(raw));
  }
  if (kind === 'service' && typeof values.image === 'string') Object.assign(entity, imageFields(values));
  if (kind === 'service' && typeof values.chart === 'string') entity.chart = { ...splitChartRef(values.chart), ...(values['chart-version'] !== undefined ? { version: String(values['chart-version']) } : {}) };
  // --chart-version alone moves the version of a chart service (with --update), as --set chart.version would.
  else if (kind === 'service' && values['chart-version'] !== undefined) applySets(entity, [`chart.version=${values['chart-version']}`], [listKey, 0]);
  applySets(entity, values.set ?? [], [listKey, 0]);
  const given = name ?? values.name;
  if (values.name !== undefined && name !== undefined && values.name !== name) throw new InputError(`two names given ("${name}" and --name ${values.name}); nothing was written`, [{ path: '--name', message: 'differs from the name given as argument', fix: 'give the name once' }]);
  if (given !== undefined) entity = { name: given, ...entity };
  else if (entity.name !== undefined) entity = { name: entity.name, ...entity };
  if (kind === 'cluster' && entity.environment !== undefined && entity.environments !== undefined) throw new InputError('add cluster: both --environment and --environments; nothing was written', [{ path: `clusters[${entity.name}]`, message: 'sets both environment and environments', fix: 'keep one of them' }]);
  const options: AddOptions = { update: !!values.update };
  if (kind === 'environment') {
    if (values.after !== undefined) options.after = String(values.after);
    if (values.cluster !== undefined) options.cluster = { name: String(values.cluster), ...(values.server !== undefined ? { server: String(values.server) } : {}), ...(values.region !== undefined ? { region: String(values.region) } : {}) };
    else if (values.server !== undefined || values.region !== undefined) throw new InputError('add environment: --server / --region describe a new cluster and need --cluster NAME; nothing was written', [{ path: '--cluster', message: 'missing', fix: 'add --cluster NAME' }]);
  }
  return { entity: entity as Entity, options };
}

/** `--chart oci://ghcr.io/acme/charts/redis` -> repository `oci://ghcr.io/acme/charts`, chart `redis`. */
export function splitChartRef(ref: string): { repo: string; name: string } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/\s]+(?:\/[^\s]*)?)\/([^/\s]+)\/?$/i.exec(ref.trim());
  if (!m) throw new InputError(`--chart ${JSON.stringify(ref)} is not REPO/CHART; nothing was written`, [{ path: '--chart', message: 'expected the repository URL followed by /CHART', fix: 'e.g. --chart oci://ghcr.io/acme/charts/redis or --chart https://charts.bitnami.com/bitnami/redis' }]);
  return { repo: m[1], name: m[2] };
}

/** `--image repo:tag@digest` stands for --image repo --tag tag --digest digest; both ways at once must agree. */
function imageFields(values: Record<string, any>): { image: string; tag?: string; digest?: string } {
  const ref = splitImageRef(String(values.image));
  const problems: Problem[] = [];
  for (const part of ['tag', 'digest'] as const)
    if (ref[part] !== undefined && values[part] !== undefined && values[part] !== ref[part])
      problems.push({ path: `--${part}`, message: `"${values[part]}" differs from the ${part} in --image (${ref[part]})`, fix: `give the ${part} once, in --image or in --${part}` });
  if (problems.length) throw new InputError('add service: --image and its parts disagree; nothing was written', problems);
  return { image: ref.repository, ...(ref.tag !== undefined ? { tag: ref.tag } : {}), ...(ref.digest !== undefined ? { digest: ref.digest } : {}) };
}

/** Shows what `remove` would delete and change, and asks. */
async function confirmRemoval(req: EditRequest, io: Io): Promise<boolean> {
  const plan = editRepo({ ...req, dryRun: true });
  const deleted = plan.result.changes.filter((c) => c.kind === 'delete').map((c) => c.path);
  const changed = plan.result.changes.filter((c) => WRITES.has(c.kind)).map((c) => c.path);
  if (plan.status === 'unchanged' || (!deleted.length && !changed.length)) return true;
  const shown = (paths: string[]) => (paths.length <= 12 ? paths.map((p) => `    ${p}`) : [...paths.slice(0, 10).map((p) => `    ${p}`), `    ... and ${paths.length - 10} more`]);
  io.stderr([`remove ${req.kind} ${req.entity.name} deletes ${deleted.length} file(s) and changes ${changed.length}:`, ...shown(deleted), ...(changed.length ? ['  and changes:', ...shown(changed)] : [])].join('\n'));
  const ask = io.confirm ?? (async (message: string) => (await (await import('inquirer')).default.prompt([{ type: 'confirm', name: 'ok', message, default: false }])).ok === true);
  return ask(`Delete these files and remove ${req.kind} ${req.entity.name} from platform.yaml?`);
}

async function askMissing(kind: EntityKind, entity: Entity, options: AddOptions, spec: PlatformSpec): Promise<{ entity: Entity; options: AddOptions }> {
  const { askEntity, contextOf } = await import('../prompts/edit-questions.ts');
  const known: Record<string, any> = { ...entity };
  if (kind === 'cluster' && entity.environment) known.environments = [entity.environment];
  // --set auth.type=aws --set caData=...: the access questions' answers (the rest is asked).
  if (kind === 'cluster' && entity.auth && typeof entity.auth === 'object') {
    delete known.auth;
    Object.assign(known, { authType: entity.auth.type, clusterName: entity.auth.clusterName, roleArn: entity.auth.roleArn, clientId: entity.auth.clientId, tenantId: entity.auth.tenantId });
  }
  if (kind === 'environment') Object.assign(known, { after: options.after, cluster: options.cluster?.name, server: options.cluster?.server, region: options.cluster?.region });
  for (const k of Object.keys(known)) if (known[k] === undefined) delete known[k];
  const prompt = (await import('inquirer')).default.prompt as unknown as (q: any[], a?: Record<string, any>) => Promise<Record<string, any>>;
  const fromPrompts = await askEntity(kind, known, contextOf(spec), prompt);
  const merged: Entity = { ...fromPrompts.entity, ...entity };
  // auth given in part by --set and in part by answers: both parts.
  if (fromPrompts.entity.auth || entity.auth) merged.auth = { ...fromPrompts.entity.auth, ...entity.auth };
  return { entity: merged, options: { ...fromPrompts.options, ...options } };
}

/** A word as the shell reads it back: bare when safe, else single-quoted. */
const shellWord = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);

/**
 * The command line that adds this entity without a question: printed when a run that asked
 * questions fails after the last one (a conflict, a failed check), so no answer is typed twice.
 * Fields with a flag become the flag, the others `--set path=value`.
 */
export function answersCommandLine(kind: EntityKind, entity: Entity, options: AddOptions, repo?: string): string {
  const words = ['gitops-scaffold', 'add', kind, entity.name];
  const sets: string[] = [];
  const visit = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) visit(`${prefix}.${k}`, x);
    else sets.push(`${prefix}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  };
  for (const [field, value] of Object.entries(entity)) {
    if (field === 'name' || value === undefined) continue;
    const flag = FLAGS[kind][field];
    if (flag && typeof value === 'boolean') value && words.push(`--${flag}`);
    else if (flag && (typeof value !== 'object' || Array.isArray(value))) words.push(`--${flag}`, Array.isArray(value) ? value.join(',') : String(value));
    else visit(field, value);
  }
  if (options.after) words.push('--after', options.after);
  if (options.cluster) {
    words.push('--cluster', options.cluster.name);
    if (options.cluster.server) words.push('--server', options.cluster.server);
    if (options.cluster.region) words.push('--region', options.cluster.region);
  }
  for (const set of sets) words.push('--set', set);
  if (repo) words.push('--repo', repo);
  return words.map(shellWord).join(' ');
}

/** The CLI side of add/remove: the command tree has checked the flags; `name` is the NAME argument. */
export async function editCommand(command: 'add' | 'remove', kind: EntityKind, nameArg: string | undefined, values: Record<string, any>, io: Io): Promise<number> {
  const root = findRepo(values.repo);
  const { spec } = readModel(root);
  let entity: Entity;
  let options: AddOptions = {};
  let asked = false;
  if (command === 'remove') {
    if (nameArg !== undefined && values.name !== undefined && values.name !== nameArg) throw new InputError(`two names given ("${nameArg}" and --name ${values.name}); nothing was written`, [{ path: '--name', message: 'differs from the name given as argument', fix: 'give the name once' }]);
    const name = nameArg ?? values.name;
    if (!name) throw new InputError(`remove ${kind}: which one? nothing was written`, [{ path: `${LIST_KEY[kind]}[?].name`, message: 'required and not given', fix: `gitops-scaffold remove ${kind} NAME` }]);
    entity = { name: String(name) };
  } else {
    ({ entity, options } = entityFromFlags(kind, nameArg, values));
    const isNew = !exists(spec, kind, entity.name);
    if (isNew && missingFields(kind, entity, options).length && io.interactive && !values.yes) {
      ({ entity, options } = await askMissing(kind, entity, options, spec));
      asked = true;
    }
    const missing = isNew ? missingFields(kind, entity, options) : [];
    if (missing.length) throw new InputError(`add ${kind}: missing required answers${io.interactive ? '' : ' (no TTY: gitops-scaffold never prompts here)'}; nothing was written`, missing);
  }
  // After questions, a failure keeps the answers: the command line that gives them all.
  const kept = () => `Your answers, to run again without the questions:\n  ${answersCommandLine(kind, entity, options, values.repo === undefined ? undefined : String(values.repo))}`;
  try {
    const code = await editDelivery(command, kind, entity, options, root, spec, values, io);
    if (asked && code !== 0) io.stderr(kept());
    return code;
  } catch (err) {
    if (asked && err && typeof err === 'object') {
      const hint = (err as { hint?: unknown }).hint;
      (err as { hint?: string }).hint = typeof hint === 'string' ? `${hint}\n${kept()}` : kept();
    }
    throw err;
  }
}

async function editDelivery(command: 'add' | 'remove', kind: EntityKind, entity: Entity, options: AddOptions, root: string, spec: PlatformSpec, values: Record<string, any>, io: Io): Promise<number> {
  const req: EditRequest = { op: command, kind, root, entity, options, dryRun: !!values['dry-run'], force: !!values.force, check: !values['no-check'], progress: progressFor(io, !!values.json) };
  // Deleting files at a keyboard is confirmed first (never without a TTY, with --yes, --json or
  // --pr: a pull request deletes nothing here).
  if (command === 'remove' && io.interactive && !values.yes && !values.json && !req.dryRun && !wantsPullRequest(values, spec) && !(await confirmRemoval(req, io))) {
    io.stderr(`Cancelled: ${kind} ${entity.name} was not removed; nothing was written.`);
    return 1;
  }
  const tenantOf = (s: PlatformSpec) => (kind === 'service' ? (s.services ?? []).find((x) => x.name === entity.name)?.tenant : undefined);
  return deliver<EditOutcome>({
    command: `${command} ${kind} ${entity.name}`,
    root,
    spec,
    flags: values,
    io,
    // With --pr, the edit is made to the base branch's platform.yaml, in its temporary work tree.
    work: (at) => editRepo({ ...req, root: at }),
    result: (o) => o.result,
    change: (o) => (o.status === 'unchanged' ? undefined : describeEdit(command, kind, entity.name, { tenant: entity.tenant ?? tenantOf(spec), updated: o.status === 'updated', notes: o.notes })),
    text: (o) => {
      const parts = [headline(req, o), summarize(o.result, { dryRun: req.dryRun, verbose: !!values.verbose, color: io.color })];
      if (req.dryRun) parts.push(describeDiff(o));
      return parts.filter(Boolean).join('\n');
    },
    json: (o) => ({ ...asJson(`${command} ${kind}`, o.result, !!req.dryRun), entity: { kind, name: entity.name }, status: o.status, notes: o.notes }),
  });
}
