// What a kustomization built on a pinned upstream release deploys: the bases of argo-rollouts,
// argo-workflows reference their own images by a floating tag at the release
// tag itself (generators/model/versions.ts UPSTREAM_BASE_IMAGES), so "pinned to v1.9.1" still
// pulls whatever `latest` is, on every node, at every restart.

import { UPSTREAM_BASE_IMAGES } from '../../model/versions.ts';
import type { Finding } from '../../check/finding.ts';
import { asArray, asObj, finding, isObj, mayHold, perResourceRule, ptr, str, type ControllerRule } from './util.ts';

/** `https://github.com/argoproj/argo-rollouts//manifests/cluster-install?ref=v1.9.1` -> repo and ref. */
function remoteBase(entry: string): { repo: string; ref?: string } | undefined {
  const m = /^(?:git::)?(https:\/\/github\.com\/[^/]+\/[^/?]+?)(?:\.git)?\/\/[^?]*(?:\?(?:.*&)?ref=([^&]+))?/.exec(entry);
  return m ? { repo: m[1], ref: m[2] } : undefined;
}

const GITHUB = 'https://github.com/';

/** Per Kustomization alone: kept per file across runs (controllers/index.ts). */
const floatingUpstreamImages: ControllerRule = perResourceRule('kustomize/upstream-floating-image', ['Kustomization'], (k) => {
    const pinned = new Set(
      asArray(k.obj.images)
        .filter((i) => isObj(i) && (str(i.newTag) || str(i.digest)))
        .map((i) => str(asObj(i).name)),
    );
    const out: Finding[] = [];
    asArray(k.obj.resources).forEach((entry, i) => {
      // Local entries (almost all of them, thousands in a fleet) cannot name a GitHub base.
      const base = typeof entry === 'string' && entry.includes(GITHUB) ? remoteBase(entry) : undefined;
      const known = base && UPSTREAM_BASE_IMAGES.find((b) => b.repo === base.repo && b.version === base.ref);
      if (!known) return;
      // argo-events' own base already sets its tag: only images the base leaves floating count.
      const floating = known.images.filter((img) => img.floatingUpstream && !pinned.has(img.name));
      if (floating.length)
        out.push(
          finding(k, {
            rule: 'sim/kustomize/upstream-floating-image',
            severity: 'error',
            path: ptr('resources', i),
            message: `the upstream base at ${base!.ref} deploys ${floating.map((f) => `${f.name}:latest`).join(', ')}: each node pulls whatever "latest" is, not ${base!.ref}`,
            fix: `pin them under images: ${floating.map((f) => `{name: ${f.name}, newTag: ${f.newTag}}`).join(', ')}`,
          }),
        );
    });
    return out;
}, (text) => mayHold(text, GITHUB));

export const kustomizeImageRules: ControllerRule[] = [floatingUpstreamImages];
