// What the Argo CD notifications controller does with argocd-notifications-cm triggers.

import YAML from 'yaml';
import type { Finding } from '../../check/finding.ts';
import { asArray, asObj, configMapRule, finding, isObj, ptr, str, type ControllerRule } from './util.ts';

/**
 * Fields of an Application that are nil until something happened: no operation has run yet
 * (`operationState`), or an operation failed before it produced a result (`syncResult`).
 * Upstream's trigger catalog (notifications_catalog/triggers, v3.5.1) always reaches them with
 * `?.`: `oncePer: app.status.operationState?.syncResult?.revision`.
 */
const NIL_UNTIL_SET = ['operationState', 'syncResult'];

/** `operationState.` (not `operationState?.`) in an expression: a member access that fails on nil. */
export function unsafeDereferences(expression: string): string[] {
  return NIL_UNTIL_SET.filter((field) => new RegExp(`\\b${field}\\.(?!\\?)`).test(expression.replace(/\?\./g, '?')));
}

/**
 * `oncePer` is evaluated on every Application the trigger's condition matches; a nil member
 * access there fails the evaluation and the notification is not sent (the failed-sync and
 * degraded triggers fire exactly when syncResult is missing). `when` conditions usually guard
 * with `!= nil and ...`, which short-circuits; oncePer has no such guard.
 */
const oncePerNilDereference: ControllerRule = configMapRule('notifications/nil-dereference', 'argocd-notifications-cm', (cm) =>
    Object.entries(asObj(cm.obj.data))
      .filter(([key]) => key.startsWith('trigger.'))
      .flatMap(([key, value]) => {
        let conditions: unknown;
        try {
          conditions = YAML.parse(str(value) ?? '');
        } catch {
          return [];
        }
        const out: Finding[] = [];
        asArray(conditions).forEach((c, i) => {
          const oncePer = isObj(c) ? str(c.oncePer) : undefined;
          if (!oncePer) return;
          const fields = unsafeDereferences(oncePer);
          if (fields.length)
            out.push(
              finding(cm, {
                rule: 'sim/notifications/nil-dereference',
                severity: 'warning',
                path: ptr('data', key),
                message: `condition ${i + 1}: oncePer "${oncePer}" reads ${fields.map((f) => `${f}.`).join(' and ')} without "?.": when the Application has no ${fields.join('/')} (no sync yet, or a sync that failed before a result) the controller cannot evaluate it and the notification is not sent`,
                fix: `write it as upstream's catalog does: ${oncePer.replace(new RegExp(`\\b(${NIL_UNTIL_SET.join('|')})\\.(?!\\?)`, 'g'), '$1?.')}`,
              }),
            );
        });
        return out;
      }),
);

export const notificationsRules: ControllerRule[] = [oncePerNilDereference];
