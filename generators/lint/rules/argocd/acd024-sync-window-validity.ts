import type { Rule, RuleFinding } from '../../types.ts';
import { at } from '../../util/finding.ts';
import { ptr } from '../../util/pointer.ts';
import { asArray, isObj, str } from '../../util/values.ts';

const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/;
const GO_DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

/** Problems of a cron expression as Argo CD parses it: five fields, no descriptors, no seconds. */
export function cronProblem(schedule: string): string | undefined {
  if (schedule.trim().startsWith('@')) return `schedule "${schedule}" uses a descriptor; Argo CD's parser accepts only 5-field cron`;
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `schedule "${schedule}" has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week)`;
  const bad = fields.find((f) => !CRON_FIELD.test(f));
  return bad ? `schedule "${schedule}" has an invalid field "${bad}"` : undefined;
}

const zones = new Map<string, boolean>();
function timeZoneValid(tz: string): boolean {
  if (tz === 'Local') return true;
  if (!zones.has(tz)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      zones.set(tz, true);
    } catch {
      zones.set(tz, false);
    }
  }
  return zones.get(tz)!;
}

// SyncWindow.Validate() rejects the window, and with it every update of the project.
export const syncWindowValidity: Rule = {
  id: 'ACD024',
  name: 'sync-window-validity',
  severity: 'error',
  scope: 'resource',
  description: 'AppProject sync window Argo CD rejects: kind not allow/deny, schedule not 5-field cron, duration not a Go duration, unknown time zone, or no applications/namespaces/clusters.',
  fix: 'Write windows as `{kind: allow|deny, schedule: "0 22 * * *", duration: 1h, timeZone: <IANA zone>, applications: ["*"]}`.',
  source: 'security.md §1.3, rule 24; types.go SyncWindow.Validate; Argo CD sync_windows.md',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.ofKind('AppProject'))
      asArray(p.obj.spec?.syncWindows).forEach((w, i) => {
        if (!isObj(w)) return;
        const here = (f?: string) => (f ? ptr('/spec/syncWindows', i, f) : ptr('/spec/syncWindows', i));
        if (w.kind !== 'allow' && w.kind !== 'deny') out.push(at(p, here('kind'), `kind "${str(w.kind) ?? ''}" must be allow or deny`));
        const cron = cronProblem(str(w.schedule) ?? '');
        if (cron) out.push(at(p, here('schedule'), cron));
        const duration = str(w.duration) ?? '';
        if (!GO_DURATION.test(duration)) out.push(at(p, here('duration'), `duration "${duration}" is not a Go duration (e.g. 30m, 1h30m, 62h)`));
        const tz = str(w.timeZone);
        if (tz !== undefined && !timeZoneValid(tz)) out.push(at(p, here('timeZone'), `timeZone "${tz}" is not an IANA time zone`));
        if (!['applications', 'namespaces', 'clusters'].some((f) => asArray(w[f]).length))
          out.push(at(p, here(), 'window selects nothing: set at least one of applications, namespaces or clusters'));
      });
    return out;
  },
};
