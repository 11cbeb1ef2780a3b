import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseIcalHolidays } from '../src/holidays/parse-ical-holidays.js';

const fixture = readFileSync(new URL('./fixtures/indonesia-holidays-2026.ics', import.meta.url), 'utf8');
const UNTIL = '2028-12-31';

/** A calendar around the given VEVENT lines, as a minimal real export would have it. */
const calendar = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Sapa tests//EN',
    ...events.flatMap((lines, i) => ['BEGIN:VEVENT', `UID:e${i}@sapa.test`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('parseIcalHolidays (the iCalendar import)', () => {
  it('reads the all-day events of a real calendar export: each day of a multi-day event, folded lines, yearly events', () => {
    const { items, repeated } = parseIcalHolidays(fixture, { expandUntil: UNTIL });
    expect(items).toEqual([
      { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi', kind: 'national' },
      { date: '2026-03-19', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)', kind: 'national' },
      { date: '2026-03-20', name: 'Libur sebelum Idul Fitri 1447 Hijriah', kind: 'collective_leave' },
      { date: '2026-03-21', name: 'Idul Fitri 1447 Hijriah', kind: 'national' },
      { date: '2026-03-22', name: 'Idul Fitri 1447 Hijriah', kind: 'national' },
      { date: '2026-03-23', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'collective_leave' },
      { date: '2026-03-24', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'collective_leave' },
      { date: '2026-06-01', name: 'Hari Lahir Pancasila', kind: 'national' },
      { date: '2026-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia', kind: 'national' },
      { date: '2027-06-01', name: 'Hari Lahir Pancasila', kind: 'national' },
      { date: '2028-06-01', name: 'Hari Lahir Pancasila', kind: 'national' },
    ]);
    expect(repeated).toEqual([{ date: '2026-03-19', name: 'Hari Raya Nyepi (perayaan)', kind: 'national' }]);
  });

  it('leaves out the timed meeting and the cancelled event of the export', () => {
    const dates = parseIcalHolidays(fixture, { expandUntil: UNTIL }).items.map((h) => h.date);
    expect(dates).not.toContain('2026-01-05');
    expect(dates).not.toContain('2026-01-02');
  });

  it('gives every day the kind asked for with ?kind=', () => {
    const { items } = parseIcalHolidays(fixture, { kind: 'collective_leave', expandUntil: UNTIL });
    expect(new Set(items.map((h) => h.kind))).toEqual(new Set(['collective_leave']));
  });

  it('reads the same file with bare LF line endings', () => {
    const lf = parseIcalHolidays(fixture.replace(/\r\n/g, '\n'), { expandUntil: UNTIL });
    expect(lf.items).toEqual(parseIcalHolidays(fixture, { expandUntil: UNTIL }).items);
  });

  it.each([
    ['an event without DTEND is one day', [['DTSTART;VALUE=DATE:20260817', 'SUMMARY:Kemerdekaan']], ['2026-08-17']],
    ['DTEND is exclusive', [['DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Natal']], ['2026-12-24', '2026-12-25']],
    ['a DURATION gives the days', [['DTSTART;VALUE=DATE:20260320', 'DURATION:P3D', 'SUMMARY:Lebaran']], ['2026-03-20', '2026-03-21', '2026-03-22']],
    ['a multi-day event crosses the year', [['DTSTART;VALUE=DATE:20261231', 'DTEND;VALUE=DATE:20270102', 'SUMMARY:Tahun Baru']], ['2026-12-31', '2027-01-01']],
    ['a yearly event stops at the horizon', [['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY', 'SUMMARY:Tahun Baru']], ['2026-01-01', '2027-01-01', '2028-01-01']],
    ['an excluded occurrence is left out', [['DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;COUNT=3', 'EXDATE;VALUE=DATE:20270101', 'SUMMARY:Tahun Baru']], ['2026-01-01', '2028-01-01']],
    ['a timed event is no holiday', [['DTSTART:20260817T020000Z', 'DTEND:20260817T040000Z', 'SUMMARY:Upacara']], []],
    ['a calendar without events adds nothing', [], []],
  ] as Array<[string, string[][], string[]]>)('%s', (_what, events, dates) => {
    expect(parseIcalHolidays(calendar(...events), { expandUntil: UNTIL }).items.map((h) => h.date)).toEqual(dates);
  });

  it('moves a rescheduled occurrence of a yearly event to its new day', () => {
    const text = calendar(
      ['DTSTART;VALUE=DATE:20260525', 'RRULE:FREQ=YEARLY;COUNT=2', 'SUMMARY:Waisak'],
    ).replace(
      'END:VCALENDAR',
      ['BEGIN:VEVENT', 'UID:e0@sapa.test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;VALUE=DATE:20270525', 'DTSTART;VALUE=DATE:20270520', 'SUMMARY:Waisak (dipindah)', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'),
    );
    expect(parseIcalHolidays(text, { expandUntil: UNTIL }).items).toEqual([
      { date: '2026-05-25', name: 'Waisak', kind: 'national' },
      { date: '2027-05-20', name: 'Waisak (dipindah)', kind: 'national' },
    ]);
  });

  it.each([
    ['plain text', 'Tahun Baru 2026-01-01'],
    ['an empty body', ''],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Budi\r\nEND:VCARD\r\n'],
    ['an unterminated calendar', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n'],
  ])('refuses %s with invalid_calendar', (_what, text) => {
    expect(() => parseIcalHolidays(text, { expandUntil: UNTIL })).toThrow(expect.objectContaining({ code: 'invalid_calendar' }));
  });

  it('refuses an all-day event longer than a month', () => {
    const text = calendar(['DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20270101', 'SUMMARY:Setahun']);
    expect(() => parseIcalHolidays(text, { expandUntil: UNTIL })).toThrow(expect.objectContaining({ code: 'invalid_calendar' }));
  });
});
