// The CI pipeline as one Argo Workflows WorkflowTemplate, built as data so tests can walk it:
//
//   clone -> test -> build -> sbom -> sign -> attest-sbom -> scan -> attest-scan -> policy -> promote
//
// Every step has its own resources, a deadline and a bounded retry with backoff that never
// retries a verdict (grype's gate exit code 2, failing tests, policy denials). Only the unit tests
// are memoized (keyed by service and commit): memoizing push, sign, attest or promote would let a
// cache hit skip the side effect, and memoizing a step with output artifacts would hand out
// artifacts that artifact GC deleted with the earlier workflow.

import type { Platform } from '../../model/types.ts';
import { imageRef, GENERATOR_VERSION, type ImagePin } from '../../model/versions.ts';
import { LABEL, PART_OF } from '../context.ts';
import { ciNames, promotionBranch, signingIdentity, type CiNames } from './settings.ts';

type Obj = Record<string, unknown>;

/** The image's ENTRYPOINT, which every Workflow step states (the emissary executor needs it). */
function entrypointOf(pin: ImagePin): string[] {
  if (!pin.entrypoint?.length) throw new Error(`planner bug: no entrypoint recorded for ${pin.image}`);
  return [...pin.entrypoint];
}

/** Argo's own template syntax, written in code so no Handlebars template has to escape it. */
const param = (name: string) => `{{workflow.parameters.${name}}}`;
const input = (name: string) => `{{inputs.parameters.${name}}}`;

/** grype exits 2 when it finds a vulnerability at --fail-on or above (cmd/grype/cli/cli.go). */
export const GRYPE_GATE_EXIT_CODE = 2;
export const SCAN_ATTESTATION_TYPE = 'https://gitops-scaffold.dev/attestations/vulnerability-scan/v1';
export const ARTIFACT_REPOSITORY = { configMap: 'artifact-repositories', key: 'default-v1' } as const;
export const CONFTEST_POLICIES = 'ci-conftest-policies';
/** One promotion at a time: concurrent pushes to the GitOps repository would race. */
export const PROMOTE_MUTEX = 'gitops-promote';

/** The workflow's inputs; the Sensor fills them per service, `revision` from the push event. */
export const WORKFLOW_PARAMETERS = ['revision', 'repo', 'service', 'tenant', 'image', 'context', 'dockerfile', 'test-target'] as const;

const backoff = (duration: string, maxDuration: string) => ({ duration, factor: '2', maxDuration });
/** Retries for flaky infrastructure (registry, Git host, Fulcio, Rekor): any failure, bounded. */
const networkRetry = (limit: number) => ({ limit: String(limit), retryPolicy: 'Always', backoff: backoff('15s', '5m') });
/** Retries only when the pod itself errored (eviction, node loss): a failing exit is a verdict. */
const infraOnlyRetry = (limit: number) => ({ limit: String(limit), retryPolicy: 'OnError', backoff: backoff('30s', '10m') });

const resources = (cpu: string, memory: string, memoryLimit: string) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });

/** Non-root, no privilege escalation, nothing but an emptyDir writable. */
const restrictedContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
const restrictedPod = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };

/**
 * kaniko unpacks base images and runs RUN steps as root inside its own filesystem: it needs uid 0
 * and the Pod Security baseline capabilities below, never `privileged` (security.md §3.2).
 */
export const BUILDER_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'SETFCAP'];
const builderPod = { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } };
const builderContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'], add: BUILDER_CAPABILITIES } };

const mounts = {
  tmp: { name: 'tmp', mountPath: '/tmp' },
  work: { name: 'work', mountPath: '/work' },
  dockerConfig: { name: 'registry-auth', mountPath: '/docker', readOnly: true },
  kanikoConfig: { name: 'registry-auth', mountPath: '/kaniko/.docker', readOnly: true },
};
const TOOL_ENV = [
  { name: 'HOME', value: '/tmp' },
  { name: 'TMPDIR', value: '/tmp' },
  { name: 'DOCKER_CONFIG', value: '/docker' },
];

const artifact = (name: string, path: string) => ({ name, path, archive: { tar: { compressionLevel: 6 } } });
const inputArtifact = (name: string, path: string) => ({ name, path });
const fromTask = (task: string, name: string, as = name) => ({ name: as, from: `{{tasks.${task}.outputs.artifacts.${name}}}` });
const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

interface Step {
  name: string;
  depends?: string;
  when?: string;
  template: Obj;
  arguments?: Obj;
}

function cloneStep(p: Platform, n: CiNames): Step {
  return {
    name: 'clone',
    template: {
      name: 'clone',
      activeDeadlineSeconds: 600,
      retryStrategy: networkRetry(3),
      outputs: { artifacts: [artifact('source', '/work/src')] },
      container: {
        image: imageRef(p.pins.ciImages.git),
        command: ['/bin/sh', '-c'],
        // Parameters arrive as environment variables, never spliced into the script: a branch or
        // repository name cannot inject shell.
        args: [
          [
            'set -eu',
            `git config --global credential.helper '!f() { printf "username=%s\\npassword=%s\\n" "$GIT_USERNAME" "$GIT_PASSWORD"; }; f'`,
            'git clone --filter=blob:none --no-checkout "$REPO" /work/src',
            'git -C /work/src checkout --detach "$REVISION"',
            'git -C /work/src log -1 --format="building %H (%an: %s)"',
            'rm -rf /work/src/.git',
          ].join('\n'),
        ],
        env: [
          { name: 'REPO', value: param('repo') },
          { name: 'REVISION', value: param('revision') },
          { name: 'HOME', value: '/tmp' },
          secretEnv('GIT_USERNAME', n.secrets.gitRead, 'username'),
          secretEnv('GIT_PASSWORD', n.secrets.gitRead, 'password'),
        ],
        resources: resources('100m', '256Mi', '1Gi'),
        securityContext: restrictedContainer,
        volumeMounts: [mounts.tmp, mounts.work],
      },
    },
  };
}

const kanikoArgs = (extra: string[]) => [
  `--context=dir:///work/src/${input('context')}`,
  `--dockerfile=${input('dockerfile')}`,
  '--ignore-path=/work',
  ...extra,
];

const kanikoInputs = (more: string[] = []) => ({
  parameters: [{ name: 'context' }, { name: 'dockerfile' }, ...more.map((name) => ({ name }))],
  artifacts: [inputArtifact('source', '/work/src')],
});

function testStep(p: Platform, n: CiNames): Step {
  return {
    name: 'test',
    depends: 'clone',
    // An empty test target (ci.sources.<service>.testTarget: "") skips the tests.
    when: `'${param('test-target')}' != ''`,
    arguments: {
      parameters: ['context', 'dockerfile', 'test-target', 'service', 'revision'].map((p) => ({ name: p, value: param(p) })),
      artifacts: [fromTask('clone', 'source')],
    },
    template: {
      name: 'test',
      activeDeadlineSeconds: 1800,
      // A failing test fails every time: only a lost pod is retried.
      retryStrategy: infraOnlyRetry(2),
      // Pure (no push): the same commit passes the same tests, so a rebuild of a commit skips them.
      memoize: { key: `test-${input('service')}-${input('test-target')}-${input('revision')}`, maxAge: '168h', cache: { configMap: { name: n.memoCache } } },
      inputs: kanikoInputs(['test-target', 'service', 'revision']),
      securityContext: builderPod,
      container: {
        image: imageRef(p.pins.ciImages.kaniko),
        command: entrypointOf(p.pins.ciImages.kaniko),
        args: kanikoArgs([`--target=${input('test-target')}`, '--no-push']),
        resources: resources('1', '2Gi', '4Gi'),
        securityContext: builderContainer,
        // Registry credentials only to pull private base images.
        volumeMounts: [mounts.tmp, mounts.work, mounts.kanikoConfig],
      },
    },
  };
}

function buildStep(p: Platform): Step {
  return {
    name: 'build',
    depends: 'test',
    arguments: {
      parameters: ['context', 'dockerfile', 'image', 'revision', 'repo'].map((p) => ({ name: p, value: param(p) })),
      artifacts: [fromTask('clone', 'source')],
    },
    template: {
      name: 'build',
      activeDeadlineSeconds: 1800,
      // kaniko retries the push itself (--push-retry); a failing Dockerfile is not retried.
      retryStrategy: infraOnlyRetry(2),
      inputs: kanikoInputs(['image', 'revision', 'repo']),
      outputs: { parameters: [{ name: 'digest', valueFrom: { path: '/work/digest' } }] },
      securityContext: builderPod,
      container: {
        image: imageRef(p.pins.ciImages.kaniko),
        command: entrypointOf(p.pins.ciImages.kaniko),
        args: kanikoArgs([
          `--destination=${input('image')}:${input('revision')}`,
          '--digest-file=/work/digest',
          '--push-retry=3',
          `--label=org.opencontainers.image.revision=${input('revision')}`,
          `--label=org.opencontainers.image.source=${input('repo')}`,
        ]),
        resources: resources('1', '2Gi', '4Gi'),
        securityContext: builderContainer,
        volumeMounts: [mounts.tmp, mounts.work, mounts.kanikoConfig],
      },
    },
  };
}

const digestArgs = (digestFrom = 'build') => ({
  parameters: [
    { name: 'image', value: param('image') },
    { name: 'digest', value: `{{tasks.${digestFrom}.outputs.parameters.digest}}` },
  ],
});
/** The image by digest: signatures and attestations land on exactly what was built (WF006). */
const byDigest = `${input('image')}@${input('digest')}`;

function sbomStep(p: Platform): Step {
  return {
    name: 'sbom',
    depends: 'build',
    arguments: digestArgs(),
    template: {
      name: 'sbom',
      activeDeadlineSeconds: 900,
      retryStrategy: networkRetry(2),
      inputs: { parameters: [{ name: 'image' }, { name: 'digest' }] },
      outputs: { artifacts: [artifact('sbom', '/work/sbom.spdx.json')] },
      container: {
        image: imageRef(p.pins.ciImages.syft),
        command: entrypointOf(p.pins.ciImages.syft),
        args: ['scan', `registry:${byDigest}`, '-o', 'spdx-json=/work/sbom.spdx.json'],
        env: TOOL_ENV,
        resources: resources('500m', '1Gi', '2Gi'),
        securityContext: restrictedContainer,
        volumeMounts: [mounts.tmp, mounts.work, mounts.dockerConfig],
      },
    },
  };
}

/** cosign flags and pod parts for the configured signing mode. */
function cosignIdentity(p: Platform, n: CiNames) {
  const id = signingIdentity(p);
  // cosign v3 writes the new bundle format to OCI referrers by default; policy-controller still
  // verifies the classic `.sig`/`.att` layout (sigstore/policy-controller#1958), so the pipeline
  // writes that one. --use-signing-config=false makes the explicit service URLs authoritative.
  const common = ['--yes', '--new-bundle-format=false', '--use-signing-config=false'];
  if (id.mode === 'keyless')
    return {
      flags: [...common, `--fulcio-url=${id.fulcioUrl}`, `--rekor-url=${id.rekorUrl}`, '--identity-token=/var/run/sigstore/token'],
      env: [] as Obj[],
      mounts: [{ name: 'sigstore-token', mountPath: '/var/run/sigstore', readOnly: true }],
      // The pod's own service-account token, audience "sigstore", 10 minutes: Fulcio turns it into a
      // certificate for https://kubernetes.io/namespaces/<ns>/serviceaccounts/<signer>. The API
      // server rejects it (wrong audience), so it is no Kubernetes credential.
      volumes: [{ name: 'sigstore-token', projected: { sources: [{ serviceAccountToken: { audience: 'sigstore', expirationSeconds: 600, path: 'token' } }] } }],
    };
  if (id.kms)
    return { flags: [...common, `--key=${id.kms}`, `--rekor-url=${p.ci.keyless.rekorUrl}`], env: [] as Obj[], mounts: [] as Obj[], volumes: [] as Obj[] };
  return {
    flags: [...common, '--key=/cosign/cosign.key', `--rekor-url=${p.ci.keyless.rekorUrl}`],
    env: [secretEnv('COSIGN_PASSWORD', n.secrets.cosignKey, 'cosign.password')],
    mounts: [{ name: 'cosign-key', mountPath: '/cosign', readOnly: true }],
    volumes: [{ name: 'cosign-key', secret: { secretName: n.secrets.cosignKey, items: [{ key: 'cosign.key', path: 'cosign.key' }] } }],
  };
}

function cosignStep(p: Platform, n: CiNames, a: { name: string; depends: string; verb: string[]; predicate?: { artifact: string; task: string; path: string } }): Step {
  const id = cosignIdentity(p, n);
  return {
    name: a.name,
    depends: a.depends,
    arguments: { ...digestArgs(), ...(a.predicate ? { artifacts: [fromTask(a.predicate.task, a.predicate.artifact)] } : {}) },
    template: {
      name: a.name,
      activeDeadlineSeconds: 300,
      // Signing twice only adds a signature; Fulcio, Rekor and the registry are network services.
      retryStrategy: networkRetry(2),
      // The only pods that run as the signing identity.
      serviceAccountName: n.signerSa,
      inputs: { parameters: [{ name: 'image' }, { name: 'digest' }], ...(a.predicate ? { artifacts: [inputArtifact(a.predicate.artifact, a.predicate.path)] } : {}) },
      ...(id.volumes.length ? { volumes: id.volumes } : {}),
      container: {
        image: imageRef(p.pins.ciImages.cosign),
        command: entrypointOf(p.pins.ciImages.cosign),
        args: [...a.verb, ...id.flags, byDigest],
        env: [...TOOL_ENV, ...id.env],
        resources: resources('100m', '128Mi', '512Mi'),
        securityContext: restrictedContainer,
        volumeMounts: [mounts.tmp, mounts.work, mounts.dockerConfig, ...id.mounts],
      },
    },
  };
}

function scanStep(p: Platform, depends: string): Step {
  const target = p.ci.sbom ? 'sbom:/work/sbom.spdx.json' : `registry:${byDigest}`;
  return {
    name: 'scan',
    depends,
    arguments: { ...digestArgs(), ...(p.ci.sbom ? { artifacts: [fromTask('sbom', 'sbom')] } : {}) },
    template: {
      name: 'scan',
      activeDeadlineSeconds: 900,
      // Exit 2 is the gate's verdict (a vulnerability at ci.failOn): never retried. Anything else
      // (vulnerability DB download, registry) is retried.
      retryStrategy: { ...networkRetry(2), expression: `asInt(lastRetry.exitCode) != ${GRYPE_GATE_EXIT_CODE}` },
      inputs: { parameters: [{ name: 'image' }, { name: 'digest' }], ...(p.ci.sbom ? { artifacts: [inputArtifact('sbom', '/work/sbom.spdx.json')] } : {}) },
      outputs: { artifacts: [artifact('report', '/work/vulnerabilities.json')] },
      container: {
        image: imageRef(p.pins.ciImages.grype),
        command: entrypointOf(p.pins.ciImages.grype),
        args: [target, `--fail-on=${p.ci.failOn}`, '-o', 'table', '-o', 'json=/work/vulnerabilities.json'],
        env: [...TOOL_ENV, { name: 'GRYPE_DB_CACHE_DIR', value: '/tmp/grype-db' }],
        resources: resources('500m', '1Gi', '3Gi'),
        securityContext: restrictedContainer,
        volumeMounts: [mounts.tmp, mounts.work, mounts.dockerConfig],
      },
    },
  };
}

function policyStep(p: Platform, depends: string): Step {
  return {
    name: 'policy',
    depends,
    arguments: {
      parameters: ['context', 'dockerfile'].map((p) => ({ name: p, value: param(p) })),
      artifacts: [fromTask('clone', 'source')],
    },
    template: {
      name: 'policy',
      activeDeadlineSeconds: 300,
      // A policy denial is a verdict: only a lost pod is retried.
      retryStrategy: infraOnlyRetry(2),
      inputs: { parameters: [{ name: 'context' }, { name: 'dockerfile' }], artifacts: [inputArtifact('source', '/work/src')] },
      volumes: [{ name: 'policies', configMap: { name: CONFTEST_POLICIES } }],
      container: {
        image: imageRef(p.pins.ciImages.conftest),
        command: entrypointOf(p.pins.ciImages.conftest),
        args: ['test', '--parser=dockerfile', '--policy=/policies', '--namespace=dockerfile', '--no-color', `/work/src/${input('context')}/${input('dockerfile')}`],
        env: TOOL_ENV,
        resources: resources('100m', '128Mi', '256Mi'),
        securityContext: restrictedContainer,
        volumeMounts: [mounts.tmp, mounts.work, { name: 'policies', mountPath: '/policies', readOnly: true }],
      },
    },
  };
}

/**
 * The shell of the promote step; parameters come in as environment variables only. The promotion
 * itself is `gitops-scaffold promote SERVICE --tag TAG --digest DIGEST`, the same command people
 * run, at the exact version that rendered this repository: it edits the service's image for its
 * first environment in platform.yaml and re-renders, so the overlay is exactly what `render`
 * writes, and it refuses what the command refuses (a protected first environment written directly).
 * The script only clones, commits and pushes: in pull-request mode the command pushes a new branch
 * (re-running finds it and pushes nothing twice) and the script opens the pull request through the
 * GitHub API (the image has no gh); in commit mode a push that loses a race starts again from the
 * new head (a fresh promotion on top of it, never a text merge).
 */
export function promoteScript(p: Platform): string {
  const pr = p.ci.promotion === 'pull-request';
  const lines = [
    'set -eu',
    'git config --global user.name "gitops-scaffold pipeline"',
    'git config --global user.email "pipeline@gitops-scaffold.invalid"',
    `git config --global credential.helper '!f() { printf "username=%s\\npassword=%s\\n" "$GIT_USERNAME" "$GIT_PASSWORD"; }; f'`,
    // The exact version, installed as the repository's own CI installs it (npm checks the
    // package's integrity against the registry; no install scripts run).
    'npm install --global --prefix "$TOOLS" --ignore-scripts --no-audit --no-fund --loglevel=error "gitops-scaffold@$GITOPS_SCAFFOLD_VERSION"',
    'promote() { "$TOOLS/bin/gitops-scaffold" promote "$SERVICE" --tag "$TAG" --digest "$DIGEST" --repo "$CHECKOUT" --json "$@"; }',
    // One field of the command's JSON result (node is in the image; no jq needed).
    `field() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v==null?v:v[k];process.stdout.write(v==null?"":String(v))})' "$1"; }`,
    'git clone --quiet --branch "$BASE_BRANCH" "$GITOPS_REPO" "$CHECKOUT"',
    'cd "$CHECKOUT"',
    'promote --dry-run --no-pr > "$TMPDIR/plan.json"',
    'if [ "$(field status < "$TMPDIR/plan.json")" = unchanged ]; then echo "$SERVICE already runs $TAG@$DIGEST"; exit 0; fi',
  ];
  if (pr)
    lines.push(
      'promote --pr > "$TMPDIR/promote.json"',
      'branch="$(field pr.branch < "$TMPDIR/promote.json")"',
      'title="$(field pr.title < "$TMPDIR/promote.json")"',
      // GitHub's REST API (api.github.com, or <host>/api/v3 on GitHub Enterprise Server).
      'api="https://api.github.com"; [ "$GIT_HOST" = "github.com" ] || api="https://$GIT_HOST/api/v3"',
      `node -e 'process.stdout.write(JSON.stringify({title:process.argv[1],head:process.argv[2],base:process.argv[3],body:process.argv[4]}))' "$title" "$branch" "$BASE_BRANCH" "Built, signed, attested and scanned by workflow $WORKFLOW." > "$TMPDIR/pull.json"`,
      'code="$(curl -sS -o "$TMPDIR/pull-response.json" -w "%{http_code}" -X POST -H "Authorization: Bearer $GIT_PASSWORD" -H "Accept: application/vnd.github+json" --data "@$TMPDIR/pull.json" "$api/repos/$GIT_REPO_PATH/pulls")"',
      // 422: a pull request for this branch exists already (a retried step).
      'case "$code" in 201) echo "opened a pull request from $branch into $BASE_BRANCH";; 422) echo "a pull request from $branch exists already";; *) echo "GitHub answered $code:" >&2; cat "$TMPDIR/pull-response.json" >&2; exit 1;; esac',
    );
  else
    lines.push(
      'for attempt in 1 2 3; do',
      '  promote --no-pr > "$TMPDIR/promote.json"',
      '  if [ -z "$(git status --porcelain)" ]; then echo "$SERVICE already runs $TAG@$DIGEST"; exit 0; fi',
      '  git add --all',
      '  field change.message < "$TMPDIR/promote.json" | git commit --quiet --file=-',
      '  if git push --quiet origin "HEAD:$BASE_BRANCH"; then echo "promoted $SERVICE to $TAG: $(git log -1 --format=%s)"; exit 0; fi',
      // Another promotion landed first: start again from the new head.
      '  git fetch --quiet origin "$BASE_BRANCH" && git reset --quiet --hard FETCH_HEAD',
      'done',
      'exit 1',
    );
  return lines.join('\n');
}

/** `https://github.com/acme/gitops.git` -> host github.com, path acme/gitops (for the pull-request API). */
function gitopsRepoParts(url: string) {
  const m = /^https:\/\/([^/]+)\/(.+?)(\.git)?\/?$/.exec(url);
  return m ? { host: m[1], path: m[2] } : { host: '', path: '' };
}

function promoteStep(p: Platform, n: CiNames, depends: string): Step {
  const repo = gitopsRepoParts(p.repo.url);
  return {
    name: 'promote',
    depends,
    arguments: { parameters: [...digestArgs().parameters, ...['service', 'revision'].map((x) => ({ name: x, value: param(x) }))] },
    template: {
      name: 'promote',
      // npm installs the tool, which re-plans and checks the whole repository before it writes.
      activeDeadlineSeconds: 600,
      // Pushes race with other promotions and hosts fail: retried, with backoff (a retry of a
      // promotion that went through finds it done and changes nothing).
      retryStrategy: networkRetry(3),
      synchronization: { mutexes: [{ name: PROMOTE_MUTEX }] },
      inputs: { parameters: ['image', 'digest', 'service', 'revision'].map((name) => ({ name })) },
      container: {
        image: imageRef(p.pins.ciImages.node),
        command: ['/bin/sh', '-c'],
        args: [promoteScript(p)],
        env: [
          { name: 'GITOPS_REPO', value: p.repo.url },
          { name: 'GIT_HOST', value: repo.host },
          { name: 'GIT_REPO_PATH', value: repo.path },
          { name: 'BASE_BRANCH', value: promotionBranch(p) },
          { name: 'GITOPS_SCAFFOLD_VERSION', value: GENERATOR_VERSION },
          { name: 'IMAGE', value: input('image') },
          { name: 'DIGEST', value: input('digest') },
          { name: 'TAG', value: input('revision') },
          { name: 'SERVICE', value: input('service') },
          { name: 'WORKFLOW', value: '{{workflow.name}}' },
          { name: 'HOME', value: '/tmp' },
          { name: 'TMPDIR', value: '/tmp' },
          { name: 'TOOLS', value: '/tmp/gitops-scaffold' },
          { name: 'CHECKOUT', value: '/work/gitops' },
          { name: 'npm_config_cache', value: '/tmp/npm' },
          { name: 'npm_config_update_notifier', value: 'false' },
          secretEnv('GIT_USERNAME', n.secrets.gitWrite, 'username'),
          secretEnv('GIT_PASSWORD', n.secrets.gitWrite, 'password'),
        ],
        resources: resources('250m', '512Mi', '1Gi'),
        securityContext: restrictedContainer,
        volumeMounts: [mounts.tmp, mounts.work],
      },
    },
  };
}

/** The DAG's steps in dependency order; what is included follows ci.sbom and ci.policyGate. */
export function pipelineSteps(p: Platform): Step[] {
  const n = ciNames(p);
  const steps: Step[] = [cloneStep(p, n), testStep(p, n), buildStep(p)];
  const chain = (step: Step) => steps.push(step);
  if (p.ci.sbom) chain(sbomStep(p));
  chain(cosignStep(p, n, { name: 'sign', depends: steps[steps.length - 1].name, verb: ['sign'] }));
  if (p.ci.sbom) chain(cosignStep(p, n, { name: 'attest-sbom', depends: 'sign', verb: ['attest', '--type=spdxjson', '--predicate=/work/sbom.spdx.json'], predicate: { artifact: 'sbom', task: 'sbom', path: '/work/sbom.spdx.json' } }));
  chain(scanStep(p, steps[steps.length - 1].name));
  // The scan verdict as a signed attestation: admission can then refuse images that were never
  // scanned, or that failed the gate, even when someone signed them.
  chain(cosignStep(p, n, { name: 'attest-scan', depends: 'scan', verb: ['attest', `--type=${SCAN_ATTESTATION_TYPE}`, '--predicate=/work/vulnerabilities.json'], predicate: { artifact: 'report', task: 'scan', path: '/work/vulnerabilities.json' } }));
  if (p.ci.policyGate) chain(policyStep(p, steps[steps.length - 1].name));
  chain(promoteStep(p, n, steps[steps.length - 1].name));
  return steps;
}

export const ciLabels = (component: string) => ({ 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': component });

/** The WorkflowTemplate's metadata and spec. */
export function workflowTemplate(p: Platform): { metadata: Obj; spec: Obj } {
  const n = ciNames(p);
  const steps = pipelineSteps(p);
  return {
    metadata: {
      name: n.workflowTemplate,
      namespace: n.namespace,
      labels: ciLabels('ci'),
      annotations: {
        // Argo CD applies this before Argo Workflows' CRDs may exist on a fresh cluster.
        'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
        'gitops-scaffold.dev/lint-ignore':
          'WF005: the test and build steps run kaniko, which must be root to unpack base images (baseline capabilities only, never privileged; every other step runs as uid 65532); K8S005: kaniko writes the image filesystem to its root',
      },
    },
    spec: {
      entrypoint: 'main',
      arguments: {
        parameters: WORKFLOW_PARAMETERS.map((name) => ({ name, ...(DEFAULT_PARAMETERS[name] !== undefined ? { value: DEFAULT_PARAMETERS[name] } : {}) })),
      },
      serviceAccountName: n.buildSa,
      // No step talks to the Kubernetes API: no token in step containers. The executor (wait and
      // init containers) reports results with its own, nearly powerless, service account.
      automountServiceAccountToken: false,
      executor: { serviceAccountName: n.executorSa },
      securityContext: restrictedPod,
      activeDeadlineSeconds: 3600,
      parallelism: 2,
      podGC: { strategy: 'OnPodSuccess', deleteDelayDuration: '10m' },
      ttlStrategy: { secondsAfterSuccess: 86400, secondsAfterFailure: 259200 },
      artifactRepositoryRef: ARTIFACT_REPOSITORY,
      artifactGC: { strategy: 'OnWorkflowDeletion', serviceAccountName: n.artifactGcSa, forceFinalizerRemoval: true },
      podMetadata: { labels: { ...ciLabels('ci'), [LABEL.managedBy]: 'argo-workflows' } },
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '2Gi' } },
        { name: 'work', emptyDir: { sizeLimit: '8Gi' } },
        { name: 'registry-auth', secret: { secretName: n.secrets.registry, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } },
      ],
      templates: [
        {
          name: 'main',
          dag: {
            failFast: true,
            tasks: steps.map((s) => ({
              name: s.name,
              template: s.template.name,
              ...(s.depends ? { depends: s.depends } : {}),
              ...(s.when ? { when: s.when } : {}),
              ...(s.arguments ? { arguments: s.arguments } : {}),
            })),
          },
        },
        ...steps.map((s) => s.template),
      ],
    },
  };
}

/** Defaults for a run submitted by hand; `context` "" is the repository root. */
const DEFAULT_PARAMETERS: Partial<Record<(typeof WORKFLOW_PARAMETERS)[number], string>> = { context: '', dockerfile: 'Dockerfile', 'test-target': 'test' };

/**
 * Rego rules conftest applies to every Dockerfile before promotion (package `dockerfile`). conftest
 * hands a Dockerfile over as one list of instructions, each with its lower-cased `Cmd`, `Value` and
 * `Stage` index (conftest parser/docker/docker.go).
 */
export const DOCKERFILE_POLICY = `# Rules every service's Dockerfile must pass before its image is promoted (conftest, parser
# "dockerfile"). Generated from platform.yaml; turn the gate off with ci.policyGate: false.
package dockerfile

import rego.v1

# Base images must name a version: :latest changes under the build.
deny contains msg if {
\tsome instruction in input
\tinstruction.Cmd == "from"
\timage := instruction.Value[0]
\tendswith(lower(image), ":latest")
\tmsg := sprintf("FROM %s: pin a version tag or a digest instead of :latest", [image])
}

final_stage := max([instruction.Stage | some instruction in input])

final_users := [user |
\tsome instruction in input
\tinstruction.Stage == final_stage
\tinstruction.Cmd == "user"
\tuser := instruction.Value[0]
]

# The image must not run as root: restricted namespaces refuse root containers.
deny contains msg if {
\tcount(final_users) == 0
\tmsg := "the final stage sets no USER: the image would run as root"
}

deny contains msg if {
\tcount(final_users) > 0
\tlast := final_users[count(final_users) - 1]
\tlast in {"root", "0", "0:0", "root:root"}
\tmsg := sprintf("the final stage runs as USER %s", [last])
}
`;
