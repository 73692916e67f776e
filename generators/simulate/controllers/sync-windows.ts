// AppProject sync windows as Argo CD evaluates them (pkg/apis/application/v1alpha1 SyncWindow:
// a robfig/cron standard schedule in the window's time zone starts the window, which lasts
// `duration`). A set of deny windows meant to close everything but working hours must close the
// same hours every working day; a gap (the classic one: a Saturday-00:00 weekend window that
// leaves Monday 00:00-09:00 open) lets automated syncs through when nobody is watching.

import type { Finding } from '../../check/finding.ts';
import type { ParsedResource } from '../../check/resources.ts';
import { asArray, finding, isObj, perResourceRule, ptr, str, type ControllerRule } from './util.ts';

const MINUTES_PER_WEEK = 7 * 24 * 60;
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** One cron field as the set of values it matches, or undefined when it cannot be read. */
export function cronField(field: string, min: number, max: number, names: Record<string, number> = {}): Set<number> | undefined {
  const out = new Set<number>();
  const value = (s: string) => (s.toLowerCase() in names ? names[s.toLowerCase()] : /^\d+$/.test(s) ? Number(s) : NaN);
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map(value) as [number, number];
    else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Go's time.ParseDuration for the units windows use (h, m, s), in minutes. */
export function durationMinutes(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (m[2] === 'h' ? 60 : m[2] === 'm' ? 1 : 1 / 60);
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/** Minutes of the week (0 = Sunday 00:00) a deny window covers, or undefined when unreadable. */
export function coveredMinutes(schedule: string, duration: string): Set<number> | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields;
  // Day-of-month and month schedules do not repeat weekly: not this rule's concern.
  if (dom !== '*' || month !== '*') return undefined;
  const minutes = cronField(minute, 0, 59);
  const hours = cronField(hour, 0, 23);
  const days = cronField(dow, 0, 6, DOW_NAMES);
  const length = durationMinutes(duration);
  if (!minutes || !hours || !days || length === undefined) return undefined;
  const covered = new Set<number>();
  for (const d of days) for (const h of hours) for (const m of minutes) {
    const start = d * 1440 + h * 60 + m;
    for (let t = 0; t < Math.min(length, MINUTES_PER_WEEK); t++) covered.add((start + t) % MINUTES_PER_WEEK);
  }
  return covered;
}

const hhmm = (minuteOfDay: number) => `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;

/** Open (uncovered) minutes of one day as readable ranges. */
function openRanges(minutes: number[]): string[] {
  const open = new Set(minutes);
  const out: string[] = [];
  let start: number | undefined;
  for (let m = 0; m <= 1440; m++) {
    const isOpen = m < 1440 && open.has(m);
    if (isOpen && start === undefined) start = m;
    if (!isOpen && start !== undefined) {
      out.push(`${hhmm(start)}-${m === 1440 ? '24:00' : hhmm(m)}`);
      start = undefined;
    }
  }
  return out;
}

function scopeKey(w: Record<string, unknown>): string {
  const list = (v: unknown) => asArray(v).map(String).sort().join(',');
  return [list(w.applications), list(w.namespaces), list(w.clusters), str(w.timeZone) ?? 'UTC'].join('|');
}

interface Gap {
  day: number;
  /** Open ranges of that day the usual working day closes. */
  extra: string[];
  usualDays: number[];
}

/**
 * The working days a set of deny windows (one scope, in index order) leaves open longer than
 * the usual working day; null when a window cannot be read. The same windows are typically
 * copied into every tenant's project, so each distinct set is worked out once.
 */
const gapsBySchedules = new Map<string, Gap[] | null>();
function gapsOf(windows: readonly { schedule: string; duration: string }[]): Gap[] | null {
  const key = windows.map((w) => `${w.schedule}\u0000${w.duration}`).join('\u0001');
  const known = gapsBySchedules.get(key);
  if (known !== undefined) return known;
  let gaps: Gap[] | null = [];
  const covered = new Uint8Array(MINUTES_PER_WEEK);
  for (const w of windows) {
    const minutes = coveredMinutes(w.schedule, w.duration);
    if (!minutes) {
      gaps = null;
      break;
    }
    for (const m of minutes) covered[m] = 1;
  }
  if (gaps) {
    const openOf = (day: number) => Array.from({ length: 1440 }, (_, m) => m).filter((m) => !covered[day * 1440 + m]);
    const weekdays = [1, 2, 3, 4, 5].map((d) => ({ day: d, open: openOf(d) }));
    const pattern = new Map<string, number[]>();
    for (const w of weekdays) pattern.set(w.open.join(','), [...(pattern.get(w.open.join(',')) ?? []), w.day]);
    if (pattern.size >= 2) {
      const usual = [...pattern.entries()].sort((a, b) => b[1].length - a[1].length)[0];
      const usualOpen = new Set(usual[0] ? usual[0].split(',').map(Number) : []);
      for (const w of weekdays) {
        const extra = w.open.filter((m) => !usualOpen.has(m));
        if (extra.length) gaps.push({ day: w.day, extra: openRanges(extra), usualDays: usual[1] });
      }
    }
  }
  if (gapsBySchedules.size > 1000) gapsBySchedules.clear();
  gapsBySchedules.set(key, gaps);
  return gaps;
}

function checkProject(p: ParsedResource): Finding[] {
  const windows = asArray(p.obj.spec?.syncWindows);
  const scopes = new Map<string, { indexes: number[]; windows: { schedule: string; duration: string }[]; timeZone: string }>();
  windows.forEach((w, i) => {
    if (!isObj(w) || w.kind !== 'deny') return;
    const key = scopeKey(w);
    const scope = scopes.get(key) ?? { indexes: [], windows: [], timeZone: str(w.timeZone) ?? 'UTC' };
    scopes.set(key, scope);
    scope.indexes.push(i);
    scope.windows.push({ schedule: str(w.schedule) ?? '', duration: str(w.duration) ?? '' });
  });
  const out: Finding[] = [];
  for (const scope of scopes.values()) {
    // A single window repeats the same way every day it fires: only combinations can leave a gap.
    if (scope.indexes.length < 2) continue;
    for (const gap of gapsOf(scope.windows) ?? []) {
      out.push(
        finding(p, {
          rule: 'sim/argocd/sync-window-gap',
          severity: 'warning',
          path: ptr('spec', 'syncWindows', scope.indexes[scope.indexes.length - 1]),
          message: `the deny windows ${scope.indexes.map((i) => `#${i + 1}`).join(', ')} leave ${DAYS[gap.day]} ${gap.extra.join(', ')} (${scope.timeZone}) open although they close those hours on ${gap.usualDays.map((d) => DAYS[d]).join(', ')}: Argo CD runs automated syncs then`,
          fix: 'make the windows cover the same hours every working day (e.g. Monday-Thursday "0 17 * * 1-4" for 16h and Friday "0 17 * * 5" for 64h)',
        }),
      );
    }
  }
  return out;
}

export const syncWindowRules: ControllerRule[] = [perResourceRule('argocd/sync-window-gap', ['AppProject'], checkProject)];
