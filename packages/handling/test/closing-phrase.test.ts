import { describe, expect, it } from '@jest/globals';
import { closingPhrase, HandlingError, localizeClosingPhrase, type ClosingPhrase, type HolidayEntry } from '../src/index.js';

const AKTIF: ClosingPhrase = 'Selamat beraktifitas';
const ISTIRAHAT: ClosingPhrase = 'Selamat beristirahat';
const PEKAN: ClosingPhrase = 'Selamat berakhir pekan';

/** Instants are written with explicit offsets so the expectation does not depend on the library under test. */
const wib = (local: string) => new Date(`${local}:00+07:00`);
const jakarta = (holidays: HolidayEntry[] = []) => ({ timeZone: 'Asia/Jakarta', holidays });

// 4–10 May 2026: Monday to Sunday, no holiday in Indonesia's 2026 calendar.
const WEEK = [
  ['Monday', '2026-05-04'],
  ['Tuesday', '2026-05-05'],
  ['Wednesday', '2026-05-06'],
  ['Thursday', '2026-05-07'],
  ['Friday', '2026-05-08'],
] as const;
const WEEKEND = [
  ['Saturday', '2026-05-09'],
  ['Sunday', '2026-05-10'],
] as const;
const BOUNDARIES = [
  ['05:59', ISTIRAHAT],
  ['06:00', AKTIF],
  ['17:59', AKTIF],
  ['18:00', AKTIF],
  ['18:01', ISTIRAHAT],
  ['23:59', ISTIRAHAT],
  ['00:00', ISTIRAHAT],
] as const;

describe('closingPhrase on working days (customer-handling.md §Closing phrase, rule 2)', () => {
  const cases = WEEK.flatMap(([day, date]) => BOUNDARIES.map(([time, phrase]) => [day, time, date, phrase] as const));
  it.each(cases)('on %s at %s (%s) says %s', (_day, time, date, phrase) => {
    expect(closingPhrase(wib(`${date}T${time}`), jakarta())).toBe(phrase);
  });

  it.each([
    ['18:00:59 still reads as 18:00', '2026-05-06T18:00:59', AKTIF],
    ['05:59:59 still reads as 05:59', '2026-05-06T05:59:59', ISTIRAHAT],
    ['12:00 is the middle of the working day', '2026-05-06T12:00:00', AKTIF],
    ['03:00 is the middle of the night', '2026-05-06T03:00:00', ISTIRAHAT],
  ])('works at minute precision: %s', (_name, local, phrase) => {
    expect(closingPhrase(new Date(`${local}+07:00`), jakarta())).toBe(phrase);
  });
});

describe('closingPhrase on Saturdays and Sundays (rule 1)', () => {
  const cases = WEEKEND.flatMap(([day, date]) => BOUNDARIES.map(([time]) => [day, time, date] as const));
  it.each(cases)('on %s at %s (%s) says berakhir pekan', (_day, time, date) => {
    expect(closingPhrase(wib(`${date}T${time}`), jakarta())).toBe(PEKAN);
  });

  it('switches to berakhir pekan at Saturday 00:00 and back at Monday 00:00', () => {
    expect(closingPhrase(wib('2026-05-08T23:59'), jakarta())).toBe(ISTIRAHAT);
    expect(closingPhrase(wib('2026-05-09T00:00'), jakarta())).toBe(PEKAN);
    expect(closingPhrase(wib('2026-05-10T23:59'), jakarta())).toBe(PEKAN);
    expect(closingPhrase(wib('2026-05-11T00:00'), jakarta())).toBe(ISTIRAHAT);
  });
});

const h = (...dates: string[]): HolidayEntry[] => dates.map((date) => ({ date, name: 'libur', kind: 'national' }));

describe('closingPhrase on long weekends (rule 1, long weekend chosen)', () => {
  it.each([
    ['a Friday holiday', h('2026-01-16'), '2026-01-16', PEKAN, PEKAN],
    ['the Thursday before a Friday holiday, a working day', h('2026-01-16'), '2026-01-15', AKTIF, ISTIRAHAT],
    ['a Monday holiday (run Sat–Sun–Mon)', h('2026-08-17'), '2026-08-17', PEKAN, PEKAN],
    ['the Tuesday after a Monday holiday, a working day', h('2026-08-17'), '2026-08-18', AKTIF, ISTIRAHAT],
    ['a Thursday holiday followed by Friday collective leave: the Thursday', h('2026-05-14', '2026-05-15'), '2026-05-14', PEKAN, PEKAN],
    ['a Thursday holiday followed by Friday collective leave: the Friday', h('2026-05-14', '2026-05-15'), '2026-05-15', PEKAN, PEKAN],
    ['a Thursday holiday with a working Friday', h('2026-05-14'), '2026-05-14', AKTIF, ISTIRAHAT],
    ['a Tuesday–Friday run: the Tuesday', h('2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11'), '2026-09-08', PEKAN, PEKAN],
    ['a Tuesday–Friday run: the Wednesday', h('2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11'), '2026-09-09', PEKAN, PEKAN],
    ['a Tuesday–Friday run: the Monday before, a working day', h('2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11'), '2026-09-07', AKTIF, ISTIRAHAT],
    ['a Monday–Tuesday run reaching back to Sunday: the Tuesday', h('2026-02-16', '2026-02-17'), '2026-02-17', PEKAN, PEKAN],
    ['a Wednesday–Thursday run touching no weekend', h('2026-09-16', '2026-09-17'), '2026-09-16', AKTIF, ISTIRAHAT],
    ['a run across the year boundary (Thu 31 Dec + Fri 1 Jan): the Thursday', h('2026-12-31', '2027-01-01'), '2026-12-31', PEKAN, PEKAN],
    ['a run across the year boundary (Thu 31 Dec + Fri 1 Jan): the Friday', h('2026-12-31', '2027-01-01'), '2027-01-01', PEKAN, PEKAN],
    ['a run across the year boundary backwards (Sat 1 Jan 2028 ← Fri 31 Dec 2027)', h('2027-12-31'), '2027-12-31', PEKAN, PEKAN],
    ['a Saturday holiday', h('2027-05-01'), '2027-05-01', PEKAN, PEKAN],
    ['the working Friday before a Saturday holiday', h('2027-05-01'), '2027-04-30', AKTIF, ISTIRAHAT],
    ['a lone Wednesday holiday', h('2026-09-23'), '2026-09-23', AKTIF, ISTIRAHAT],
    ['a lone Tuesday holiday', h('2026-06-16'), '2026-06-16', AKTIF, ISTIRAHAT],
    ['a holiday kind the rule does not know still counts', [{ date: '2026-01-16', kind: 'regional' }], '2026-01-16', PEKAN, PEKAN],
  ])('%s: %s at 10:00 and 20:00', (_name, holidays, date, at10, at20) => {
    expect(closingPhrase(wib(`${date}T10:00`), jakarta(holidays))).toBe(at10);
    expect(closingPhrase(wib(`${date}T20:00`), jakarta(holidays))).toBe(at20);
  });

  it.each(['05:59', '06:00', '18:00', '18:01', '23:59', '00:00'])('a lone Wednesday holiday follows the working-day rule at %s', (time) => {
    const expected = BOUNDARIES.find(([t]) => t === time)?.[1];
    expect(closingPhrase(wib(`2026-09-23T${time}`), jakarta(h('2026-09-23')))).toBe(expected);
  });
});

describe('closingPhrase in time zones other than Jakarta', () => {
  // One instant, many local clocks: Friday 8 May 2026 16:30 UTC.
  const fridayEvening = new Date('2026-05-08T16:30:00Z');
  // Sunday 10 May 2026 22:30 UTC.
  const sundayNight = new Date('2026-05-10T22:30:00Z');

  it.each([
    ['Asia/Jakarta', fridayEvening, 'Fri 23:30', ISTIRAHAT],
    ['Asia/Makassar', fridayEvening, 'Sat 00:30', PEKAN],
    ['Asia/Jayapura', fridayEvening, 'Sat 01:30', PEKAN],
    ['Europe/London', fridayEvening, 'Fri 17:30 (BST)', AKTIF],
    ['America/New_York', fridayEvening, 'Fri 12:30 (EDT)', AKTIF],
    ['UTC', fridayEvening, 'Fri 16:30', AKTIF],
    ['Asia/Jakarta', sundayNight, 'Mon 05:30', ISTIRAHAT],
    ['Asia/Makassar', sundayNight, 'Mon 06:30', AKTIF],
    ['Asia/Jayapura', sundayNight, 'Mon 07:30', AKTIF],
    ['Europe/London', sundayNight, 'Sun 23:30', PEKAN],
    ['America/New_York', sundayNight, 'Sun 18:30', PEKAN],
  ])('in %s the instant %s reads %s → %s', (timeZone, at, _local, phrase) => {
    expect(closingPhrase(at, { timeZone, holidays: [] })).toBe(phrase);
  });

  it.each([
    ['Asia/Makassar', '2026-05-05T05:59:00+08:00', ISTIRAHAT],
    ['Asia/Makassar', '2026-05-05T06:00:00+08:00', AKTIF],
    ['Asia/Jayapura', '2026-05-05T18:00:00+09:00', AKTIF],
    ['Asia/Jayapura', '2026-05-05T18:01:00+09:00', ISTIRAHAT],
    // London before the change to summer time on 29 March 2026 (GMT, +00:00) and after it (BST, +01:00).
    ['Europe/London', '2026-03-27T05:59:00+00:00', ISTIRAHAT],
    ['Europe/London', '2026-03-27T06:00:00+00:00', AKTIF],
    ['Europe/London', '2026-03-30T05:59:00+01:00', ISTIRAHAT],
    ['Europe/London', '2026-03-30T06:00:00+01:00', AKTIF],
    ['Europe/London', '2026-03-30T05:30:00Z', AKTIF],
    // London before and after the return to GMT on 25 October 2026.
    ['Europe/London', '2026-10-23T18:00:00+01:00', AKTIF],
    ['Europe/London', '2026-10-23T18:01:00+01:00', ISTIRAHAT],
    ['Europe/London', '2026-10-26T18:00:00+00:00', AKTIF],
    ['Europe/London', '2026-10-26T18:01:00+00:00', ISTIRAHAT],
    // New York: EST (-05:00) until 8 March 2026, EDT (-04:00) after; EST again from 1 November.
    ['America/New_York', '2026-03-06T05:59:00-05:00', ISTIRAHAT],
    ['America/New_York', '2026-03-06T06:00:00-05:00', AKTIF],
    ['America/New_York', '2026-03-09T05:59:00-04:00', ISTIRAHAT],
    ['America/New_York', '2026-03-09T06:00:00-04:00', AKTIF],
    ['America/New_York', '2026-03-09T10:30:00Z', AKTIF],
    ['America/New_York', '2026-11-02T18:00:00-05:00', AKTIF],
    ['America/New_York', '2026-11-02T18:01:00-05:00', ISTIRAHAT],
  ])('in %s at %s says %s', (timeZone, instant, phrase) => {
    expect(closingPhrase(new Date(instant), { timeZone, holidays: [] })).toBe(phrase);
  });

  it('reads holidays as local dates of the tenant zone', () => {
    const holidays = h('2026-01-16'); // a Friday holiday
    const at = new Date('2026-01-15T15:30:00Z'); // Thursday 22:30 in Jakarta, Friday 00:30 in Jayapura
    expect(closingPhrase(at, { timeZone: 'Asia/Jakarta', holidays })).toBe(ISTIRAHAT);
    expect(closingPhrase(at, { timeZone: 'Asia/Jayapura', holidays })).toBe(PEKAN);
  });
});

describe('closingPhrase refuses what it cannot read', () => {
  it.each(['Asia/Jakrta', 'Mars/Olympus', 'WIB', ''])('throws unknown_time_zone for "%s"', (timeZone) => {
    expect(() => closingPhrase(new Date('2026-05-04T03:00:00Z'), { timeZone, holidays: [] })).toThrow(
      expect.objectContaining({ code: 'unknown_time_zone', name: 'HandlingError' }),
    );
  });

  it('says how to fix an unknown time zone', () => {
    expect(() => closingPhrase(new Date(), { timeZone: 'Asia/Jakrta', holidays: [] })).toThrow(/IANA zone name such as "Asia\/Jakarta"/);
  });

  it('throws invalid_date for an invalid instant', () => {
    expect(() => closingPhrase(new Date('nope'), jakarta())).toThrow(HandlingError);
  });
});

describe('localizeClosingPhrase', () => {
  it.each<[ClosingPhrase, 'id' | 'en', string]>([
    [AKTIF, 'id', AKTIF],
    [ISTIRAHAT, 'id', ISTIRAHAT],
    [PEKAN, 'id', PEKAN],
    [AKTIF, 'en', 'Have a productive day'],
    [ISTIRAHAT, 'en', 'Have a good rest'],
    [PEKAN, 'en', 'Have a nice weekend'],
  ])('renders %s in %s as %s', (phrase, locale, text) => {
    expect(localizeClosingPhrase(phrase, locale)).toBe(text);
  });
});
