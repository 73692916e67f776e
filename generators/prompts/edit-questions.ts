// The questions of `gitops-scaffold add service|tenant|cluster|environment`, shared by the
// interactive CLI (which asks only what flags and --answers left open) and the plop generators.
// Validators accept the raw string (plop bypass) and the filtered value (inquirer) alike, and the
// answers become model fields through one function, `entityFromAnswers`.

import { DNS_LABEL } from '../model/names.ts';
import type { AddOptions, Entity, EntityKind } from '../model/edits.ts';

/** What the questions can offer as choices and defaults, read from the current platform.yaml. */
export interface EditContext {
  tenants?: string[];
  environments?: string[];
  clusters?: string[];
  strategy?: string;
}

const isLabel = (v: unknown) => (typeof v === 'string' && DNS_LABEL.test(v) && v.length <= 63) || 'lowercase letters, digits and "-", at most 63 characters';
const optionalLabel = (v: unknown) => v === undefined || v === '' || isLabel(v);
const splitList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const isOptionalLabelList = (v: unknown) => splitList(v).every((i) => isLabel(i) === true) || 'a comma-separated list of names (or empty for all)';
const isLabelList = (v: unknown) => (splitList(v).length > 0 && isOptionalLabelList(v) === true) || 'a comma-separated list of names, e.g. dev, prod';
const isUrl = (v: unknown) => {
  try {
    return (typeof v === 'string' && !!new URL(v).hostname) || 'an absolute URL, e.g. https://prod-eu-1.k8s.example.com';
  } catch {
    return 'an absolute URL, e.g. https://prod-eu-1.k8s.example.com';
  }
};
const isPort = (v: unknown) => (/^\d+$/.test(String(v)) && Number(v) >= 1 && Number(v) <= 65535) || 'a port number between 1 and 65535';
const isImage = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !/[:@]/.test(v.split('/').pop() ?? '')) || 'the image repository without tag, e.g. ghcr.io/acme/payments-api';
const isTag = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v !== 'latest') || 'a pinned tag, e.g. 1.4.2 (never latest)';
const isHost = (v: unknown) => v === undefined || v === '' || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(String(v)) || 'a lowercase host name, e.g. payments.example.com (or empty)';
const pick = (choices: string[] | undefined) => (choices?.length ? { type: 'list', choices } : { type: 'input' });

export function serviceQuestions(ctx: EditContext = {}) {
  return [
    { type: 'input', name: 'name', message: 'Service name', validate: isLabel },
    { ...pick(ctx.tenants), name: 'tenant', message: 'Tenant (team) owning it', validate: isLabel },
    { type: 'input', name: 'image', message: 'Image repository (no tag)', validate: isImage },
    { type: 'input', name: 'tag', message: 'Image tag (pinned)', validate: isTag },
    { type: 'input', name: 'port', message: 'Container port', default: '8080', validate: isPort },
    { type: 'list', name: 'strategy', message: 'Delivery strategy', choices: ['rolling', 'canary', 'blueGreen'], default: ctx.strategy ?? 'rolling' },
    { type: 'input', name: 'host', message: 'Public host name in the last environment (empty: not routed)', default: '', validate: isHost },
    { type: 'input', name: 'environments', message: 'Environments (comma-separated, empty: all of the tenant\'s)', default: '', validate: isOptionalLabelList, filter: splitList },
  ];
}

export function tenantQuestions(_ctx: EditContext = {}) {
  return [
    { type: 'input', name: 'name', message: 'Tenant (team) name', validate: isLabel },
    { type: 'input', name: 'description', message: 'Description (may be empty)', default: '' },
    { type: 'input', name: 'environments', message: 'Environments it deploys to (comma-separated, empty: all)', default: '', validate: isOptionalLabelList, filter: splitList },
  ];
}

export function clusterQuestions(ctx: EditContext = {}) {
  return [
    { type: 'input', name: 'name', message: 'Cluster name', validate: isLabel },
    { type: 'input', name: 'server', message: 'Kubernetes API server URL', validate: isUrl },
    { type: 'input', name: 'environments', message: `Environments it serves (comma-separated${ctx.environments?.length ? `; declared: ${ctx.environments.join(', ')}` : ''})`, validate: isLabelList, filter: splitList },
    { type: 'input', name: 'region', message: 'Region (may be empty)', default: '' },
  ];
}

export function environmentQuestions(ctx: EditContext = {}) {
  const clusters = ctx.clusters ?? [];
  return [
    { type: 'input', name: 'name', message: 'Environment name', validate: isLabel },
    {
      type: 'input',
      name: 'after',
      message: `Insert after which environment in the promotion order (empty: just before the last${ctx.environments?.length ? `; order: ${ctx.environments.join(' -> ')}` : ''})`,
      default: '',
      validate: optionalLabel,
    },
    { type: 'confirm', name: 'protected', message: 'Protected (signed images, manual promotion)?', default: false },
    { type: 'input', name: 'cluster', message: `Cluster serving it (an existing one${clusters.length ? `: ${clusters.join(', ')}` : ''}, or a new name)`, validate: isLabel },
    { type: 'input', name: 'server', message: 'API server URL of the new cluster', validate: isUrl, when: (a: Record<string, any>) => !clusters.includes(a.cluster) },
    { type: 'input', name: 'region', message: 'Region of the new cluster (may be empty)', default: '', when: (a: Record<string, any>) => !clusters.includes(a.cluster) },
  ];
}

export const QUESTIONS: Record<EntityKind, (ctx?: EditContext) => any[]> = {
  service: serviceQuestions,
  tenant: tenantQuestions,
  cluster: clusterQuestions,
  environment: environmentQuestions,
};

/** Flat answers (prompts, plop) -> the entity's model fields, plus where an environment goes. */
export function entityFromAnswers(kind: EntityKind, a: Record<string, any>): { entity: Entity; options: AddOptions } {
  const text = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim());
  const e: Record<string, any> = { name: text(a.name) };
  const options: AddOptions = {};
  const envs = a.environments === undefined ? [] : splitList(a.environments);
  if (kind === 'service') {
    Object.assign(e, { tenant: text(a.tenant), image: text(a.image), tag: text(a.tag) });
    if (text(a.port) !== undefined) e.port = /^\d+$/.test(String(a.port).trim()) ? Number(a.port) : String(a.port);
    if (text(a.strategy)) e.strategy = text(a.strategy);
    if (text(a.host)) e.host = text(a.host);
    if (envs.length) e.environments = envs;
  }
  if (kind === 'tenant') {
    if (text(a.description)) e.description = text(a.description);
    if (envs.length) e.environments = envs;
  }
  if (kind === 'cluster') {
    e.server = text(a.server);
    if (envs.length === 1) e.environment = envs[0];
    else if (envs.length) e.environments = envs;
    if (text(a.region)) e.region = text(a.region);
  }
  if (kind === 'environment') {
    if (a.protected === true) e.protected = true;
    if (text(a.after)) options.after = text(a.after);
    if (text(a.cluster)) options.cluster = { name: text(a.cluster)!, ...(text(a.server) ? { server: text(a.server) } : {}), ...(text(a.region) ? { region: text(a.region) } : {}) };
  }
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  return { entity: e as Entity, options };
}
