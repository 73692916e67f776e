// `gitops-scaffold schemas export DIR`: writes the strict schemas in the layout kubeconform reads
// from local folders, so an air-gapped kubeconform validates exactly what the embedded validator
// does:
//   DIR/k8s/v<version>-standalone-strict/<kind><KindSuffix>.json   built-in kinds (yannh layout)
//   DIR/k8s/v<version>-standalone/...                               same files, for runs without -strict
//   DIR/crds/<group>/<kind>_<version>.json                          custom resources (datree layout)
//   DIR/README.md, DIR/VERSIONS.json
import fs from 'node:fs';
import path from 'node:path';
import { splitApiVersion } from './catalog.ts';
import { ensureSchemas, jsonSchemaFor } from './schema-store.ts';

/** The Kubernetes API version kubernetes-models 5.1.0 was generated from. */
export const KUBERNETES_VERSION = '1.36.0';

export interface ExportResult {
  dir: string;
  files: number;
  kubernetesVersion: string;
  /** The kubeconform command line that uses the exported folder. */
  command: string;
}

/** kubeconform's {{ .KindSuffix }}: `-<first label of the group>-<version>`, `-v1` for core. */
export function kindSuffix(apiVersion: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return group ? `-${group.split('.')[0].toLowerCase()}-${version}` : `-${version}`;
}

export function kubeconformArgs(schemaDir: string, kubernetesVersion = KUBERNETES_VERSION): string[] {
  return [
    '-strict',
    '-kubernetes-version',
    kubernetesVersion,
    '-schema-location',
    `${schemaDir}/k8s/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location',
    `${schemaDir}/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
    '-skip',
    // kustomize's own files and gitops-scaffold's platform.yaml are not cluster resources.
    'kustomize.config.k8s.io/v1beta1/Kustomization,kustomize.config.k8s.io/v1alpha1/Component,gitops-scaffold.dev/v1alpha1/Platform',
  ];
}

const quote = (s: string) => (/^[\w./,=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export async function exportSchemas(dir: string): Promise<ExportResult> {
  const manifest = ensureSchemas();
  const strictDir = path.join(dir, 'k8s', `v${KUBERNETES_VERSION}-standalone-strict`);
  const plainDir = path.join(dir, 'k8s', `v${KUBERNETES_VERSION}-standalone`);
  fs.mkdirSync(strictDir, { recursive: true });
  fs.mkdirSync(plainDir, { recursive: true });
  let files = 0;
  for (const k of manifest.kinds) {
    const text = JSON.stringify(jsonSchemaFor(k.id), null, 1) + '\n';
    if (k.source === 'kubernetes-models') {
      const name = `${k.kind.toLowerCase()}${kindSuffix(k.apiVersion)}.json`;
      fs.writeFileSync(path.join(strictDir, name), text);
      fs.writeFileSync(path.join(plainDir, name), text);
      files += 2;
    } else {
      const { group, version } = splitApiVersion(k.apiVersion);
      const groupDir = path.join(dir, 'crds', group);
      fs.mkdirSync(groupDir, { recursive: true });
      fs.writeFileSync(path.join(groupDir, `${k.kind.toLowerCase()}_${version}.json`), text);
      files++;
    }
  }
  const command = ['kubeconform', ...kubeconformArgs(dir), '-summary', 'DIR…'].map(quote).join(' ');
  fs.writeFileSync(
    path.join(dir, 'VERSIONS.json'),
    JSON.stringify({ kubernetesVersion: KUBERNETES_VERSION, packages: manifest.packages, kinds: manifest.kinds.map((k) => ({ apiVersion: k.apiVersion, kind: k.kind, source: k.source })) }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(dir, 'README.md'), readme(command, manifest.kinds.filter((k) => k.source === 'hand').map((k) => `${k.apiVersion}/${k.kind}`)));
  return { dir, files: files + 2, kubernetesVersion: KUBERNETES_VERSION, command };
}

function readme(command: string, hand: string[]): string {
  return `# Strict schemas for kubeconform

Written by \`gitops-scaffold schemas export\`. Every schema is self-contained JSON Schema draft-07
(\`#/definitions\` references only) and rejects unknown fields at every depth, the root included.
They are generated from the npm packages listed in VERSIONS.json, so they work offline.

Validate a folder with kubeconform:

\`\`\`sh
${command}
\`\`\`

- \`k8s/v${KUBERNETES_VERSION}-standalone-strict/\` and \`k8s/v${KUBERNETES_VERSION}-standalone/\`: built-in kinds,
  named like yannh/kubernetes-json-schema (\`deployment-apps-v1.json\`).
- \`crds/<group>/<kind>_<version>.json\`: custom resources, named like the datree CRDs catalog
  (\`crds/argoproj.io/application_v1alpha1.json\`).
- kustomize's own \`Kustomization\` is skipped on purpose (\`-skip\`): it is not a cluster resource.
- Hand-written, best-effort schemas (no npm package describes these kinds): ${hand.join(', ') || 'none'}.

You may add files from other sources to the same folders without changing the command line.
`;
}
