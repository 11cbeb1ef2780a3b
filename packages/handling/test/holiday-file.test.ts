import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closingPhrase, HOLIDAY_KINDS, loadHolidayFile, validateHolidayList, type Holiday } from '../src/index.js';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'holidays-id-2026-2027.json');
const raw = JSON.parse(readFileSync(path, 'utf8')) as { source: string; note: string; items: Array<Holiday & { provisional?: boolean }> };
const file = loadHolidayFile(raw);
const FIXED = ['01-01', '05-01', '06-01', '08-17', '12-25'];

describe('data/holidays-id-2026-2027.json', () => {
  it('loads and names its decree', () => {
    expect(file.source).toMatch(/Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025/);
    expect(file.note).toMatch(/PROVISIONAL/);
  });

  it('has real dates, in order, each once, of known kinds', () => {
    const dates = raw.items.map((i) => i.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    for (const item of raw.items) {
      expect(new Date(`${item.date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(item.date);
      expect(HOLIDAY_KINDS).toContain(item.kind);
      expect(item.name.trim()).not.toBe('');
    }
  });

  it('holds the 17 national holidays and 8 collective-leave days of the 2026 decree', () => {
    const y2026 = file.items.filter((i) => i.date.startsWith('2026-'));
    expect(y2026.filter((i) => i.kind === 'national')).toHaveLength(17);
    expect(y2026.filter((i) => i.kind === 'collective_leave').map((i) => i.date)).toEqual([
      '2026-02-16',
      '2026-03-18',
      '2026-03-20',
      '2026-03-23',
      '2026-03-24',
      '2026-05-15',
      '2026-05-28',
      '2026-12-24',
    ]);
    expect(raw.items.filter((i) => i.date.startsWith('2026-') && i.provisional)).toEqual([]);
  });

  it('marks every 2027 day that is not a fixed date as provisional, and invents no 2027 collective leave', () => {
    const y2027 = raw.items.filter((i) => i.date.startsWith('2027-'));
    for (const day of y2027) expect(Boolean(day.provisional)).toBe(!FIXED.includes(day.date.slice(5)));
    expect(y2027.filter((i) => i.kind === 'collective_leave')).toEqual([]);
    expect(y2027.map((i) => i.date.slice(5))).toEqual(expect.arrayContaining(FIXED));
  });

  it.each([
    ['the Nyepi–Lebaran run of 2026, Wednesday 18 March', '2026-03-18T03:00:00Z', 'Selamat berakhir pekan'],
    ['the same run, Tuesday 24 March', '2026-03-24T03:00:00Z', 'Selamat berakhir pekan'],
    ['the working Wednesday after it', '2026-03-25T03:00:00Z', 'Selamat beraktifitas'],
    ['Idul Adha 2026, a Wednesday whose run (Wed–Thu) touches no weekend', '2026-05-27T03:00:00Z', 'Selamat beraktifitas'],
    ['New Year 2026, a lone Thursday, in the evening', '2026-01-01T12:00:00Z', 'Selamat beristirahat'],
    ['Kenaikan 2026, Thursday before Friday collective leave', '2026-05-14T12:00:00Z', 'Selamat berakhir pekan'],
    ['Hari Lahir Pancasila 2026, a Monday after Waisak Sunday', '2026-06-01T03:00:00Z', 'Selamat berakhir pekan'],
  ])('gives the expected phrase in Jakarta on %s', (_name, instant, phrase) => {
    expect(closingPhrase(new Date(instant), { timeZone: 'Asia/Jakarta', holidays: file.items })).toBe(phrase);
  });
});

describe('loadHolidayFile refuses a broken file', () => {
  const good = { source: 'SKB', items: [{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }] };
  it.each([
    ['a file that is not an object', [], undefined],
    ['a missing source', { items: good.items }, 'source'],
    ['an impossible date', { ...good, items: [{ date: '2026-02-30', name: 'x', kind: 'national' }] }, 'items[0].date'],
    ['an unknown kind', { ...good, items: [{ date: '2026-01-01', name: 'x', kind: 'regional' }] }, 'items[0].kind'],
    ['a missing name', { ...good, items: [{ date: '2026-01-01', kind: 'national' }] }, 'items[0].name'],
    [
      'days out of order',
      { ...good, items: [{ date: '2026-02-01', name: 'b', kind: 'national' }, { date: '2026-01-01', name: 'a', kind: 'national' }] },
      'items[1].date',
    ],
    [
      'a duplicate date',
      { ...good, items: [{ date: '2026-01-01', name: 'a', kind: 'national' }, { date: '2026-01-01', name: 'b', kind: 'collective_leave' }] },
      'items[1].date',
    ],
  ])('%s', (_name, json, badPath) => {
    let error: unknown;
    try {
      loadHolidayFile(json);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid_holiday_file' });
    if (badPath) expect((error as { details: Array<{ path: string }> }).details.map((d) => d.path)).toContain(badPath);
  });
});

describe('validateHolidayList (PUT /v1/tenant/holidays)', () => {
  it('sorts a valid list and keeps only date, name and kind', () => {
    const result = validateHolidayList([
      { date: '2026-12-25', name: 'Natal', kind: 'national', extra: 1 },
      { date: '2026-01-01', name: 'Tahun Baru', kind: 'national' },
    ]);
    expect(result).toEqual({
      ok: true,
      items: [
        { date: '2026-01-01', name: 'Tahun Baru', kind: 'national' },
        { date: '2026-12-25', name: 'Natal', kind: 'national' },
      ],
    });
  });

  it.each([
    ['not an array', { items: [] }, 'items'],
    ['an item that is not an object', ['2026-01-01'], 'items[0]'],
    ['a date without zero padding', [{ date: '2026-1-1', name: 'x', kind: 'national' }], 'items[0].date'],
    ['a date with a time', [{ date: '2026-01-01T00:00', name: 'x', kind: 'national' }], 'items[0].date'],
  ])('refuses %s', (_name, items, path) => {
    const result = validateHolidayList(items);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
  });
});
