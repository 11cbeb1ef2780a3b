import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { HolidayEntry } from '../../src/holiday-calendar.js';
import type { BusinessHours } from '@sapa/contracts';
import { addWorkingTime, DEFAULT_BUSINESS_HOURS, isWithinBusinessHours, workingTimeBetween, type BusinessCalendar } from '../../src/sla/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const holidays = (...dates: string[]): HolidayEntry[] => dates.map((date) => ({ date, kind: 'national' }));
/** A Jakarta wall time (UTC+7 all year), e.g. `jkt('2026-03-06T16:30')`. */
const jkt = (local: string): Date => new Date(`${local}:00+07:00`);
const jakarta = (extra: Partial<BusinessCalendar> = {}): BusinessCalendar => ({ timeZone: 'Asia/Jakarta', hours: DEFAULT_BUSINESS_HOURS, holidays: [], ...extra });
const allDay = (...days: (keyof BusinessHours)[]): BusinessHours => Object.fromEntries(days.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
const ALWAYS_OPEN = allDay('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');
const SPLIT_DAYS: BusinessHours = Object.fromEntries(
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }]]),
);

// March 2026: Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9, Tue 10. Default hours Mon–Fri 08:00–17:00.
describe('addWorkingTime on the default hours in Jakarta', () => {
  it.each<[string, string, number, string]>([
    ['inside a working day', '2026-03-04T10:00', 60, '2026-03-04T11:00'],
    ['up to the closing instant, which it keeps', '2026-03-04T16:00', 60, '2026-03-04T17:00'],
    ['across the evening into the next morning', '2026-03-04T16:00', 120, '2026-03-05T09:00'],
    ['from before opening: counting starts at 08:00', '2026-03-04T06:15', 30, '2026-03-04T08:30'],
    ['from exactly the opening', '2026-03-04T08:00', 30, '2026-03-04T08:30'],
    ['from after closing: counting starts the next morning', '2026-03-04T18:00', 30, '2026-03-05T08:30'],
    ['from just after midnight', '2026-03-05T00:10', 30, '2026-03-05T08:30'],
    ['from a Saturday', '2026-03-07T10:00', 30, '2026-03-09T08:30'],
    ['from a Sunday night', '2026-03-08T23:00', 90, '2026-03-09T09:30'],
    ['over a weekend (Friday 16:30 + 2 h)', '2026-03-06T16:30', 120, '2026-03-09T09:30'],
    ['a full working week', '2026-03-09T08:00', 5 * 9 * 60, '2026-03-13T17:00'],
    ['a full working week and one minute', '2026-03-09T08:00', 5 * 9 * 60 + 1, '2026-03-16T08:01'],
    ['thirty working days', '2026-03-02T08:00', 30 * 9 * 60, '2026-04-10T17:00'],
  ])('%s: %s + %i min → %s', (_name, start, minutes, expected) => {
    expect(addWorkingTime(jkt(start), minutes * MINUTE, jakarta())).toEqual(jkt(expected));
  });

  it.each<[string, string, string]>([
    ['inside working time: the start itself', '2026-03-04T10:00', '2026-03-04T10:00'],
    ['at the opening: the opening', '2026-03-04T08:00', '2026-03-04T08:00'],
    ['before opening: the opening', '2026-03-04T07:59', '2026-03-04T08:00'],
    ['at the closing instant: the next opening', '2026-03-04T17:00', '2026-03-05T08:00'],
    ['on a Saturday: Monday’s opening', '2026-03-07T12:00', '2026-03-09T08:00'],
  ])('adds 0 ms %s', (_name, start, expected) => {
    expect(addWorkingTime(jkt(start), 0, jakarta())).toEqual(jkt(expected));
  });

  it('keeps seconds and milliseconds', () => {
    const start = new Date('2026-03-04T16:59:59.250+07:00');
    expect(addWorkingTime(start, 1_000, jakarta())).toEqual(new Date('2026-03-05T08:00:00.250+07:00'));
  });
});

describe('addWorkingTime around holidays', () => {
  it.each<[string, HolidayEntry[], string, number, string]>([
    ['from a holiday', holidays('2026-03-04'), '2026-03-04T10:00', 30, '2026-03-05T08:30'],
    ['the day before a holiday', holidays('2026-03-05'), '2026-03-04T16:00', 120, '2026-03-06T09:00'],
    ['Friday before a holiday Monday', holidays('2026-03-09'), '2026-03-06T16:30', 120, '2026-03-10T09:30'],
    ['a long weekend (Friday holiday, Saturday, Sunday)', holidays('2026-03-06'), '2026-03-05T16:00', 120, '2026-03-09T09:00'],
    ['a Wednesday-to-Friday run of holidays', holidays('2026-03-04', '2026-03-05', '2026-03-06'), '2026-03-03T16:30', 60, '2026-03-09T08:30'],
    ['a holiday of any kind (a collective leave day)', [{ date: '2026-03-05', kind: 'cuti_bersama' }], '2026-03-05T09:00', 60, '2026-03-06T09:00'],
    ['a holiday on a Saturday, which changes nothing', holidays('2026-03-07'), '2026-03-06T16:30', 60, '2026-03-09T08:30'],
  ])('%s', (_name, days, start, minutes, expected) => {
    expect(addWorkingTime(jkt(start), minutes * MINUTE, jakarta({ holidays: days }))).toEqual(jkt(expected));
  });

  it('reads holidays as local dates: Jakarta’s Thursday starts at 17:00 UTC on Wednesday', () => {
    const cal = jakarta({ holidays: holidays('2026-03-05'), hours: ALWAYS_OPEN });
    expect(addWorkingTime(new Date('2026-03-04T16:30:00Z'), HOUR, cal)).toEqual(jkt('2026-03-06T00:30'));
  });
});

describe('addWorkingTime on other hours', () => {
  it.each<[string, BusinessHours, string, number, string]>([
    ['split day: through the lunch break', SPLIT_DAYS, '2026-03-04T11:30', 60, '2026-03-04T13:30'],
    ['split day: from inside the lunch break', SPLIT_DAYS, '2026-03-04T12:30', 10, '2026-03-04T13:10'],
    ['split day: ending at the lunch break', SPLIT_DAYS, '2026-03-04T11:00', 60, '2026-03-04T12:00'],
    ['split day: a whole day and then some', SPLIT_DAYS, '2026-03-04T11:00', 6 * 60, '2026-03-05T09:00'],
    ['always open: the wall clock', ALWAYS_OPEN, '2026-03-06T22:00', 48 * 60, '2026-03-08T22:00'],
    ['"24:00" joins the next day’s "00:00" without a gap', { sat: [{ from: '20:00', to: '24:00' }], sun: [{ from: '00:00', to: '02:00' }] }, '2026-03-07T23:00', 120, '2026-03-08T01:00'],
    ['a weekend-only team', { sat: [{ from: '09:00', to: '15:00' }], sun: [{ from: '09:00', to: '15:00' }] }, '2026-03-04T10:00', 7 * 60, '2026-03-08T10:00'],
  ])('%s', (_name, hours, start, minutes, expected) => {
    expect(addWorkingTime(jkt(start), minutes * MINUTE, jakarta({ hours }))).toEqual(jkt(expected));
  });

  it('reaches a due a year of working minutes away (the schema’s largest)', () => {
    const due = addWorkingTime(jkt('2026-03-02T08:00'), 525_600 * MINUTE, jakarta());
    expect(workingTimeBetween(jkt('2026-03-02T08:00'), due, jakarta())).toBe(525_600 * MINUTE);
    expect(due.getUTCFullYear()).toBe(2029);
  });
});

describe('addWorkingTime across the DST change in Europe/Berlin (29 March 2026, 02:00 → 03:00)', () => {
  const berlin = (hours: BusinessHours = DEFAULT_BUSINESS_HOURS): BusinessCalendar => ({ timeZone: 'Europe/Berlin', hours, holidays: [] });

  it('keeps the opening at 08:00 local on both sides of the change', () => {
    expect(addWorkingTime(new Date('2026-03-27T16:00:00+01:00'), 2 * HOUR, berlin())).toEqual(new Date('2026-03-30T09:00:00+02:00'));
  });

  it('counts the short Sunday as 23 hours when open all day', () => {
    expect(addWorkingTime(new Date('2026-03-28T12:00:00+01:00'), 24 * HOUR, berlin(ALWAYS_OPEN))).toEqual(new Date('2026-03-29T13:00:00+02:00'));
    expect(workingTimeBetween(new Date('2026-03-29T00:00:00+01:00'), new Date('2026-03-30T00:00:00+02:00'), berlin(ALWAYS_OPEN))).toBe(23 * HOUR);
  });

  it('counts the long Sunday in October as 25 hours when open all day', () => {
    expect(workingTimeBetween(new Date('2026-10-25T00:00:00+02:00'), new Date('2026-10-26T00:00:00+01:00'), berlin(ALWAYS_OPEN))).toBe(25 * HOUR);
  });

  it('counts a night shift over the change by the real clock: 01:00–04:00 is 2 hours that night', () => {
    const cal = berlin({ sun: [{ from: '01:00', to: '04:00' }] });
    expect(workingTimeBetween(new Date('2026-03-22T00:00:00Z'), new Date('2026-03-23T00:00:00Z'), cal)).toBe(3 * HOUR);
    expect(workingTimeBetween(new Date('2026-03-29T00:00:00Z'), new Date('2026-03-30T00:00:00Z'), cal)).toBe(2 * HOUR);
  });

  it('never counts time twice when an opening ends inside the skipped hour', () => {
    const cal = berlin({ sun: [{ from: '01:00', to: '02:30' }, { from: '03:00', to: '05:00' }] });
    // 01:00–02:00 CET and 03:00–05:00 CEST exist on the wall clock that night: 3 hours.
    expect(workingTimeBetween(new Date('2026-03-29T00:00:00Z'), new Date('2026-03-30T00:00:00Z'), cal)).toBe(3 * HOUR);
  });
});

describe('addWorkingTime refusals', () => {
  it('throws no_working_hours for a calendar without hours', () => {
    expect(() => addWorkingTime(jkt('2026-03-04T10:00'), MINUTE, jakarta({ hours: {} }))).toThrow(
      expect.objectContaining({ code: 'no_working_hours', details: { start: '2026-03-04T03:00:00.000Z', timeZone: 'Asia/Jakarta' } }),
    );
  });

  const everyMonday = (weeks: number): HolidayEntry[] =>
    holidays(...Array.from({ length: weeks }, (_, i) => new Date(Date.UTC(2026, 2, 9 + 7 * i)).toISOString().slice(0, 10)));

  it('throws no_working_hours when holidays close every opening for 400 days', () => {
    const cal = jakarta({ hours: { mon: [{ from: '08:00', to: '17:00' }] }, holidays: everyMonday(60) });
    expect(() => addWorkingTime(jkt('2026-03-04T10:00'), MINUTE, cal)).toThrow(expect.objectContaining({ code: 'no_working_hours' }));
  });

  it('still finds an opening just under 400 days away', () => {
    const cal = jakarta({ hours: { mon: [{ from: '08:00', to: '17:00' }] }, holidays: everyMonday(56) });
    expect(addWorkingTime(jkt('2026-03-04T10:00'), MINUTE, cal)).toEqual(jkt('2027-04-05T08:01'));
  });

  it.each<[string, () => unknown, Record<string, unknown>]>([
    ['an unknown time zone', () => addWorkingTime(new Date(), MINUTE, jakarta({ timeZone: 'Mars/Olympus' })), { code: 'unknown_time_zone' }],
    ['an invalid start', () => addWorkingTime(new Date('soon'), MINUTE, jakarta()), { code: 'invalid_date' }],
    ['an invalid end', () => workingTimeBetween(new Date(), new Date(Number.NaN), jakarta()), { code: 'invalid_date' }],
  ])('throws on %s', (_name, call, error) => {
    expect(call).toThrow(expect.objectContaining(error));
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p ms of working time', (ms) => {
    expect(() => addWorkingTime(jkt('2026-03-04T10:00'), ms, jakarta())).toThrow(RangeError);
  });
});

describe('workingTimeBetween', () => {
  it.each<[string, string, string, number, HolidayEntry[]]>([
    ['inside one opening', '2026-03-04T09:00', '2026-03-04T10:30', 90, []],
    ['from before opening to after closing', '2026-03-04T06:00', '2026-03-04T20:00', 9 * 60, []],
    ['evening to next morning', '2026-03-04T16:00', '2026-03-05T09:00', 120, []],
    ['over a weekend', '2026-03-06T16:30', '2026-03-09T09:30', 120, []],
    ['inside a weekend', '2026-03-07T08:00', '2026-03-08T17:00', 0, []],
    ['over a holiday', '2026-03-04T16:00', '2026-03-06T09:00', 120, holidays('2026-03-05')],
    ['over a long weekend', '2026-03-05T16:00', '2026-03-09T09:00', 120, holidays('2026-03-06')],
    ['a whole week', '2026-03-09T00:00', '2026-03-16T00:00', 45 * 60, []],
    ['end equal to start', '2026-03-04T10:00', '2026-03-04T10:00', 0, []],
    ['end before start', '2026-03-04T12:00', '2026-03-04T10:00', 0, []],
  ])('%s: %s → %s is %i working minutes', (_name, from, to, minutes, days) => {
    expect(workingTimeBetween(jkt(from), jkt(to), jakarta({ holidays: days }))).toBe(minutes * MINUTE);
  });

  it('leaves out the lunch break of a split day', () => {
    expect(workingTimeBetween(jkt('2026-03-04T11:30'), jkt('2026-03-04T13:30'), jakarta({ hours: SPLIT_DAYS }))).toBe(HOUR);
  });

  it('counts an opening until "24:00" up to midnight', () => {
    expect(workingTimeBetween(jkt('2026-03-07T00:00'), jkt('2026-03-09T00:00'), jakarta({ hours: { sat: [{ from: '20:00', to: '24:00' }] } }))).toBe(4 * HOUR);
  });
});

describe('working time properties (fast-check)', () => {
  const calendars: [string, BusinessCalendar][] = [
    ['Jakarta, default hours, a long weekend', jakarta({ holidays: holidays('2026-03-06', '2026-04-03', '2026-05-01') })],
    ['Jakarta, split days', jakarta({ hours: SPLIT_DAYS })],
    [
      'Berlin, split days, all Saturday and a Sunday shift across the DST hours',
      {
        timeZone: 'Europe/Berlin',
        hours: { ...SPLIT_DAYS, sat: [{ from: '00:00', to: '24:00' }], sun: [{ from: '01:00', to: '02:30' }, { from: '03:00', to: '24:00' }] },
        holidays: holidays('2026-04-03'),
      },
    ],
  ];
  const instant = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true });
  const workingMs = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 * HOUR }), fc.integer({ min: 0, max: 60 * 9 * HOUR }));

  it.each(calendars)('workingTimeBetween(s, addWorkingTime(s, x)) = x on %s', (_name, cal) => {
    fc.assert(
      fc.property(instant, workingMs, (start, ms) => workingTimeBetween(start, addWorkingTime(start, ms, cal), cal) === ms),
      { numRuns: 300 },
    );
  });

  it.each(calendars)('working time adds up over consecutive ranges on %s', (_name, cal) => {
    fc.assert(
      fc.property(instant, instant, instant, (...dates) => {
        const [a, b, c] = dates.sort((x, y) => x.getTime() - y.getTime());
        return workingTimeBetween(a, c, cal) === workingTimeBetween(a, b, cal) + workingTimeBetween(b, c, cal);
      }),
      { numRuns: 100 },
    );
  });

  it.each(calendars)('addWorkingTime(s, x) is never earlier than s + x on the wall clock on %s', (_name, cal) => {
    fc.assert(
      fc.property(instant, workingMs, (start, ms) => addWorkingTime(start, ms, cal).getTime() >= start.getTime() + ms),
      { numRuns: 300 },
    );
  });

  // An independent reading: a minute is working time when the local clock shows a time inside an opening of that
  // local day (and the day is no holiday). Sunday's second opening spans every change, but no opening starts or ends
  // between 01:00 and 03:00, where a wall time may not exist or may occur twice.
  const hours: BusinessHours = { ...SPLIT_DAYS, sat: [{ from: '06:00', to: '24:00' }], sun: [{ from: '00:00', to: '00:45' }, { from: '00:50', to: '12:00' }] };
  const minuteByMinute = (from: number, to: number, cal: BusinessCalendar): number => {
    let total = 0;
    for (let t = from; t < to; t += MINUTE) {
      const local = DateTime.fromMillis(t, { zone: cal.timeZone });
      const reading = local.hour * 60 + local.minute;
      const openings = cal.hours[(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const)[local.weekday - 1]!] ?? [];
      const holiday = cal.holidays.some((h) => h.date === local.toISODate());
      if (!holiday && openings.some((o) => toMinutes(o.from) <= reading && reading < toMinutes(o.to))) total += MINUTE;
    }
    return total;
  };
  const dstWeekends: [string, string][] = [
    ['Europe/Berlin', '2026-03-27T00:00:00Z'],
    ['Europe/Berlin', '2026-10-23T00:00:00Z'],
    ['America/New_York', '2026-03-06T12:00:00Z'],
    ['America/New_York', '2026-10-30T12:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-02T12:00:00Z'], // half-hour DST shifts
    ['Australia/Lord_Howe', '2026-10-01T12:00:00Z'],
    ['Asia/Jakarta', '2026-03-05T00:00:00Z'],
  ];

  it('agrees with reading the local clock minute by minute around DST changes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...dstWeekends), fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.integer({ min: 0, max: 2 * 24 * 60 }), ([timeZone, base], offset, length) => {
        const cal: BusinessCalendar = { timeZone, hours, holidays: holidays('2026-10-02', '2026-03-06') };
        const from = Date.parse(base) + offset * MINUTE;
        const to = from + length * MINUTE;
        return workingTimeBetween(new Date(from), new Date(to), cal) === minuteByMinute(from, to, cal);
      }),
      { numRuns: 60 },
    );
  });
});

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
}

describe('isWithinBusinessHours', () => {
  const cal: BusinessCalendar = { timeZone: 'Asia/Jakarta', hours: DEFAULT_BUSINESS_HOURS, holidays: [{ date: '2026-12-25', name: 'Natal' }] };
  it.each([
    ['2026-12-01T01:00:00Z', true, 'Tuesday 08:00 in Jakarta: the opening minute'],
    ['2026-12-01T00:59:59Z', false, 'a second before it'],
    ['2026-12-01T09:59:59Z', true, 'Tuesday 16:59:59'],
    ['2026-12-01T10:00:00Z', false, 'Tuesday 17:00: closed'],
    ['2026-12-05T03:00:00Z', false, 'Saturday 10:00'],
    ['2026-12-25T03:00:00Z', false, 'Christmas, a Friday holiday'],
  ])('%s → %s (%s)', (at, open) => {
    expect(isWithinBusinessHours(new Date(at), cal)).toBe(open);
  });
});
