// Argo Events (argoproj.io/v1alpha1 EventBus, EventSource, Sensor). No npm package describes
// these kinds and the upstream CRDs are schema-less (`x-kubernetes-preserve-unknown-fields`), so
// these schemas are written by hand from the Go types in argo-events pkg/apis/events/v1alpha1
// (v1.9: eventbus_types.go, jetstream_eventbus.go, nats_eventbus.go, eventsource_types.go,
// webhook_context.go, sensor_types.go, template.go). Best effort: the shapes a generator emits are
// modelled field by field; other event source and trigger types are accepted by name as free-form
// objects, so a typo in a name still fails but an unmodelled source does not.
import { arr, bool, type CoreLookup, freeObject, int, intOrString, map, num, obj, oneOfStr, resource, str } from './dsl.ts';

const API = 'argoproj.io/v1alpha1';

function kubeParts(core: CoreLookup) {
  const container = (p: string) => core('Pod', `spec.containers[].${p}`);
  return {
    secretKeySelector: () => container('env[].valueFrom.secretKeyRef'),
    configMapKeySelector: () => container('env[].valueFrom.configMapKeyRef'),
    tolerations: () => core('Pod', 'spec.tolerations'),
    affinity: () => core('Pod', 'spec.affinity'),
    podSecurityContext: () => core('Pod', 'spec.securityContext'),
    imagePullSecrets: () => core('Pod', 'spec.imagePullSecrets'),
    volumes: () => core('Pod', 'spec.volumes'),
    servicePorts: () => core('Service', 'spec.ports'),
    container,
  };
}

/** Metadata of generated pods: labels and annotations only (metadata.go). */
const podMetadata = () => obj({ annotations: map(), labels: map() });

function podTemplate(core: CoreLookup) {
  const k = kubeParts(core);
  // template.go: Template and Container
  return obj({
    metadata: podMetadata(),
    serviceAccountName: str(),
    container: obj({
      resources: k.container('resources'),
      imagePullPolicy: k.container('imagePullPolicy'),
      securityContext: k.container('securityContext'),
      volumeMounts: k.container('volumeMounts'),
      env: k.container('env'),
      envFrom: k.container('envFrom'),
    }),
    volumes: k.volumes(),
    securityContext: k.podSecurityContext(),
    nodeSelector: map(),
    tolerations: k.tolerations(),
    imagePullSecrets: k.imagePullSecrets(),
    priorityClassName: str(),
    priority: int(),
    affinity: k.affinity(),
  });
}

function containerTemplate(core: CoreLookup) {
  const k = kubeParts(core);
  // container_template.go
  return obj({ resources: k.container('resources'), imagePullPolicy: k.container('imagePullPolicy'), securityContext: k.container('securityContext') });
}

const persistence = () => obj({ storageClassName: str(), accessMode: str(), volumeSize: intOrString() });

function tlsConfig(core: CoreLookup) {
  const k = kubeParts(core);
  // tls.go
  return obj({ caCertSecret: k.secretKeySelector(), clientCertSecret: k.secretKeySelector(), clientKeySecret: k.secretKeySelector(), insecureSkipVerify: bool() });
}

const authStrategy = () => oneOfStr('none', 'token', 'basic', 'jwt');

export function eventBus(core: CoreLookup) {
  const k = kubeParts(core);
  const podScheduling = {
    nodeSelector: map(),
    tolerations: k.tolerations(),
    securityContext: k.podSecurityContext(),
    imagePullSecrets: k.imagePullSecrets(),
    priorityClassName: str(),
    priority: int(),
    affinity: k.affinity(),
    serviceAccountName: str(),
    metadata: podMetadata(),
  };
  const native = obj({
    replicas: int(),
    auth: authStrategy(),
    persistence: persistence(),
    containerTemplate: containerTemplate(core),
    metricsContainerTemplate: containerTemplate(core),
    maxAge: str(),
    maxMsgs: int(),
    maxBytes: str(),
    maxSubs: int(),
    maxPayload: str(),
    raftHeartbeatTimeout: str(),
    raftElectionTimeout: str(),
    raftLeaseTimeout: str(),
    raftCommitTimeout: str(),
    ...podScheduling,
  });
  const jetstream = obj({
    version: str(),
    replicas: int(),
    containerTemplate: containerTemplate(core),
    reloaderContainerTemplate: containerTemplate(core),
    metricsContainerTemplate: containerTemplate(core),
    persistence: persistence(),
    settings: str(),
    startArgs: arr(str()),
    streamConfig: str(),
    maxPayload: str(),
    ...podScheduling,
  });
  const natsConfig = obj({ url: str(), clusterID: str(), auth: authStrategy(), accessSecret: k.secretKeySelector() });
  const jetstreamConfig = obj({ url: str(), accessSecret: k.secretKeySelector(), streamConfig: str(), tls: tlsConfig(core), auth: authStrategy() });
  return resource(core, API, 'EventBus', {
    spec: obj({
      nats: obj({ native, exotic: natsConfig }),
      jetstream,
      // kafka_eventbus.go is not modelled field by field: accepted as an object.
      kafka: freeObject(),
      jetstreamExotic: jetstreamConfig,
    }),
    status: freeObject(),
  }, ['spec']);
}

function webhookContext(core: CoreLookup) {
  const k = kubeParts(core);
  // webhook_context.go. Upstream examples always set endpoint, method and port; url is only for
  // sources that register the hook themselves (github, gitlab).
  return obj({
    endpoint: str(),
    method: str(),
    port: str(),
    url: str(),
    serverCertSecret: k.secretKeySelector(),
    serverKeySecret: k.secretKeySelector(),
    metadata: map(),
    authSecret: k.secretKeySelector(),
    maxPayloadSize: int(),
    basicAuth: obj({ username: k.secretKeySelector(), password: k.secretKeySelector() }),
  });
}

const filter = () => obj({ expression: str() });

export function eventSource(core: CoreLookup) {
  const k = kubeParts(core);
  const webhook = webhookContext(core);
  const webhookSource = obj({ ...webhook.properties!, filter: filter() }, ['endpoint', 'method', 'port']);
  const github = obj({
    id: int(),
    webhook,
    owner: str(),
    repository: str(),
    events: arr(str()),
    apiToken: k.secretKeySelector(),
    webhookSecret: k.secretKeySelector(),
    insecure: bool(),
    active: bool(),
    contentType: str(),
    githubBaseURL: str(),
    githubUploadURL: str(),
    deleteHookOnFinish: bool(),
    metadata: map(),
    repositories: arr(obj({ owner: str(), names: arr(str()) })),
    organizations: arr(str()),
    githubApp: obj({ privateKey: k.secretKeySelector(), appID: int(), installationID: int() }, ['privateKey', 'appID', 'installationID']),
    filter: filter(),
  }, ['events']);
  const calendar = obj({
    schedule: str(),
    interval: str(),
    exclusionDates: arr(str()),
    timezone: str(),
    metadata: map(),
    persistence: obj({ catchup: obj({ enabled: bool(), maxDuration: str() }), configMap: obj({ name: str(), createIfNotExist: bool() }) }),
    filter: filter(),
  });
  // Sources accepted by name only (each a map of named source objects).
  const unmodelled = [
    'minio', 'file', 'resource', 'amqp', 'kafka', 'mqtt', 'nats', 'sns', 'sqs', 'pubSub', 'gitlab', 'hdfs', 'slack', 'storageGrid',
    'azureEventsHub', 'stripe', 'emitter', 'redis', 'nsq', 'pulsar', 'generic', 'bitbucketserver', 'bitbucket', 'redisStream',
    'azureServiceBus', 'azureQueueStorage', 'sftp', 'gerrit', 'mns',
  ];
  return resource(core, API, 'EventSource', {
    spec: obj({
      eventBusName: str(),
      template: podTemplate(core),
      service: obj({ metadata: podMetadata(), ports: k.servicePorts(), clusterIP: str() }),
      replicas: int(),
      webhook: map(webhookSource),
      github: map(github),
      calendar: map(calendar),
      ...Object.fromEntries(unmodelled.map((name) => [name, map(freeObject())])),
    }),
    status: freeObject(),
  }, ['spec']);
}

export function sensor(core: CoreLookup) {
  const k = kubeParts(core);
  const parameter = obj({
    src: obj({
      dependencyName: str(),
      contextKey: str(),
      contextTemplate: str(),
      dataKey: str(),
      dataTemplate: str(),
      value: str(),
      useRawData: bool(),
    }, ['dependencyName']),
    dest: str(),
    operation: oneOfStr('', 'append', 'overwrite', 'prepend'),
  }, ['dest']);
  const parameters = arr(parameter);
  // ArtifactLocation: where the triggered resource comes from. `resource` is an embedded
  // Kubernetes object (any shape: it is validated when it is created, not here).
  const artifactLocation = obj({
    s3: freeObject(),
    inline: str(),
    file: obj({ path: str() }),
    url: obj({ path: str(), verifyCert: bool() }, ['path']),
    configmap: k.configMapKeySelector(),
    git: obj({
      url: str(),
      cloneDirectory: str(),
      creds: obj({ username: k.secretKeySelector(), password: k.secretKeySelector() }),
      sshKeySecret: k.secretKeySelector(),
      filePath: str(),
      branch: str(),
      tag: str(),
      ref: str(),
      remote: obj({ name: str(), urls: arr(str()) }, ['name', 'urls']),
      insecureIgnoreHostKey: bool(),
    }, ['url', 'filePath']),
    resource: freeObject(),
  });
  const backoff = obj({ duration: intOrString(), factor: num(), jitter: num(), steps: int() });
  const k8sTrigger = obj({
    source: artifactLocation,
    operation: oneOfStr('create', 'update', 'patch', 'delete'),
    parameters,
    patchStrategy: str(),
    liveObject: bool(),
  });
  const argoWorkflowTrigger = obj({
    source: artifactLocation,
    operation: oneOfStr('submit', 'submit-from', 'suspend', 'resubmit', 'retry', 'resume', 'terminate', 'stop'),
    parameters,
    args: arr(str()),
  });
  const httpTrigger = obj({
    url: str(),
    payload: parameters,
    tls: tlsConfig(core),
    method: str(),
    parameters,
    timeout: int(),
    basicAuth: obj({ username: k.secretKeySelector(), password: k.secretKeySelector() }),
    headers: map(),
    secureHeaders: arr(obj({ name: str(), valueFrom: obj({ secretKeyRef: k.secretKeySelector(), configMapKeyRef: k.configMapKeySelector() }) })),
    dynamicHeaders: parameters,
    host: str(),
  }, ['url']);
  const unmodelledTriggers = ['awsLambda', 'custom', 'kafka', 'nats', 'slack', 'openWhisk', 'azureEventHubs', 'pulsar', 'azureServiceBus', 'email'];
  const triggerTemplate = obj({
    name: str(),
    conditions: str(),
    k8s: k8sTrigger,
    argoWorkflow: argoWorkflowTrigger,
    http: httpTrigger,
    log: obj({ intervalSeconds: int() }),
    conditionsReset: arr(obj({ byTime: obj({ cron: str(), timezone: str() }) })),
    ...Object.fromEntries(unmodelledTriggers.map((name) => [name, freeObject()])),
  }, ['name']);
  const triggerFields = {
    template: triggerTemplate,
    parameters,
    policy: obj({
      k8s: obj({ labels: map(), backoff, errorOnBackoffTimeout: bool() }),
      status: obj({ allow: arr(int()) }, ['allow']),
    }),
    retryStrategy: backoff,
    rateLimit: obj({ unit: oneOfStr('Second', 'Minute', 'Hour'), requestsPerUnit: int() }),
    atLeastOnce: bool(),
  };
  // A dead-letter trigger has the trigger's own shape; one level is modelled.
  const trigger = obj({ ...triggerFields, dlqTrigger: obj(triggerFields) });
  const logical = () => oneOfStr('', 'and', 'or');
  const dependency = obj({
    name: str(),
    eventSourceName: str(),
    eventName: str(),
    filters: obj({
      time: obj({ start: str(), stop: str() }, ['start', 'stop']),
      context: freeObject(),
      data: arr(obj({ path: str(), type: oneOfStr('bool', 'number', 'string'), value: arr(str()), comparator: oneOfStr('', '>=', '>', '=', '!=', '<', '<='), template: str() }, ['path', 'type'])),
      exprs: arr(obj({ expr: str(), fields: arr(obj({ path: str(), name: str() }, ['path', 'name'])) }, ['expr', 'fields'])),
      dataLogicalOperator: logical(),
      exprLogicalOperator: logical(),
      script: str(),
    }),
    transform: obj({ jq: str(), script: str() }),
    filtersLogicalOperator: logical(),
  }, ['name', 'eventSourceName', 'eventName']);
  return resource(core, API, 'Sensor', {
    spec: obj({
      dependencies: arr(dependency),
      triggers: arr(trigger),
      template: podTemplate(core),
      errorOnFailedRound: bool(),
      eventBusName: str(),
      replicas: int(),
      revisionHistoryLimit: int(),
      loggingFields: map(),
    }, ['dependencies', 'triggers']),
    status: freeObject(),
  }, ['spec']);
}

