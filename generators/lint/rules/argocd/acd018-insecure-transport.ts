import type { ParsedResource } from '../../../check/resources.ts';
import type { Rule, RuleFinding } from '../../types.ts';
import { appSpecs, sourcesOf } from '../../util/argo.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { ARGOCD_CREDENTIAL_TYPES, ARGOCD_SECRET_TYPE, argocdSecretType, clusterConfig, isCoreSecret, secretValues } from '../../util/secrets.ts';
import { asArray, isObj, isTrue, str } from '../../util/values.ts';

const PLAIN = /^(http|git):\/\//i;

/** Every `repoURL` under ApplicationSet generators (git, plugin inputs, nested combinations). */
function generatorRepoUrls(value: unknown, pointer: string, out: { url: string; pointer: string }[]) {
  if (Array.isArray(value)) value.forEach((v, i) => generatorRepoUrls(v, ptr(pointer, i), out));
  else if (isObj(value))
    for (const [k, v] of Object.entries(value)) {
      if (k === 'repoURL' && typeof v === 'string') out.push({ url: v, pointer: ptr(pointer, k) });
      else generatorRepoUrls(v, ptr(pointer, k), out);
    }
}

function credentialSettings(r: ParsedResource, entries: { key: string; value: string; pointer: string }[], type: string, out: RuleFinding[]) {
  for (const e of entries) {
    if (e.key === 'insecure' && isTrue(e.value)) out.push(at(r, e.pointer, `Argo CD ${type} secret sets insecure "true": TLS certificate and SSH host key checks are off`, 'Remove `insecure`; add the CA or known host instead.'));
    if (e.key === 'url' && PLAIN.test(e.value)) out.push(at(r, e.pointer, `repository URL "${e.value}" is fetched over an unencrypted protocol`, 'Use an https:// or ssh URL.'));
    if (e.key === 'config' && /"insecure"\s*:\s*true/.test(e.value)) out.push(at(r, e.pointer, 'cluster config sets tlsClientConfig.insecure: the API server certificate is not verified', 'Set `"insecure": false` and provide `caData`.'));
  }
}

export const insecureTransport: Rule = {
  id: 'ACD018',
  name: 'insecure-transport',
  severity: 'error',
  scope: 'resource',
  description: 'TLS or host-key verification off, or plain-text transport: `insecure` in Argo CD cluster/repository secrets (also when rendered by an ExternalSecret), http:// or git:// repoURLs, `insecure: true` analysis providers, http:// Vault servers.',
  fix: 'Use https:// or ssh URLs, keep `insecure` off and distribute the CA (caData, caBundle, TLS certs ConfigMap) instead.',
  source: 'security.md §1.5 and §2.3, rule 18; Argo CD declarative-setup.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of appSpecs(ctx))
      for (const { source, pointer } of sourcesOf(site.spec, site.pointer)) {
        const url = str(source.repoURL);
        if (url && PLAIN.test(url)) out.push(at(site.resource, ptr(pointer, 'repoURL'), `repoURL "${url}" is fetched without TLS: a network attacker can change what gets deployed`, 'Use an https:// or ssh URL.'));
      }
    for (const r of ctx.ofKind('ApplicationSet')) {
      const urls: { url: string; pointer: string }[] = [];
      generatorRepoUrls(r.obj.spec?.generators, '/spec/generators', urls);
      for (const u of urls) if (PLAIN.test(u.url)) out.push(at(r, u.pointer, `generator repoURL "${u.url}" is fetched without TLS: generator input decides clusters and paths`, 'Use an https:// or ssh URL.'));
    }
    for (const r of ctx.ofKind('Secret')) {
      const type = argocdSecretType(r);
      if (isCoreSecret(r) && type && ARGOCD_CREDENTIAL_TYPES.has(type)) {
        const values = secretValues(r);
        credentialSettings(r, values.filter((v) => v.key !== 'config'), type, out);
        const cfg = clusterConfig(values);
        if (cfg && isObj(cfg.config?.tlsClientConfig) && cfg.config.tlsClientConfig.insecure === true)
          out.push(at(r, cfg.pointer, 'cluster config sets tlsClientConfig.insecure: the API server certificate is not verified', 'Set `"insecure": false` and provide `caData`.'));
      }
    }
    for (const r of ctx.ofKind('ExternalSecret')) {
      const template = r.obj.spec?.target?.template;
      const type = str(template?.metadata?.labels?.[ARGOCD_SECRET_TYPE]);
      if (!type || !ARGOCD_CREDENTIAL_TYPES.has(type) || !isObj(template.data)) continue;
      const entries = Object.entries(template.data).flatMap(([key, v]) => (typeof v === 'string' || typeof v === 'boolean' ? [{ key, value: String(v), pointer: ptr('/spec/target/template/data', key) }] : []));
      credentialSettings(r, entries, type, out);
    }
    for (const r of ctx.ofKind('AnalysisTemplate', 'ClusterAnalysisTemplate'))
      asArray(r.obj.spec?.metrics).forEach((m, i) => {
        for (const provider of ['prometheus', 'web'])
          if (m?.provider?.[provider]?.insecure === true)
            out.push(at(r, ptr('/spec/metrics', i, 'provider', provider, 'insecure'), `metric "${str(m.name) ?? i}" ${provider} provider skips TLS verification: a spoofed endpoint decides whether the rollout is promoted`, 'Remove `insecure: true`; trust the endpoint\'s CA instead.'));
      });
    for (const r of ctx.ofKind('SecretStore', 'ClusterSecretStore')) {
      const server = str(r.obj.spec?.provider?.vault?.server);
      if (server && /^http:\/\//i.test(server)) out.push(at(r, '/spec/provider/vault/server', `Vault server "${server}" is reached without TLS: secrets and tokens travel in clear text`, 'Use https:// and set caBundle or caProvider.'));
    }
    return out;
  },
};
