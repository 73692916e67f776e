import type { Rule } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { ptr } from '../../util/pointer.ts';
import { isTemplated, str } from '../../util/values.ts';

/** Why an image reference is mutable, or undefined when it names a tag or digest. */
export function imageProblem(image: string): string | undefined {
  if (image.includes('@')) return undefined; // digest
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  if (colon < 0) return 'has no tag, so it means :latest';
  return last.slice(colon + 1) === 'latest' ? 'uses :latest' : undefined;
}

export const imageTag: Rule = {
  id: 'K8S002',
  name: 'image-tag',
  severity: 'warning',
  scope: 'resource',
  description: 'Container image without a tag or with `:latest`: what runs is not what Git says, and a restart can pull a different image.',
  fix: 'Pin the image to a version tag, better to a digest (`repo:1.4.2@sha256:...`).',
  source: 'security.md rule 39; seed "Mistake 10"; kube-linter latest-tag; Kyverno disallow-latest-tag; Polaris tagNotSpecified',
  check(ctx) {
    return allContainers(ctx.resources).flatMap((c) => {
      const image = str(c.container.image);
      if (!image || isTemplated(image)) return [];
      const why = imageProblem(image);
      return why ? [at(c.resource, ptr(c.pointer, 'image'), `${containerLabel(c)} image "${image}" ${why}`)] : [];
    });
  },
};
