import { describeLocalDay, type HandlingCalendar } from './holiday-calendar.js';

export const CLOSING_PHRASES = ['Selamat beraktifitas', 'Selamat beristirahat', 'Selamat berakhir pekan'] as const;
export type ClosingPhrase = (typeof CLOSING_PHRASES)[number];

/** 06:00 and 18:00 as minutes of the day; both ends belong to "beraktifitas" (the seed: 06.00 – 18.00, 18.01 – 06.00). */
const ACTIVE_FROM = 6 * 60;
const ACTIVE_UNTIL = 18 * 60;

/**
 * The salam penutup for the instant `at` (customer-handling.md §Closing phrase): local time in the tenant's IANA zone
 * at minute precision; Saturday, Sunday or a long-weekend day → berakhir pekan; otherwise 06:00–18:00 inclusive →
 * beraktifitas and 18:01–05:59 → beristirahat (a lone holiday on a working day follows the working-day rule).
 * Throws `unknown_time_zone` for a zone luxon does not know.
 */
export function closingPhrase(at: Date, calendar: HandlingCalendar): ClosingPhrase {
  const day = describeLocalDay(at, calendar);
  if (day.dayKind === 'weekend' || day.dayKind === 'long_weekend') return 'Selamat berakhir pekan';
  return day.minuteOfDay >= ACTIVE_FROM && day.minuteOfDay <= ACTIVE_UNTIL ? 'Selamat beraktifitas' : 'Selamat beristirahat';
}

/** English renderings of the phrase, for tenants whose locale is `en`; the Indonesian phrase stays the rule's output. */
export const CLOSING_PHRASE_EN: Readonly<Record<ClosingPhrase, string>> = {
  'Selamat beraktifitas': 'Have a productive day',
  'Selamat beristirahat': 'Have a good rest',
  'Selamat berakhir pekan': 'Have a nice weekend',
};

/** The phrase in the tenant's locale: Indonesian as the rule returns it, or its English rendering. */
export function localizeClosingPhrase(phrase: ClosingPhrase, locale: 'id' | 'en'): string {
  return locale === 'en' ? CLOSING_PHRASE_EN[phrase] : phrase;
}
