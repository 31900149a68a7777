import { describe, expect, it } from 'vitest';
import {
  addDuration,
  calendar2026,
  calendarOf,
  deadlineFrom,
  durationBetween,
  isWorkingDay,
  localDate,
  WORKING_MINUTES_PER_DAY,
} from './deadlines.calendar.ts';

const cal = calendarOf(calendar2026);
const d = (s: string) => new Date(s);
const add = (s: string, m: number) => addDuration(d(s), m, 'working', cal).toISOString();
const iso = (s: string) => d(s).toISOString();

describe('working calendar 2026', () => {
  it('knows holidays, make-up working days and plain weekends', () => {
    expect(WORKING_MINUTES_PER_DAY).toBe(420);
    expect(isWorkingDay('2026-02-14', cal)).toBe(true); // Saturday, 春节调休上班
    expect(isWorkingDay('2026-02-16', cal)).toBe(false); // Monday, 春节
    expect(isWorkingDay('2026-02-28', cal)).toBe(true); // Saturday make-up
    expect(isWorkingDay('2026-03-07', cal)).toBe(false); // plain Saturday
    expect(isWorkingDay('2026-03-09', cal)).toBe(true); // plain Monday
    expect(isWorkingDay('2026-10-07', cal)).toBe(false); // 国庆
    expect(isWorkingDay('2026-10-08', cal)).toBe(true); // the Thursday after
    expect(isWorkingDay('2026-10-10', cal)).toBe(true);
    expect(calendar2026.filter((x) => x.kind === 'holiday')).toHaveLength(33);
    expect(localDate(d('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
  });

  it('adds working time within a day, across lunch and across days', () => {
    expect(add('2026-03-02T09:00:00+08:00', 60)).toBe(iso('2026-03-02T10:00:00+08:00'));
    expect(add('2026-03-02T11:30:00+08:00', 60)).toBe(iso('2026-03-02T14:00:00+08:00'));
    expect(add('2026-03-02T12:10:00+08:00', 10)).toBe(iso('2026-03-02T13:40:00+08:00'));
    expect(add('2026-03-02T17:00:00+08:00', 60)).toBe(iso('2026-03-03T09:30:00+08:00'));
    // Outside working hours, the clock waits for the next working minute.
    expect(add('2026-03-02T20:00:00+08:00', 0)).toBe(iso('2026-03-03T09:00:00+08:00'));
  });

  it('skips a weekend', () => {
    expect(add('2026-03-06T16:00:00+08:00', 91)).toBe(iso('2026-03-09T09:01:00+08:00'));
    expect(add('2026-03-06T16:00:00+08:00', 1260)).toBe(iso('2026-03-11T16:00:00+08:00'));
  });

  it('skips the Spring Festival holiday and counts its make-up Saturdays', () => {
    expect(add('2026-02-13T16:00:00+08:00', 91)).toBe(iso('2026-02-14T09:01:00+08:00'));
    expect(add('2026-02-14T17:00:00+08:00', 31)).toBe(iso('2026-02-24T09:01:00+08:00'));
    expect(add('2026-02-27T17:00:00+08:00', 60)).toBe(iso('2026-02-28T09:30:00+08:00'));
    expect(add('2026-09-30T17:00:00+08:00', 60)).toBe(iso('2026-10-08T09:30:00+08:00'));
  });

  it('measures working time between two instants (the inverse of adding)', () => {
    const a = d('2026-02-13T16:00:00+08:00');
    for (const m of [1, 90, 91, 420, 1000, 1260, 5000]) {
      const b = addDuration(a, m, 'working', cal);
      expect(durationBetween(a, b, 'working', cal)).toBe(m);
    }
    expect(durationBetween(d('2026-03-07T10:00:00+08:00'), d('2026-03-08T10:00:00+08:00'), 'working', cal)).toBe(0);
    expect(durationBetween(a, a, 'natural', cal)).toBe(0);
  });

  it('puts the warning at 80 % of the limit, in the same clock', () => {
    const n = deadlineFrom(d('2026-03-02T09:00:00+08:00'), 120, 'natural', cal);
    expect(n.warnAt.toISOString()).toBe(iso('2026-03-02T10:36:00+08:00'));
    expect(n.expectedAt.toISOString()).toBe(iso('2026-03-02T11:00:00+08:00'));
    const w = deadlineFrom(d('2026-03-06T16:00:00+08:00'), 1260, 'working', cal);
    expect(w.warnAt.toISOString()).toBe(iso('2026-03-11T10:18:00+08:00'));
  });
});
