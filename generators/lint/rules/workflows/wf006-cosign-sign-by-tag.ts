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

/**
 * Shell words of a command line up to the first command separator (newline, ;, |, &&, ||),
 * keeping quoted strings and $(...) / \${...} substitutions whole.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      depth++;
      word += c + text[++i];
    } else if ((c === ')' || c === '}') && depth > 0) {
      depth--;
      word += c;
    } else if (depth > 0) word += c;
    else if (c === '\\' && text[i + 1] === '\n') i++;
    else if (c === '\n' || c === ';' || c === '|' || (c === '&' && text[i + 1] === '&')) break;
    else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else word += c;
  }
  if (word) words.push(word);
  return words;
}

/** Image references given to `cosign sign` / `cosign attest` that are not pinned by digest. */
export function unpinnedCosignTargets(text: string): { verb: string; image: string }[] {
  const out: { verb: string; image: string }[] = [];
  for (const m of text.matchAll(/\bcosign\s+(sign|attest)(?![\w-])/g)) {
    const tokens = shellWords(text.slice(m.index! + m[0].length));
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
  scope: 'resource',
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
