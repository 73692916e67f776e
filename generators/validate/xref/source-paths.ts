// Paths into this repository must exist: ApplicationSet git generator directories and files,
// and the source path of Applications and ApplicationSet templates, whenever their repoURL is the
// repository itself. A templated path (`{{ .path.basename }}`) is checked as a glob.
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { type XrefCheck, type XrefContext, describe, finding, isKind, isOwnRepo, ofKinds } from './context.ts';
import { globToRegExp, isTemplated, templateToGlob } from './glob.ts';

export const checkSourcePaths: XrefCheck = (ctx) => {
  if (!ctx.repoUrl) return [];
  const out: Finding[] = [];
  for (const r of ofKinds(ctx, 'Application', 'ApplicationSet')) {
    if (isKind(r, 'Application', 'argoproj.io')) out.push(...sourcePaths(ctx, r, r.obj?.spec, '/spec'));
    if (isKind(r, 'ApplicationSet', 'argoproj.io')) {
      out.push(...sourcePaths(ctx, r, r.obj?.spec?.template?.spec, '/spec/template/spec'));
      gitGenerators(r.obj?.spec?.generators, '/spec/generators').forEach(([ptr, git]) => out.push(...gitGeneratorPaths(ctx, r, ptr, git)));
    }
  }
  return out;
};

/** Git generators, also nested one level in matrix/merge generators. */
function gitGenerators(generators: unknown, at: string): [string, any][] {
  if (!Array.isArray(generators)) return [];
  const out: [string, any][] = [];
  generators.forEach((g: any, i) => {
    if (g?.git) out.push([`${at}/${i}/git`, g.git]);
    for (const nest of ['matrix', 'merge']) if (g?.[nest]?.generators) out.push(...gitGenerators(g[nest].generators, `${at}/${i}/${nest}/generators`));
  });
  return out;
}

function gitGeneratorPaths(ctx: XrefContext, r: ParsedResource, at: string, git: any): Finding[] {
  if (!isOwnRepo(ctx, git?.repoURL)) return [];
  const out: Finding[] = [];
  const check = (list: unknown, field: 'directories' | 'files') =>
    (Array.isArray(list) ? list : []).forEach((entry: any, i: number) => {
      if (typeof entry?.path !== 'string' || entry.exclude) return;
      const re = globToRegExp(templateToGlob(entry.path).replace(/\/+$/, ''));
      const pool = field === 'directories' ? ctx.repo.dirs : ctx.repo.files;
      if (![...pool].some((p) => re.test(p))) {
        const what = field === 'directories' ? 'directory' : 'file';
        out.push(
          finding(r, 'xref/appset-path', `${at}/${field}/${i}/path`, `${pointerToDotted(at)}.${field}[${i}].path: no ${what} in this repository matches "${entry.path}" (${describe(r)} would generate no Applications from it)`, `Fix the path, or add the ${what} it should match.`),
        );
      }
    });
  check(git.directories, 'directories');
  check(git.files, 'files');
  return out;
}

function sourcePaths(ctx: XrefContext, r: ParsedResource, spec: any, at: string): Finding[] {
  if (!spec || typeof spec !== 'object') return [];
  const sources: [string, any][] = [];
  if (spec.source) sources.push([`${at}/source`, spec.source]);
  (Array.isArray(spec.sources) ? spec.sources : []).forEach((s: any, i: number) => sources.push([`${at}/sources/${i}`, s]));
  const out: Finding[] = [];
  for (const [ptr, src] of sources) {
    if (!isOwnRepo(ctx, src?.repoURL) || typeof src?.path !== 'string' || src.chart) continue;
    const p = src.path.replace(/^\.\/?/, '').replace(/\/+$/, '');
    const exists = isTemplated(p) ? [...ctx.repo.dirs].some((d) => globToRegExp(templateToGlob(p)).test(d)) : ctx.repo.isDir(p);
    if (!exists)
      out.push(
        finding(r, 'xref/source-path', `${ptr}/path`, `${pointerToDotted(ptr)}.path: ${describe(r)} points at "${src.path}" in this repository, which is not a directory here`, `Fix the path, or add the directory ${src.path}.`),
      );
  }
  return out;
}

const pointerToDotted = (pointer: string) => pointer.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
