// Where pod specs and containers live in every kind the linter knows. kube-linter, Polaris and
// Kyverno's autogen stop at Deployment-like kinds; Argo Rollouts and the Argo Workflows kinds carry
// pod specs too (security.md §5), so the pod rules read them all through this one module.

import type { ParsedResource } from '../../check/resources.ts';
import { ptr } from './pointer.ts';
import { asArray, asObj, isObj, str, type Obj } from './values.ts';

/** Kinds whose pod spec sits at `spec.template.spec`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Rollout']);
export const WORKFLOW_KINDS = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);
/** Long-running kinds that serve traffic and need probes. */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'Rollout']);

export interface ContainerSite {
  resource: ParsedResource;
  container: Obj;
  /** Pointer to the container. */
  pointer: string;
  /** `containers`, `initContainers`, `sidecars`, `container`, `script`, `containerSet`. */
  role: string;
  /** Pod-level securityContext that applies to this container (merged for workflows). */
  podSecurityContext: Obj;
  /** The pod site it belongs to. */
  pod: PodSite;
}

export interface PodSite {
  resource: ParsedResource;
  /** Pointer to the object holding pod-level fields (PodSpec, or a workflow template). */
  pointer: string;
  /** PodSpec-like object: securityContext, volumes, hostNetwork, automountServiceAccountToken ... */
  spec: Obj;
  podSecurityContext: Obj;
  containers: ContainerSite[];
  /** Set for Argo Workflows templates: the template's name. */
  workflowTemplate?: string;
}

function podOfPodSpec(resource: ParsedResource, pointer: string, spec: Obj): PodSite {
  const podSecurityContext = asObj(spec.securityContext);
  const pod: PodSite = { resource, pointer, spec, podSecurityContext, containers: [] };
  for (const role of ['initContainers', 'containers'])
    asArray(spec[role]).forEach((c, i) => {
      if (isObj(c)) pod.containers.push({ resource, container: c, pointer: ptr(pointer, role, i), role, podSecurityContext, pod });
    });
  return pod;
}

/** The workflow spec of a Workflow-family resource and its pointer (CronWorkflow nests it). */
export function workflowSpecOf(resource: ParsedResource): { spec: Obj; pointer: string } | undefined {
  const obj = resource.obj;
  if (!WORKFLOW_KINDS.has(obj.kind)) return undefined;
  if (obj.kind === 'CronWorkflow') return { spec: asObj(obj.spec?.workflowSpec), pointer: '/spec/workflowSpec' };
  return { spec: asObj(obj.spec), pointer: '/spec' };
}

/** Pod sites of an Argo Workflows spec: one per template that runs containers. */
function podsOfWorkflow(resource: ParsedResource): PodSite[] {
  const wf = workflowSpecOf(resource);
  if (!wf) return [];
  const workflowSc = asObj(wf.spec.securityContext);
  const out: PodSite[] = [];
  asArray(wf.spec.templates).forEach((t, i) => {
    if (!isObj(t)) return;
    const pointer = ptr(wf.pointer, 'templates', i);
    // A template-level securityContext replaces the workflow-level one for that pod.
    const podSecurityContext = isObj(t.securityContext) ? t.securityContext : workflowSc;
    const spec: Obj = {
      securityContext: podSecurityContext,
      volumes: [...asArray(wf.spec.volumes), ...asArray(t.volumes)],
      hostNetwork: wf.spec.hostNetwork,
      automountServiceAccountToken: t.automountServiceAccountToken ?? wf.spec.automountServiceAccountToken,
      podSpecPatch: t.podSpecPatch ?? wf.spec.podSpecPatch,
    };
    const pod: PodSite = { resource, pointer, spec, podSecurityContext, containers: [], workflowTemplate: str(t.name) };
    const add = (c: unknown, p: string, role: string) => {
      if (isObj(c)) pod.containers.push({ resource, container: c, pointer: p, role, podSecurityContext, pod });
    };
    add(t.container, ptr(pointer, 'container'), 'container');
    add(t.script, ptr(pointer, 'script'), 'script');
    asArray(t.containerSet?.containers).forEach((c, j) => add(c, ptr(pointer, 'containerSet', 'containers', j), 'containerSet'));
    asArray(t.initContainers).forEach((c, j) => add(c, ptr(pointer, 'initContainers', j), 'initContainers'));
    asArray(t.sidecars).forEach((c, j) => add(c, ptr(pointer, 'sidecars', j), 'sidecars'));
    if (pod.containers.length) out.push(pod);
  });
  return out;
}

/** Every pod site of a resource (none for kinds that carry no pod spec). */
export function podsOf(resource: ParsedResource): PodSite[] {
  const obj = resource.obj;
  if (obj.kind === 'Pod' && isObj(obj.spec)) return [podOfPodSpec(resource, '/spec', obj.spec)];
  if (TEMPLATE_KINDS.has(obj.kind) && isObj(obj.spec?.template?.spec)) return [podOfPodSpec(resource, '/spec/template/spec', obj.spec.template.spec)];
  if (obj.kind === 'CronJob' && isObj(obj.spec?.jobTemplate?.spec?.template?.spec))
    return [podOfPodSpec(resource, '/spec/jobTemplate/spec/template/spec', obj.spec.jobTemplate.spec.template.spec)];
  if (WORKFLOW_KINDS.has(obj.kind)) return podsOfWorkflow(resource);
  return [];
}

export const allPods = (resources: readonly ParsedResource[]): PodSite[] => resources.flatMap(podsOf);
export const allContainers = (resources: readonly ParsedResource[]): ContainerSite[] => allPods(resources).flatMap((p) => p.containers);

/** A short label for messages: `container "app"` or `template "build" container`. */
export function containerLabel(c: ContainerSite): string {
  const name = str(c.container.name);
  if (c.pod.workflowTemplate !== undefined) return `template "${c.pod.workflowTemplate}" ${c.role}${name ? ` "${name}"` : ''}`;
  return `${c.role === 'initContainers' ? 'init container' : 'container'} "${name ?? '?'}"`;
}
