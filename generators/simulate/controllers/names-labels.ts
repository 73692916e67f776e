// What the Kubernetes API server accepts as names and labels (apimachinery validation), and what
// Argo CD reads from the labels of the Secrets that register clusters.

import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { labelKeyProblem, labelValueProblem } from '../../model/names.ts';
import { asObj, finding, isObj, isTemplated, perResourceRule, ptr, str, type ControllerRule } from './util.ts';

/** Kinds whose names must be DNS-1123 labels (at most 63): they become DNS names. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose spec is a template rendered later: their strings are not names yet. */
const TEMPLATE_KINDS = new Set(['ApplicationSet', 'Kustomization', 'Component', 'Platform']);

/**
 * `verdict` remembered per string: a fleet's names, namespaces and label keys and values repeat,
 * and each verdict is a pure function of the string (forgotten all at once past 20,000 strings).
 */
function perString<T>(verdict: (s: string) => T): (s: string) => T {
  const known = new Map<string, T>();
  return (s) => {
    if (known.has(s)) return known.get(s) as T;
    if (known.size > 20_000) known.clear();
    const v = verdict(s);
    known.set(s, v);
    return v;
  };
}
const validLabel = perString((name) => name.length <= 63 && DNS_LABEL.test(name));
const validSubdomain = perString((name) => name.length <= 253 && DNS_SUBDOMAIN.test(name));

function nameProblems(r: ParsedResource): Finding[] {
  const meta = asObj(r.obj?.metadata);
  const out: Finding[] = [];
  const kind = str(r.obj?.kind) ?? '';
  const name = str(meta.name);
  if (name !== undefined && !isTemplated(name)) {
    const label = LABEL_NAMED.has(kind);
    if (!(label ? validLabel(name) : validSubdomain(name)))
      out.push(finding(r, { rule: 'sim/k8s/invalid-name', severity: 'error', path: '/metadata/name', message: `${kind} name "${name}" (${name.length} characters) is not a DNS-1123 ${label ? 'label (at most 63, lower-case alphanumerics and "-")' : 'subdomain (at most 253)'}: the API server rejects it`, fix: 'shorten the names it is composed of' }));
  }
  const namespace = str(meta.namespace);
  if (namespace !== undefined && !isTemplated(namespace) && !validLabel(namespace))
    out.push(finding(r, { rule: 'sim/k8s/invalid-name', severity: 'error', path: '/metadata/namespace', message: `namespace "${namespace}" (${namespace.length} characters) is not a DNS-1123 label (at most 63): the API server rejects the object`, fix: 'shorten the namespace name' }));
  return out;
}

const keyProblem = perString(labelKeyProblem);
const valueProblem = perString(labelValueProblem);

function labelProblems(r: ParsedResource, labels: unknown, at: string): Finding[] {
  if (!isObj(labels)) return [];
  const out: Finding[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const text = str(value);
    if (isTemplated(key) || isTemplated(text)) continue;
    const why = keyProblem(key) ?? (text === undefined ? 'the value is not a string' : valueProblem(text) && `value "${text}": ${valueProblem(text)}`);
    if (why) out.push(finding(r, { rule: 'sim/k8s/invalid-label', severity: 'error', path: ptr(at, key), message: `label ${JSON.stringify(key)} is invalid (${keyProblem(key) ? `key: ${why}` : why}): the API server rejects the object`, fix: 'use a valid label key and value (at most 63 characters of letters, digits, "-", "_", ".")' }));
  }
  return out;
}

/** The labels and data keys of the Secret a resource produces, where it produces one. */
function producedSecret(r: ParsedResource): { labels: unknown; labelsAt: string; keys: string[] } | undefined {
  const o = r.obj ?? {};
  switch (o.kind) {
    case 'Secret':
      return { labels: o.metadata?.labels, labelsAt: '/metadata/labels', keys: [...Object.keys(asObj(o.data)), ...Object.keys(asObj(o.stringData))] };
    case 'ExternalSecret': {
      const template = asObj(asObj(o.spec?.target).template);
      return { labels: asObj(template.metadata).labels, labelsAt: '/spec/target/template/metadata/labels', keys: Object.keys(asObj(template.data)) };
    }
    case 'SealedSecret': {
      const template = asObj(o.spec?.template);
      return { labels: asObj(template.metadata).labels, labelsAt: '/spec/template/metadata/labels', keys: [...Object.keys(asObj(o.spec?.encryptedData)), ...Object.keys(asObj(template.data))] };
    }
  }
  return undefined;
}

const SECRET_TYPE = 'argocd.argoproj.io/secret-type';

/**
 * A Secret shaped like an Argo CD cluster Secret (`server` and `config`) is one only with
 * `argocd.argoproj.io/secret-type: cluster`: Argo CD lists cluster Secrets by that label, so
 * any other value (a user label overriding it) leaves the cluster unregistered.
 */
function clusterSecretType(r: ParsedResource, produced = producedSecret(r)): Finding[] {
  if (!produced || !produced.keys.includes('server') || !produced.keys.includes('config')) return [];
  const type = str(asObj(produced.labels)[SECRET_TYPE]);
  if (type === 'cluster') return [];
  return [
    finding(r, {
      rule: 'sim/argocd/cluster-secret-type',
      severity: 'error',
      path: type === undefined ? produced.labelsAt : ptr(produced.labelsAt, SECRET_TYPE),
      message: `this Secret holds a cluster's server and config, but its ${SECRET_TYPE} label is ${type === undefined ? 'missing' : `"${type}"`}: Argo CD does not read it as a cluster, so the cluster stays unregistered`,
      fix: `label it ${SECRET_TYPE}: cluster (and let no other label override it)`,
    }),
  ];
}

function namesAndLabels(r: ParsedResource): Finding[] {
  const produced = producedSecret(r);
  const out = nameProblems(r);
  out.push(...labelProblems(r, r.obj.metadata?.labels, '/metadata/labels'));
  if (produced && r.obj.kind !== 'Secret') out.push(...labelProblems(r, produced.labels, produced.labelsAt));
  if (produced) out.push(...clusterSecretType(r, produced));
  return out;
}

const KINDS_PRODUCING_SECRETS = new Set(['Secret', 'ExternalSecret', 'SealedSecret']);
const EMPTY: Record<string, unknown> = {};

/**
 * The common case without a finding, read once: a resource that produces no Secret, whose name,
 * namespace and labels are valid as written (a valid name, key or value holds no template: its
 * characters are letters, digits, "-", "_", "." and "/"). Anything else takes the definitions
 * above (namesAndLabels), so the findings, their order and wording are theirs.
 */
function surelyClean(obj: Record<string, any>, kind: string): boolean {
  const meta = isObj(obj.metadata) ? obj.metadata : EMPTY;
  const name = meta.name;
  if (name !== undefined) {
    if (typeof name !== 'string') return false;
    if (!(LABEL_NAMED.has(kind) ? validLabel(name) : validSubdomain(name))) return false;
  }
  const namespace = meta.namespace;
  if (namespace !== undefined && (typeof namespace !== 'string' || !validLabel(namespace))) return false;
  const labels = meta.labels;
  if (labels === undefined || labels === null) return true;
  if (!isObj(labels)) return true;
  // for-in visits every entry Object.entries does (and inherited ones: more to be clean, never fewer).
  for (const key in labels) {
    const value = labels[key];
    if (typeof value !== 'string' || !validKey(key) || !validValue(value)) return false;
  }
  return true;
}
const validKey = perString((key) => !isTemplated(key) && labelKeyProblem(key) === undefined);
const validValue = (value: string) => value.length <= 63 && labelValueProblem(value) === undefined;

/** The rule by its definitions alone, every resource read whole (what the shortcut is held equal to). */
export function namesAndLabelsByDefinition(resources: readonly ParsedResource[]): Finding[] {
  return resources.flatMap((r) => (isObj(r.obj) && !TEMPLATE_KINDS.has(str(r.obj.kind) ?? '') ? namesAndLabels(r) : []));
}

/** One resource's names and labels findings (none for the kinds whose strings are templates yet). */
function namesAndLabelsOf(r: ParsedResource): Finding[] {
  const obj = r.obj;
  if (!isObj(obj)) return [];
  const raw = obj.kind;
  const kind = typeof raw === 'string' ? raw : (str(raw) ?? '');
  if (TEMPLATE_KINDS.has(kind)) return [];
  // producedSecret switches on the kind as written (a string): those take the whole check.
  if (!(typeof raw === 'string' && KINDS_PRODUCING_SECRETS.has(raw)) && surelyClean(obj, kind)) return NONE;
  return namesAndLabels(r);
}
const NONE: Finding[] = Object.freeze([]) as unknown as Finding[];

/** Every resource alone: kept per folder across runs (controllers/units.ts). */
export const namesAndLabelsRules: ControllerRule[] = [perResourceRule('k8s/names-labels', 'every', namesAndLabelsOf)];
