import { describe, expect, it } from '@jest/globals';
import { dayKindOf, describeLocalDay, isLongWeekendDay, type DayKind, type HolidayEntry } from '../src/index.js';

const h = (...dates: string[]): HolidayEntry[] => dates.map((date) => ({ date }));

describe('isLongWeekendDay', () => {
  it.each([
    ['a Friday holiday', '2026-01-16', h('2026-01-16'), true],
    ['a Monday holiday', '2026-08-17', h('2026-08-17'), true],
    ['a Saturday holiday', '2027-05-01', h('2027-05-01'), true],
    ['a Sunday holiday', '2026-05-31', h('2026-05-31'), true],
    ['a Thursday holiday before a Friday holiday', '2026-05-14', h('2026-05-14', '2026-05-15'), true],
    ['a Wednesday at the start of a Wednesday–Friday run', '2026-09-09', h('2026-09-09', '2026-09-10', '2026-09-11'), true],
    ['a Thursday in a Monday–Thursday run', '2026-09-17', h('2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17'), true],
    ['a Wednesday in a Tuesday–Thursday run', '2026-09-16', h('2026-09-15', '2026-09-16', '2026-09-17'), false],
    ['a lone Wednesday holiday', '2026-09-23', h('2026-09-23'), false],
    ['a Thursday holiday when Friday is a working day', '2026-01-01', h('2026-01-01'), false],
    ['a Saturday that is not a holiday', '2026-05-09', h(), false],
    ['a working day', '2026-05-06', h('2026-05-07'), false],
    ['a Thursday holiday two days before a Saturday with a working Friday between', '2026-09-24', h('2026-09-24'), false],
  ])('%s (%s) → %s', (_name, date, holidays, expected) => {
    expect(isLongWeekendDay(date, holidays)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-5-1', '20260501', 'tomorrow'])('throws invalid_date for "%s"', (date) => {
    expect(() => isLongWeekendDay(date, [])).toThrow(expect.objectContaining({ code: 'invalid_date' }));
  });
});

describe('dayKindOf', () => {
  it.each<[string, HolidayEntry[], DayKind]>([
    ['2026-05-06', h(), 'working'],
    ['2026-05-09', h(), 'weekend'],
    ['2026-05-10', h('2026-05-10'), 'weekend'],
    ['2026-01-16', h('2026-01-16'), 'long_weekend'],
    ['2026-09-23', h('2026-09-23'), 'holiday'],
  ])('%s is a %s day', (date, holidays, kind) => {
    expect(dayKindOf(date, holidays)).toBe(kind);
  });
});

describe('describeLocalDay', () => {
  it('gives the local date, ISO weekday, minute of day and day kind in the tenant zone', () => {
    expect(describeLocalDay(new Date('2026-01-15T17:05:00Z'), { timeZone: 'Asia/Jakarta', holidays: h('2026-01-16') })).toEqual({
      date: '2026-01-16',
      weekday: 5,
      minuteOfDay: 5,
      dayKind: 'long_weekend',
    });
  });
});
