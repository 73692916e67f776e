// Interactive init: asks only what --answers and --set left open, one question at a time, each
// answer checked when given (names, URLs, environments offered as lists once declared); offers to
// accept defaults for everything after the repository; collects spoke clusters in a loop. The
// plop generator `platform` runs the same function with plop's inquirer. Loaded lazily, so
// automation never loads inquirer.

import { INIT_DEFAULTS, accessFromAnswers, isLabel, isRepoUrl, isRevision, isServerUrl, labelList, platformQuestions, schemaChoices, splitList, spokeAccessQuestions, tenantList, type Validator } from './questions.ts';

export type Prompt = (questions: any[]) => Promise<Record<string, any>>;

const question = (name: string) => platformQuestions.find((q) => q.name === name)!;

/** The spec of the answers so far (what is kept when a later step fails). */
export type Draft = Record<string, any>;

export async function askPlatform(known: Record<string, any>, prompt?: Prompt, draft: Draft = {}): Promise<Record<string, any>> {
  const p: Prompt = prompt ?? ((await import('inquirer')).default.prompt as unknown as Prompt);
  const ask = async (q: Record<string, any>) => (await p([q]))[q.name];
  const spec: Record<string, any> = draft;
  Object.assign(spec, structuredClone(known));
  spec.name ??= await ask({ ...question('name'), validate: isLabel });
  spec.repo = { ...spec.repo };
  spec.repo.url ??= (await ask({ ...question('repoUrl'), validate: isRepoUrl })).trim();
  spec.repo.revision ??= (await ask({ ...question('revision'), validate: isRevision })).trim();

  const open = {
    environments: !Array.isArray(spec.environments) || !spec.environments.length,
    clusters: !Array.isArray(spec.clusters) || !spec.clusters.length,
    tenants: spec.tenants === undefined,
    strategy: spec.delivery?.strategy === undefined,
    router: spec.delivery?.router === undefined,
  };
  if (!Object.values(open).some(Boolean)) return spec;
  const envNames = () => (spec.environments ?? []).map((e: { name: string }) => e.name);
  const defaults = [
    open.environments && `environments ${INIT_DEFAULTS.environments.join(', ')}`,
    open.clusters && `one cluster (the hub running Argo CD) serving ${open.environments ? 'them' : envNames().join(', ')}`,
    open.tenants && 'no tenants yet',
    open.strategy && `${INIT_DEFAULTS.strategy} updates`,
    open.router && 'no traffic router',
  ].filter(Boolean);
  const accept = await ask({ type: 'confirm', name: 'accept', message: `Accept defaults for everything else (${defaults.join('; ')})?`, default: true });

  if (open.environments) spec.environments = (accept ? [...INIT_DEFAULTS.environments] : splitList(await ask({ ...question('environments'), validate: labelList(1, 'environments') }))).map((name) => ({ name }));
  if (open.clusters) spec.clusters = accept ? [hub(envNames())] : await askClusters(ask, envNames());
  if (open.tenants && !accept) {
    const tenants = splitList(await ask({ ...question('tenants'), validate: tenantList }));
    if (tenants.length) spec.tenants = tenants.map((name) => ({ name }));
  }
  spec.delivery = { ...spec.delivery };
  if (open.strategy) spec.delivery.strategy = accept ? INIT_DEFAULTS.strategy : await ask({ ...question('strategy'), choices: schemaChoices('delivery', 'strategy') });
  if (open.router) spec.delivery.router = accept ? INIT_DEFAULTS.router : await ask({ ...question('router'), choices: schemaChoices('delivery', 'router') });
  return spec;
}

/** How Argo CD on the hub reaches a spoke: the questions `add cluster` asks too, one at a time. */
async function askSpokeAccess(ask: (q: Record<string, any>) => Promise<any>, name: string): Promise<Record<string, any>> {
  const answers: Record<string, any> = { name };
  for (const q of spokeAccessQuestions(() => `Spoke ${name}: `)) {
    if (typeof q.when === 'function' && !q.when(answers)) continue;
    // One question per prompt call: its message, default and check see the answers so far.
    const at = <T,>(v: T | ((a: Record<string, any>) => T)) => (typeof v === 'function' ? (v as (a: Record<string, any>) => T)(answers) : v);
    const value = await ask({ ...q, message: at(q.message), default: at(q.default), when: undefined, validate: q.validate && ((v: unknown) => q.validate(v, answers)) });
    answers[q.name] = q.filter ? q.filter(value) : value;
  }
  return accessFromAnswers(answers);
}

const hub = (environments: string[]) => ({ name: INIT_DEFAULTS.hubName, server: INIT_DEFAULTS.hubServer, environments });

/** Spoke clusters in a loop, then what the hub serves; every environment ends up served. */
async function askClusters(ask: (q: Record<string, any>) => Promise<any>, environments: string[]): Promise<Record<string, any>[]> {
  const spokes: Record<string, any>[] = [];
  const taken = () => [INIT_DEFAULTS.hubName, ...spokes.map((s) => s.name)];
  while (await ask({ type: 'confirm', name: 'again', message: spokes.length ? 'Add another spoke cluster?' : 'Add a spoke cluster (a workload cluster Argo CD on the hub deploys to)?', default: false })) {
    const n = spokes.length + 1;
    const name = await ask({ type: 'input', name: 'name', message: `Spoke #${n}: name`, validate: ((v) => (taken().includes(String(v)) ? `"${v}" is taken (${taken().join(', ')})` : isLabel(v))) as Validator });
    const server = (
      await ask({ type: 'input', name: 'server', message: `Spoke ${name}: Kubernetes API server URL`, validate: ((v: unknown) => (String(v).trim() === INIT_DEFAULTS.hubServer ? 'that is the hub itself (in-cluster)' : spokes.some((s) => s.server === String(v).trim()) ? 'another spoke has this server' : isServerUrl(v))) as Validator })
    ).trim();
    const access = await askSpokeAccess(ask, name);
    const envs: string[] = await ask({ type: 'checkbox', name: 'environments', message: `Spoke ${name}: environments it serves`, choices: environments, validate: (v: unknown) => splitList(v).length > 0 || 'choose at least one (space toggles, enter accepts)' });
    const region = String(await ask({ type: 'input', name: 'region', message: `Spoke ${name}: region (may be empty)`, default: '', validate: ((v: unknown) => v === '' || isLabel(v)) as Validator })).trim();
    spokes.push({ name, server, ...(envs.length === 1 ? { environment: envs[0] } : { environments: envs }), ...(region ? { region } : {}), ...access });
  }
  const servedBySpokes = new Set(spokes.flatMap((s) => s.environments ?? [s.environment]));
  const unserved = environments.filter((e) => !servedBySpokes.has(e));
  const hubEnvironments: string[] = await ask({
    type: 'checkbox',
    name: 'hubEnvironments',
    message: `Environments the hub cluster (the one running Argo CD) serves${spokes.length ? ' (none: it only runs Argo CD)' : ''}`,
    choices: environments,
    default: unserved.length ? unserved : [environments[0]],
    validate: (v: unknown) => {
      const chosen = splitList(v);
      const missing = unserved.filter((e) => !chosen.includes(e));
      return missing.length ? `${missing.join(', ')} would have no cluster: check ${missing.length > 1 ? 'them' : 'it'} here (or add a spoke for ${missing.length > 1 ? 'them' : 'it'})` : true;
    },
  });
  return [...(hubEnvironments.length ? [hub(hubEnvironments)] : []), ...spokes];
}
