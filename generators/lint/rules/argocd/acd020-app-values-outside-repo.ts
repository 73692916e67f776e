import path from 'node:path';
import type { Rule, RuleFinding } from '../../types.ts';
import { appSpecs, sourcesOf } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isTemplated, str } from '../../util/values.ts';

/** Why a Helm value file reaches outside the source repository, or undefined. */
export function valueFileProblem(file: string, sourcePath: string | undefined): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return 'is fetched from a URL, outside the project\'s sourceRepos allow-list';
  if (file.startsWith('/')) return 'is an absolute path on the repo-server';
  // `$values/...` is relative to the root of the source with `ref: values`; otherwise to source.path.
  const base = file.startsWith('$') ? '.' : sourcePath ?? '.';
  const rel = file.startsWith('$') ? file.replace(/^\$[^/]*\/?/, '') : file;
  const resolved = path.posix.normalize(path.posix.join(base, rel));
  return resolved === '..' || resolved.startsWith('../') ? 'climbs out of the repository root' : undefined;
}

export const appValuesOutsideRepo: Rule = {
  id: 'ACD020',
  name: 'app-values-outside-repo',
  severity: 'error',
  scope: 'resource',
  description: 'Helm `valueFiles` given as a URL, an absolute path, or a relative path that climbs out of the repository (the CVE-2022-24348 path traversal class).',
  fix: 'Keep value files inside the source repository (or a `ref` source listed in the project) and reference them relative to the chart path or as `$ref/...`.',
  source: 'security.md §1.7, rule 20; CVE-2022-24348, CVE-2022-24731',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of appSpecs(ctx))
      for (const { source, pointer } of sourcesOf(site.spec, site.pointer))
        asArray(source.helm?.valueFiles).forEach((f, i) => {
          const file = str(f);
          if (!file || isTemplated(file.replace(/^\$[A-Za-z0-9_-]+\//, ''))) return;
          const why = valueFileProblem(file, str(source.path));
          if (why) out.push(at(site.resource, ptr(pointer, 'helm', 'valueFiles', i), `value file "${file}" ${why}`));
        });
    return out;
  },
};
