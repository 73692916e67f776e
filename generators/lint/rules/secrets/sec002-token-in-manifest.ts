import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { isObj } from '../../util/values.ts';

/** Credential formats with a recognisable shape (Datree ALL_EXPOSED_SECRET_* detectors). */
export const DETECTORS: [name: string, re: RegExp][] = [
  ['a private key (PEM)', /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/],
  ['a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}\b/],
  ['an AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
];

/** Matches where one of the detectors does (their union): most values are tested once, not seven times. */
const ANY = new RegExp(DETECTORS.map(([, re]) => `(?:${re.source})`).join('|'));

/** The hits in a value; `at` is the path to it (the pointer is made only for a hit). */
function scan(value: unknown, at: (string | number)[], hits: { pointer: string; what: string }[]) {
  if (typeof value === 'string') {
    if (!ANY.test(value)) return;
    const pointer = at.map((s) => ptr(s)).join('');
    for (const [what, re] of DETECTORS) if (re.test(value)) hits.push({ pointer, what });
  } else if (Array.isArray(value))
    value.forEach((v, i) => {
      at.push(i);
      scan(v, at, hits);
      at.pop();
    });
  else if (isObj(value))
    for (const [k, v] of Object.entries(value)) {
      at.push(k);
      scan(v, at, hits);
      at.pop();
    }
}

export const tokenInManifest: Rule = {
  id: 'SEC002',
  name: 'token-in-manifest',
  severity: 'error',
  scope: 'resource',
  description: 'A value anywhere in a manifest that looks like a credential: PEM private key, GitHub/GitLab/Slack token, AWS access key id, Google API key or JWT.',
  fix: 'Move the credential to the secret store and reference it (ExternalSecret, secretKeyRef); revoke the exposed one.',
  source: 'security.md §6 SECRET-SCAN; Datree rules 62-79; seed §8.4',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const r of ctx.resources) {
      const hits: { pointer: string; what: string }[] = [];
      scan(r.obj, [], hits);
      // The value itself is never echoed: findings end up in CI logs.
      for (const h of hits) out.push(at(r, h.pointer, `value looks like ${h.what} committed in plain text`));
    }
    return out;
  },
};
