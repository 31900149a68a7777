import type { CaseUrgency } from '@jiayuan/contracts';

/**
 * The working-time calendar (pure functions, no I/O). Time zone: Asia/Shanghai, which has been UTC+8 all year
 * without daylight saving since 1991, so local time is UTC shifted by 8 hours.
 *
 * Working hours: 09:00–12:00 and 13:30–17:30, i.e. 7 working hours (420 minutes) a working day. A working day is
 * a Monday–Friday that is not a public holiday, or a make-up working day (调休, a Saturday or Sunday the State
 * Council's notice declares a working day). Holidays and make-up days are data (work_calendar_days), editable per
 * year.
 */
export type Calendar = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> };
export type ClockKind = 'natural' | 'working';

export const urgencyLimitMinutes: Record<CaseUrgency, number> = { red: 120, yellow: 1440, blue: 4320 };
export const WARN_FRACTION = 0.8;

const TZ_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
/** Working periods in minutes after local midnight: [09:00, 12:00) and [13:30, 17:30). */
export const workingPeriods: readonly (readonly [number, number])[] = [
  [9 * 60, 12 * 60],
  [13 * 60 + 30, 17 * 60 + 30],
];
export const WORKING_MINUTES_PER_DAY = workingPeriods.reduce((s, [a, b]) => s + (b - a), 0);
/** How far the working-time search goes before giving up (a calendar with no working day at all). */
const MAX_DAYS = 3 * 366;

/** The local (Asia/Shanghai) calendar date of an instant, as YYYY-MM-DD. */
export const localDate = (t: Date): string => new Date(t.getTime() + TZ_OFFSET_MS).toISOString().slice(0, 10);
export const localYear = (t: Date): number => Number(localDate(t).slice(0, 4));

export function isWorkingDay(day: string, cal: Calendar): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
}

/** Local midnight of the day containing t, as a UTC epoch in ms. */
const localMidnight = (t: number): number => Math.floor((t + TZ_OFFSET_MS) / DAY_MS) * DAY_MS - TZ_OFFSET_MS;

/** The instant `minutes` of the given clock after start. */
export function addDuration(start: Date, minutes: number, clock: ClockKind, cal: Calendar): Date {
  if (clock === 'natural') return new Date(start.getTime() + minutes * MIN_MS);
  let remaining = minutes * MIN_MS;
  let midnight = localMidnight(start.getTime());
  let cursor = start.getTime();
  for (let d = 0; d < MAX_DAYS; d++, midnight += DAY_MS, cursor = midnight) {
    if (!isWorkingDay(localDate(new Date(midnight)), cal)) continue;
    for (const [a, b] of workingPeriods) {
      const ps = midnight + a * MIN_MS;
      const pe = midnight + b * MIN_MS;
      const from = Math.max(ps, cursor);
      if (from >= pe) continue;
      if (remaining <= pe - from) return new Date(from + remaining);
      remaining -= pe - from;
    }
  }
  throw new Error('the calendar has no working time in the next three years');
}

/** Minutes of the given clock between a and b (0 when b ≤ a). */
export function durationBetween(a: Date, b: Date, clock: ClockKind, cal: Calendar): number {
  if (b.getTime() <= a.getTime()) return 0;
  if (clock === 'natural') return (b.getTime() - a.getTime()) / MIN_MS;
  let total = 0;
  for (let midnight = localMidnight(a.getTime()); midnight < b.getTime(); midnight += DAY_MS) {
    if (!isWorkingDay(localDate(new Date(midnight)), cal)) continue;
    for (const [p, q] of workingPeriods) {
      const from = Math.max(midnight + p * MIN_MS, a.getTime());
      const to = Math.min(midnight + q * MIN_MS, b.getTime());
      if (to > from) total += to - from;
    }
  }
  return total / MIN_MS;
}

/** The deadline and the 80 % warning point of a clock started at `start`. */
export function deadlineFrom(start: Date, limitMinutes: number, clock: ClockKind, cal: Calendar) {
  return {
    expectedAt: addDuration(start, limitMinutes, clock, cal),
    warnAt: addDuration(start, Math.round(limitMinutes * WARN_FRACTION), clock, cal),
  };
}

/**
 * 2026, from the State Council General Office's notice on the 2026 holidays (国办发明电〔2025〕7号). Make-up working
 * days are the Saturdays and Sundays worked in exchange for the bridged weekdays.
 */
export const calendar2026: { day: string; kind: 'holiday' | 'workday'; name: string }[] = [
  ...range('2026-01-01', 3, '元旦'),
  { day: '2026-01-04', kind: 'workday', name: '元旦调休上班' },
  { day: '2026-02-14', kind: 'workday', name: '春节调休上班' },
  ...range('2026-02-15', 9, '春节'),
  { day: '2026-02-28', kind: 'workday', name: '春节调休上班' },
  ...range('2026-04-04', 3, '清明节'),
  ...range('2026-05-01', 5, '劳动节'),
  { day: '2026-05-09', kind: 'workday', name: '劳动节调休上班' },
  ...range('2026-06-19', 3, '端午节'),
  { day: '2026-09-20', kind: 'workday', name: '国庆节调休上班' },
  ...range('2026-09-25', 3, '中秋节'),
  ...range('2026-10-01', 7, '国庆节'),
  { day: '2026-10-10', kind: 'workday', name: '国庆节调休上班' },
];

function range(first: string, days: number, name: string) {
  const start = new Date(`${first}T00:00:00Z`).getTime();
  return Array.from({ length: days }, (_, i) => ({
    day: new Date(start + i * DAY_MS).toISOString().slice(0, 10),
    kind: 'holiday' as const,
    name,
  }));
}

export function calendarOf(rows: readonly { day: string; kind: 'holiday' | 'workday' }[]): Calendar {
  return {
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
    workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
  };
}
