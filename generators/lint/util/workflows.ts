// Argo Workflows views shared by the workflow rules: the spec that governs a run (with the
// referenced WorkflowTemplate merged in), templates with pointers, and the text a step executes.

import type { ParsedResource } from '../../check/resources.ts';
import type { LintContext } from '../types.ts';
import { workflowSpecOf } from './pods.ts';
import { ptr } from './pointer.ts';
import { asArray, isObj, str, type Obj } from './values.ts';

export interface RunSpec {
  resource: ParsedResource;
  /** Spec-level fields in effect for a run: the workflow's own over its workflowTemplateRef's. */
  spec: Obj;
  /** Pointer to the resource's own workflow spec. */
  pointer: string;
}

/**
 * The spec that governs a run, for spec-level rules (deadline, pod GC, service account). Left out:
 * WorkflowTemplates without an entrypoint (libraries called through templateRef, where the
 * caller's spec applies) and Workflows whose workflowTemplateRef is not in the repo.
 */
export function runSpecs(ctx: LintContext): RunSpec[] {
  const out: RunSpec[] = [];
  for (const r of ctx.ofKind('Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow')) {
    const wf = workflowSpecOf(r)!;
    const ref = wf.spec.workflowTemplateRef;
    if (isObj(ref)) {
      const kind = ref.clusterScope === true ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
      const target = ctx.ofKind(kind).find((t) => t.obj.metadata?.name === ref.name);
      if (!target) continue;
      out.push({ resource: r, spec: { ...(target.obj.spec ?? {}), ...wf.spec }, pointer: wf.pointer });
    } else if (r.obj.kind === 'Workflow' || r.obj.kind === 'CronWorkflow' || str(wf.spec.entrypoint)) {
      out.push({ resource: r, spec: wf.spec, pointer: wf.pointer });
    }
  }
  return out;
}

export interface TemplateSite {
  resource: ParsedResource;
  template: Obj;
  pointer: string;
  name: string;
  /** The workflow spec the template belongs to. */
  workflowSpec: Obj;
  workflowPointer: string;
}

export function workflowTemplates(ctx: LintContext): TemplateSite[] {
  const out: TemplateSite[] = [];
  for (const r of ctx.ofKind('Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow')) {
    const wf = workflowSpecOf(r)!;
    asArray(wf.spec.templates).forEach((t, i) => {
      if (isObj(t)) out.push({ resource: r, template: t, pointer: ptr(wf.pointer, 'templates', i), name: str(t.name) ?? String(i), workflowSpec: wf.spec, workflowPointer: wf.pointer });
    });
  }
  return out;
}

/** What a container or script executes: image, command, args and script source, as one text. */
export function containerText(c: Obj): string {
  return [str(c.image), ...asArray(c.command).map(String), ...asArray(c.args).map(String), str(c.source)].filter(Boolean).join(' ');
}

/** Everything a template executes (container, script, containerSet). */
export function templateText(t: Obj): string {
  return [t.container, t.script, ...asArray(t.containerSet?.containers)].filter(isObj).map(containerText).join('\n');
}
