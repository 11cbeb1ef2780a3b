import { localMinute } from './local-time.js';

export type TimeOfDayId = 'pagi' | 'siang' | 'sore' | 'malam';
export type TimeOfDayEn = 'morning' | 'afternoon' | 'evening';

/**
 * The greeting's time-of-day word (customer-handling.md §phase 1, greeting) by local hour. Sapa's choice, as Indonesian
 * contact centres say it: "Selamat pagi" from 04:00, "siang" from 11:00, "sore" from 15:00, "malam" from 18:00 until
 * 03:59. English has no "good night" greeting, so evening runs from 18:00 to 03:59. Each row starts at `from` (minute of
 * day) and lasts until the next row; the last row wraps past midnight to the first.
 */
const TIME_OF_DAY = {
  id: [
    { from: 4 * 60, word: 'pagi' },
    { from: 11 * 60, word: 'siang' },
    { from: 15 * 60, word: 'sore' },
    { from: 18 * 60, word: 'malam' },
  ],
  en: [
    { from: 4 * 60, word: 'morning' },
    { from: 12 * 60, word: 'afternoon' },
    { from: 18 * 60, word: 'evening' },
  ],
} as const;

/** The word for `minuteOfDay` (0..1439) in the locale's table. */
export function timeOfDayWordAt(minuteOfDay: number, locale: 'id' | 'en' = 'id'): TimeOfDayId | TimeOfDayEn {
  const rows = TIME_OF_DAY[locale];
  let word: TimeOfDayId | TimeOfDayEn = rows[rows.length - 1]!.word;
  for (const row of rows) if (minuteOfDay >= row.from) word = row.word;
  return word;
}

/** The greeting's time-of-day word for the instant `at` in the tenant's zone (Indonesian by default). */
export function timeOfDayWord(at: Date, timeZone: string, locale?: 'id'): TimeOfDayId;
export function timeOfDayWord(at: Date, timeZone: string, locale: 'en'): TimeOfDayEn;
export function timeOfDayWord(at: Date, timeZone: string, locale: 'id' | 'en'): TimeOfDayId | TimeOfDayEn;
export function timeOfDayWord(at: Date, timeZone: string, locale: 'id' | 'en' = 'id'): TimeOfDayId | TimeOfDayEn {
  return timeOfDayWordAt(localMinute(at, timeZone).minuteOfDay, locale);
}
