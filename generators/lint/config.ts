// The repo config, `.gitops-scaffold/lint.yaml`:
//
//   rules:                      # per rule id or name: off | error | warning | info
//     ACD019: off
//     image-tag: error
//   ignore:                     # drop findings of a rule (or "*") in files matching a glob
//     - rule: K8S005
//       path: "vendor/**"
//       reason: upstream manifests, tracked in PLAT-123
//   production:
//     match: ["(^|-)live($|-)"] # regexes naming production (default: prod / production as a word)
//     labelKeys: [env, tier]    # labels whose values name an environment
//   argocdNamespace: argocd
//   adminProjects: [platform]   # projects allowed wildcard destinations and the argocd namespace
//   adminRoles: [role:admin]    # RBAC subjects allowed wide grants
//
// loadLintConfig is pure and reports every problem at once, each with its path.

import YAML from 'yaml';
import type { Severity } from '../check/finding.ts';
import { findRule } from './registry.ts';
import type { LintConfig } from './types.ts';
import { isObj } from './util/values.ts';

export class LintConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid lint config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LintConfigError';
  }
}

const LEVELS = ['off', 'error', 'warning', 'info'] as const;
const TOP_KEYS = ['rules', 'ignore', 'production', 'argocdNamespace', 'adminProjects', 'adminRoles'];

function stringList(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push(`${where}: expected a list of strings`);
    return undefined;
  }
  return value;
}

function unknownKeys(obj: Record<string, unknown>, valid: string[], where: string, problems: string[]) {
  for (const k of Object.keys(obj)) if (!valid.includes(k)) problems.push(`${where}${where ? '.' : ''}${k}: unknown key (valid: ${valid.join(', ')})`);
}

export function loadLintConfig(text: string): LintConfig {
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  if (doc.errors.length) throw new LintConfigError(doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  const raw = doc.toJS();
  if (raw === null || raw === undefined) return {};
  if (!isObj(raw)) throw new LintConfigError(['the config must be a mapping (rules, ignore, production, ...)']);
  const problems: string[] = [];
  unknownKeys(raw, TOP_KEYS, '', problems);
  const config: LintConfig = {};

  if (raw.rules !== undefined) {
    if (!isObj(raw.rules)) problems.push('rules: expected a mapping of rule id or name to off|error|warning|info');
    else {
      config.rules = {};
      for (const [ref, value] of Object.entries(raw.rules)) {
        const rule = findRule(ref);
        // YAML 1.1 readers turn a bare `off` into false; accept it as meant.
        const level = value === false ? 'off' : value;
        if (!rule) problems.push(`rules.${ref}: unknown rule (see docs/lint-rules.md)`);
        else if (!LEVELS.includes(level as (typeof LEVELS)[number])) problems.push(`rules.${ref}: "${String(value)}" is not one of ${LEVELS.join(', ')}`);
        else config.rules[rule.id] = level as Severity | 'off';
      }
    }
  }

  if (raw.ignore !== undefined) {
    if (!Array.isArray(raw.ignore)) problems.push('ignore: expected a list of {rule, path, reason}');
    else {
      config.ignore = [];
      raw.ignore.forEach((entry: unknown, i: number) => {
        const where = `ignore[${i}]`;
        if (!isObj(entry)) return problems.push(`${where}: expected a mapping {rule, path, reason}`);
        unknownKeys(entry, ['rule', 'path', 'reason'], where, problems);
        const { rule, path, reason } = entry;
        if (typeof rule !== 'string' || (rule.trim() !== '*' && !findRule(rule))) problems.push(`${where}.rule: ${typeof rule === 'string' ? `unknown rule "${rule}"` : 'required (a rule id, name or "*")'}`);
        if (typeof path !== 'string' || !path.trim()) problems.push(`${where}.path: required (a glob such as "vendor/**")`);
        if (typeof reason !== 'string' || !reason.trim()) problems.push(`${where}.reason: required: say why these findings are acceptable`);
        if (typeof rule === 'string' && typeof path === 'string' && typeof reason === 'string' && reason.trim()) config.ignore!.push({ rule, path, reason });
      });
    }
  }

  if (raw.production !== undefined) {
    if (!isObj(raw.production)) problems.push('production: expected a mapping {match, labelKeys}');
    else {
      unknownKeys(raw.production, ['match', 'labelKeys'], 'production', problems);
      const match = stringList(raw.production.match, 'production.match', problems);
      match?.forEach((m, i) => {
        try {
          new RegExp(m, 'i');
        } catch (e) {
          problems.push(`production.match[${i}]: invalid regular expression: ${(e as Error).message}`);
        }
      });
      const labelKeys = stringList(raw.production.labelKeys, 'production.labelKeys', problems);
      config.production = { ...(match ? { match } : {}), ...(labelKeys ? { labelKeys } : {}) };
    }
  }

  if (raw.argocdNamespace !== undefined) {
    if (typeof raw.argocdNamespace !== 'string' || !raw.argocdNamespace) problems.push('argocdNamespace: expected a namespace name');
    else config.argocdNamespace = raw.argocdNamespace;
  }
  for (const key of ['adminProjects', 'adminRoles'] as const) {
    const list = stringList(raw[key], key, problems);
    if (list) config[key] = list;
  }
  if (problems.length) throw new LintConfigError(problems);
  return config;
}
