// An ExternalSecret's store must exist: a SecretStore in the same namespace, or a
// ClusterSecretStore anywhere. A repository that defines no store of that kind at all may keep
// its stores elsewhere, so that case is a warning; a missing name among defined stores (a typo)
// is an error.
import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { type XrefCheck, bySubjectFile, describe, filesWith, finding, isKind, nameOf, ofKinds, runJob, sameNamespace } from './context.ts';

const isExternalSecret = (r: ParsedResource) => isKind(r, 'ExternalSecret', 'external-secrets.io') || isKind(r, 'ClusterExternalSecret', 'external-secrets.io');
const isStore = (r: ParsedResource) => isKind(r, 'SecretStore', 'external-secrets.io') || isKind(r, 'ClusterSecretStore', 'external-secrets.io');

// One job per file of ExternalSecrets: it reads that file and every file that holds a store.
export const checkSecretStores: XrefCheck = (ctx) => {
  let pools: { stores: ParsedResource[]; clusterStores: ParsedResource[] } | undefined;
  let storeFiles: string[] | undefined;
  const poolsOf = () =>
    (pools ??= { stores: ofKinds(ctx, 'SecretStore').filter((r) => isKind(r, 'SecretStore', 'external-secrets.io')), clusterStores: ofKinds(ctx, 'ClusterSecretStore').filter((r) => isKind(r, 'ClusterSecretStore', 'external-secrets.io')) });
  return bySubjectFile(ofKinds(ctx, 'ExternalSecret', 'ClusterExternalSecret'), isExternalSecret).flatMap(({ file, subjects }) =>
    runJob(
      ctx,
      'secret-stores',
      () => ({ key: file, files: [file, ...(storeFiles ??= filesWith(ofKinds(ctx, 'SecretStore', 'ClusterSecretStore'), isStore))] }),
      () => {
        const { stores, clusterStores } = poolsOf();
        const out: Finding[] = [];
        for (const r of subjects) {
          if (isKind(r, 'ExternalSecret', 'external-secrets.io')) out.push(...check(r, r.obj?.spec, '/spec', stores, clusterStores, false));
          if (isKind(r, 'ClusterExternalSecret', 'external-secrets.io')) out.push(...check(r, r.obj?.spec?.externalSecretSpec, '/spec/externalSecretSpec', stores, clusterStores, true));
        }
        return out;
      },
    ),
  );
};

function check(r: ParsedResource, spec: any, at: string, stores: ParsedResource[], clusterStores: ParsedResource[], anyNamespace: boolean): Finding[] {
  const ref = spec?.secretStoreRef;
  if (!ref || typeof ref.name !== 'string' || ref.name.includes('{{')) return [];
  const kind = ref.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
  const pool = kind === 'ClusterSecretStore' ? clusterStores : stores;
  const found = pool.some((s) => nameOf(s) === ref.name && (kind === 'ClusterSecretStore' || anyNamespace || sameNamespace(s, r)));
  if (found) return [];
  const pointer = `${at}/secretStoreRef/name`;
  const dotted = pointer.slice(1).replace(/\//g, '.');
  if (pool.length === 0)
    return [finding(r, 'xref/secret-store', pointer, `${dotted}: ${describe(r)} uses ${kind} "${ref.name}", and this repository defines no ${kind}`, `Make sure the ${kind} "${ref.name}" exists in the cluster (or add it to this repository).`, 'warning')];
  const names = pool.map((s) => `${nameOf(s)}${kind === 'SecretStore' && s.obj?.metadata?.namespace ? ` (${s.obj.metadata.namespace})` : ''}`);
  return [
    finding(r, 'xref/secret-store', pointer, `${dotted}: ${describe(r)} uses ${kind} "${ref.name}", which is not defined${kind === 'SecretStore' ? ' in its namespace' : ''} in this repository`, `Use one of the defined stores (${names.join(', ')}) or add ${kind} "${ref.name}".`),
  ];
}
