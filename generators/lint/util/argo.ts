// Readers for Argo CD objects shared by several rules: the Application specs a repo declares
// (Applications and ApplicationSet templates), their sources, and AppProjects.

import type { ParsedResource } from '../../check/resources.ts';
import type { LintContext } from '../types.ts';
import { ptr } from './pointer.ts';
import { asArray, asObj, isObj, str, type Obj } from './values.ts';

export const RESOURCES_FINALIZER = /^resources-finalizer\.argocd\.argoproj\.io(\/(background|foreground))?$/;
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

export interface AppSpecSite {
  resource: ParsedResource;
  /** The Application spec (for an ApplicationSet: its template's spec). */
  spec: Obj;
  /** Pointer to that spec. */
  pointer: string;
  /** Metadata of the Application (for an ApplicationSet: of its template). */
  metadata: Obj;
  metadataPointer: string;
  fromApplicationSet: boolean;
}

/** Every Application spec written in the repo: Applications and ApplicationSet templates. */
export function appSpecs(ctx: LintContext): AppSpecSite[] {
  const out: AppSpecSite[] = [];
  for (const r of ctx.ofKind('Application'))
    out.push({ resource: r, spec: asObj(r.obj.spec), pointer: '/spec', metadata: asObj(r.obj.metadata), metadataPointer: '/metadata', fromApplicationSet: false });
  for (const r of ctx.ofKind('ApplicationSet')) {
    const t = asObj(r.obj.spec?.template);
    out.push({ resource: r, spec: asObj(t.spec), pointer: '/spec/template/spec', metadata: asObj(t.metadata), metadataPointer: '/spec/template/metadata', fromApplicationSet: true });
  }
  return out;
}

/** `source` and every entry of `sources`, with pointers. */
export function sourcesOf(spec: Obj, pointer: string): { source: Obj; pointer: string }[] {
  const out: { source: Obj; pointer: string }[] = [];
  if (isObj(spec.source)) out.push({ source: spec.source, pointer: ptr(pointer, 'source') });
  asArray(spec.sources).forEach((s, i) => isObj(s) && out.push({ source: s, pointer: ptr(pointer, 'sources', i) }));
  return out;
}

export const projectName = (r: ParsedResource): string => str(r.obj.metadata?.name) ?? '';

export const isAdminProject = (ctx: LintContext, r: ParsedResource): boolean => ctx.options.adminProjects.includes(projectName(r));

/** AppProjects a tenant may use: not admin projects and not `default` (ACD007 covers that one). */
export const tenantProjects = (ctx: LintContext): ParsedResource[] =>
  ctx.ofKind('AppProject').filter((p) => !isAdminProject(ctx, p) && projectName(p) !== 'default');
