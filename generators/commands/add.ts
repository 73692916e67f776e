// `add service|tenant|cluster|environment` and `remove ...`: one subcommand per kind. The flags of a
// kind are its model fields (commands/edit.ts maps them onto the entity); fields without a flag
// are set with --set, relative to the entity.

import { REPO_FLAG, WRITE_FLAGS } from './flags.ts';
import type { CommandSpec, FlagSpec } from './types.ts';

export const KINDS = ['service', 'tenant', 'cluster', 'environment'] as const;
type Kind = (typeof KINDS)[number];

const model = (m: 'services' | 'tenants' | 'clusters' | 'environments') => ({ model: m }) as const;

/** The model fields each kind takes as flags (the flag name is the field name). */
export const KIND_FLAGS: Record<Kind, Record<string, FlagSpec>> = {
  service: {
    tenant: { type: 'string', value: 'TENANT', complete: model('tenants'), description: 'the tenant (team) that owns it (required for a new service)' },
    image: { type: 'string', value: 'REPO[:TAG][@DIGEST]', complete: 'none', description: 'the image repository; a tag and digest given here stand for --tag and --digest' },
    tag: { type: 'string', value: 'TAG', complete: 'none', description: 'the pinned image tag (never latest; required unless --image carries it)' },
    digest: { type: 'string', value: 'sha256:...', complete: 'none', description: 'the image digest, pinned beside the tag' },
    port: { type: 'string', value: 'N', complete: 'none', description: 'the container port (default 8080)' },
    strategy: { type: 'string', value: 'STRATEGY', choices: ['canary', 'blueGreen', 'rolling'], description: "delivery strategy (default: the platform's delivery.strategy)" },
    host: { type: 'string', value: 'HOST', complete: 'none', description: 'public host name in the last environment (default: not routed)' },
    environments: { type: 'string', value: 'ENV,...', complete: model('environments'), description: "environments it deploys to (default: all of the tenant's)" },
    chart: { type: 'string', value: 'REPO/CHART', complete: 'none', description: 'deploy a Helm chart instead of an image: oci://registry/path/chart or https://helm-repo/chart (values with --set values.KEY=V)' },
    'chart-version': { type: 'string', value: 'X.Y.Z', complete: 'none', description: 'the exact chart version (required with --chart; never a range)' },
  },
  tenant: {
    environments: { type: 'string', value: 'ENV,...', complete: model('environments'), description: 'environments it deploys to (default: all)' },
  },
  cluster: {
    server: { type: 'string', value: 'URL', complete: 'none', description: 'the Kubernetes API server URL (required for a new cluster)' },
    environment: { type: 'string', value: 'ENV', complete: model('environments'), description: 'the one environment it serves' },
    environments: { type: 'string', value: 'ENV,...', complete: model('environments'), description: 'the environments it serves (instead of --environment)' },
    region: { type: 'string', value: 'REGION', complete: 'none', description: 'its region (used in names and labels)' },
  },
  environment: {
    after: { type: 'string', value: 'ENV', complete: model('environments'), description: 'insert after this environment in the promotion order (default: just before the last one)' },
    cluster: { type: 'string', value: 'NAME', complete: model('clusters'), description: 'the cluster serving it: an existing one, or a new one created with --server (required)' },
    server: { type: 'string', value: 'URL', complete: 'none', description: 'API server URL of the new cluster named by --cluster' },
    region: { type: 'string', value: 'REGION', complete: 'none', description: 'region of the new cluster named by --cluster' },
    protected: { type: 'boolean', description: 'protected: signed images only, manual promotion' },
  },
};

const LIST: Record<Kind, 'services' | 'tenants' | 'clusters' | 'environments'> = { service: 'services', tenant: 'tenants', cluster: 'clusters', environment: 'environments' };

const ADD_EXAMPLES: Record<Kind, string[]> = {
  service: [
    'gitops-scaffold add service checkout --tenant payments --image ghcr.io/acme/checkout:1.2.0 --strategy canary',
    'gitops-scaffold add service checkout --tenant payments --image ghcr.io/acme/checkout --tag 1.2.0 --set overrides.prod.replicas=4',
    'gitops-scaffold add service checkout --update --tag 1.3.0 --dry-run  # prints a diff, writes nothing',
    'gitops-scaffold add service cache --tenant payments --chart oci://registry-1.docker.io/bitnamicharts/redis --chart-version 20.1.3 --set values.architecture=standalone',
  ],
  tenant: ['gitops-scaffold add tenant billing --environments dev,staging', 'gitops-scaffold add tenant billing --set groups.developer=billing-devs'],
  cluster: ['gitops-scaffold add cluster prod-ap-1 --server https://prod-ap-1.k8s.acme.example.com --environment prod --region ap-southeast-1'],
  environment: [
    'gitops-scaffold add environment qa --after dev --cluster hub',
    'gitops-scaffold add environment qa --cluster qa-eu-1 --server https://qa-eu-1.k8s.acme.example.com --region eu-west-1',
  ],
};

const ADD_NOTES: Record<Kind, string> = {
  service: 'Adds the service to platform.yaml and writes its kustomize base, one overlay per environment, and what its strategy needs (Rollout, analysis, routing).',
  tenant: 'Adds the tenant (team) to platform.yaml: its AppProject, namespaces, quotas and ApplicationSet.',
  cluster: 'Adds the cluster to platform.yaml and registers it with Argo CD (no token in Git).',
  environment: 'Adds the environment to the promotion order (just before the last one unless --after) and to every tenant and service that deploys everywhere.',
};

const editFlags = (kind: Kind): Record<string, FlagSpec> => ({
  name: { type: 'string', value: 'NAME', complete: 'none', description: `the ${kind} name (instead of the NAME argument)` },
  ...KIND_FLAGS[kind],
  answers: { type: 'string', value: 'FILE', complete: 'file', description: `the ${kind}'s fields as YAML or JSON` },
  set: { type: 'string', value: 'PATH=VALUE', multiple: true, complete: 'none', description: `one field by its path relative to the ${kind}, e.g. ${kind === 'service' ? 'overrides.prod.replicas=4' : kind === 'tenant' ? 'groups.developer=devs' : 'labels.tier=gold'} (repeatable; wins over flags and --answers)` },
  update: { type: 'boolean', description: `the ${kind} exists: replace the fields given, keep the others` },
  yes: { type: 'boolean', short: 'y', description: 'never prompt for missing fields' },
  ...REPO_FLAG,
  ...WRITE_FLAGS,
});

const loadEdit = async () => (await import('./handlers/edit.ts')).edit;

export const addCommand: CommandSpec = {
  name: 'add',
  summary: 'add a service, tenant, cluster or environment to platform.yaml and write what it implies',
  description:
    'Fields come from flags, --answers FILE and --set (paths relative to the entity); on a TTY, missing fields are asked. Adding what exists with the same fields changes nothing; with different fields it fails and asks for --update.',
  subcommandArg: 'KIND',
  subcommands: KINDS.map((kind) => ({
    name: kind,
    summary: `add a ${kind}`,
    description: `${ADD_NOTES[kind]} Adding what exists with the same fields changes nothing; with other fields it fails unless --update.`,
    args: [{ name: 'NAME', description: `the ${kind} name (or --name; asked on a TTY)` }],
    flags: editFlags(kind),
    examples: ADD_EXAMPLES[kind],
    load: loadEdit,
  })),
};

export const removeCommand: CommandSpec = {
  name: 'remove',
  summary: 'remove a service, tenant, cluster or environment and prune exactly its files',
  description: 'Removing something others depend on (a tenant with services, the only cluster of an environment) fails with exit 2 and lists them. add then remove returns the repository to the same bytes.',
  subcommandArg: 'KIND',
  subcommands: KINDS.map((kind) => ({
    name: kind,
    summary: `remove a ${kind}`,
    description: `Removes the ${kind} from platform.yaml and deletes the files only it needed.${kind === 'environment' ? ' The clusters that served only this environment are removed too.' : ''}`,
    args: [{ name: 'NAME', description: `the ${kind} to remove (or --name)`, complete: model(LIST[kind]) }],
    flags: {
      name: { type: 'string', value: 'NAME', complete: model(LIST[kind]), description: `the ${kind} to remove (instead of the NAME argument)` },
      yes: { type: 'boolean', short: 'y', description: 'do not ask before deleting files (never asked without a TTY or with --json)' },
      ...REPO_FLAG,
      ...WRITE_FLAGS,
    },
    examples: [`gitops-scaffold remove ${kind} ${kind === 'service' ? 'checkout' : kind === 'tenant' ? 'billing' : kind === 'cluster' ? 'prod-ap-1' : 'qa'}`, `gitops-scaffold remove ${kind} NAME --dry-run  # prints what would be deleted`],
    load: loadEdit,
  })),
};
