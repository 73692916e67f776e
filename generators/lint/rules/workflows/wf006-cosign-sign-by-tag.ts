import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { allContainers, containerLabel } from '../../util/pods.ts';
import { containerText } from '../../util/workflows.ts';

/** cosign flags that take a separate value (`--key k8s://...`), so the value is not the image. */
const VALUE_FLAGS = new Set([
  '--key', '--identity-token', '--type', '--predicate', '-a', '--annotations', '--certificate', '--certificate-chain',
  '--rekor-url', '--fulcio-url', '--oidc-issuer', '--oidc-client-id', '--oidc-client-secret-file', '--oidc-provider',
  '--output-signature', '--output-certificate', '--output-payload', '--output-file', '--sk', '--slot', '--payload',
  '--registry-username', '--registry-password', '--registry-token', '--attachment', '--signing-config', '--bundle',
  '--certificate-identity', '--certificate-oidc-issuer', '--timeout', '-t', '--attachment-tag-prefix', '--trusted-root',
  '--ca-roots', '--ca-intermediates', '--k8s-keychain-secret',
]);
/** A whole-token variable whose value (tag or digest) is unknown here. */
const OPAQUE = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\(.+\)|\{\{[^}]+\}\})$/;

/** Image references given to `cosign sign` / `cosign attest` that are not pinned by digest. */
export function unpinnedCosignTargets(text: string): { verb: string; image: string }[] {
  const out: { verb: string; image: string }[] = [];
  const flat = text.replace(/\\\r?\n/g, ' ');
  for (const m of flat.matchAll(/\bcosign\s+(sign|attest)(?![\w-])/g)) {
    const rest = flat.slice(m.index! + m[0].length).split(/\r?\n|&&|\|\||;|\|/)[0];
    const tokens = rest.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/^["']|["']$/g, ''));
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.startsWith('-')) {
        if (!t.includes('=') && VALUE_FLAGS.has(t)) i++;
        continue;
      }
      if (t === 'true' || t === 'false') continue; // value of a boolean flag written apart
      if (!t.includes('@') && !OPAQUE.test(t)) out.push({ verb: m[1], image: t });
    }
  }
  return out;
}

export const cosignSignByTag: Rule = {
  id: 'WF006',
  name: 'cosign-sign-by-tag',
  severity: 'error',
  description: '`cosign sign` or `cosign attest` given an image by tag instead of `@sha256:` digest: the signature lands on whatever the tag points to at that moment.',
  fix: 'Sign `<repo>@sha256:<digest>`, with the digest handed over from the build step (kaniko `--digest-file`).',
  source: 'security.md §3.3, rule 34; `cosign sign --help` ("sign the image by its digest")',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const c of allContainers(ctx.resources))
      for (const hit of unpinnedCosignTargets(containerText(c.container)))
        out.push(at(c.resource, c.pointer, `${containerLabel(c)} runs cosign ${hit.verb} on "${hit.image}", a tag: a push between build and signing gets the signature`));
    return out;
  },
};
