// The questions of `init`, shared by the interactive CLI and the plop generator `platform`.
// Validators accept the raw string (plop bypass) and the filtered value (inquirer) alike.

import { DNS_LABEL } from '../model/names.ts';

const isLabel = (v: unknown) => (typeof v === 'string' && DNS_LABEL.test(v) && v.length <= 63) || 'lowercase letters, digits and "-", at most 63 characters';
const isUrl = (v: unknown) => {
  try {
    return (typeof v === 'string' && (/^[\w.-]+@[\w.-]+:/.test(v) || !!new URL(v).hostname)) || 'an absolute URL';
  } catch {
    return 'an absolute URL, e.g. https://github.com/acme/gitops.git';
  }
};
const splitList = (v: unknown) => (Array.isArray(v) ? v : String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const isLabelList = (v: unknown) => {
  const items = splitList(v);
  return (items.length > 0 && items.every((i) => isLabel(i) === true)) || 'a comma-separated list of names, e.g. dev, staging, prod';
};

export const platformQuestions = [
  { type: 'input', name: 'name', message: 'Platform name (used in resource names)', validate: isLabel },
  { type: 'input', name: 'repoUrl', message: 'URL of this GitOps repository', validate: isUrl },
  { type: 'input', name: 'revision', message: 'Branch or tag Argo CD tracks', default: 'main' },
  { type: 'input', name: 'environments', message: 'Environments in promotion order (comma-separated)', default: 'dev, staging, prod', validate: isLabelList, filter: splitList },
  { type: 'input', name: 'hubEnvironments', message: 'Environments the hub cluster (the one running Argo CD) serves', default: 'dev', validate: isLabelList, filter: splitList },
  { type: 'input', name: 'tenants', message: 'Tenants (teams), comma-separated (may be empty)', default: '', filter: splitList },
  { type: 'list', name: 'strategy', message: 'Default delivery style', choices: ['rolling', 'canary', 'blueGreen'], default: 'rolling' },
  { type: 'list', name: 'router', message: 'Traffic router', choices: ['none', 'istio', 'nginx', 'alb', 'gateway-api'], default: 'none' },
] as const;

/** Flat prompt answers -> platform.yaml shape. */
export function answersToSpec(a: Record<string, any>): Record<string, any> {
  return {
    name: a.name,
    repo: { url: a.repoUrl, revision: a.revision || 'main' },
    environments: splitList(a.environments).map((name) => ({ name })),
    clusters: [{ name: 'hub', server: 'https://kubernetes.default.svc', environments: splitList(a.hubEnvironments) }, ...(a.spokes ?? [])],
    ...(splitList(a.tenants).length ? { tenants: splitList(a.tenants).map((name) => ({ name })) } : {}),
    delivery: { strategy: a.strategy ?? 'rolling', router: a.router ?? 'none' },
  };
}
