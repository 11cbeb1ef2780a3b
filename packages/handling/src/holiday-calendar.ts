import { DateTime } from 'luxon';
import { HandlingError } from './handling-error.js';
import { localMinute, type LocalMinute } from './local-time.js';

/** One entry of a tenant's holiday calendar (api-contract.md §Tenant settings, `GET /v1/tenant/holidays`). */
export interface HolidayEntry {
  date: string;
  name?: string;
  kind?: string;
}

/** What the closing phrase needs to know about a tenant: its zone and its holidays. */
export interface HandlingCalendar {
  timeZone: string;
  holidays: readonly HolidayEntry[];
}

/** How a local day counts for the closing phrase. */
export type DayKind = 'working' | 'weekend' | 'holiday' | 'long_weekend';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `YYYY-MM-DD` as a calendar day (no zone involved); throws `invalid_date` on anything else. */
export function parseCalendarDate(date: string): DateTime {
  const day = typeof date === 'string' && ISO_DATE.test(date) ? DateTime.fromISO(date, { zone: 'UTC' }) : null;
  if (!day?.isValid) {
    throw new HandlingError('invalid_date', `Expected a calendar date "YYYY-MM-DD", got "${String(date)}".`, { date });
  }
  return day;
}

const isWeekend = (day: DateTime): boolean => day.weekday === 6 || day.weekday === 7;

/**
 * customer-handling.md §Closing phrase, long weekend *(chosen)*: a holiday (any kind) that belongs to an
 * unbroken run of non-working days (holidays, Saturdays, Sundays) containing a Saturday or a Sunday.
 * Walks outwards from the day through consecutive holidays until it meets a weekend day or a working day.
 */
export function isLongWeekendDay(date: string, holidays: readonly HolidayEntry[]): boolean {
  const start = parseCalendarDate(date);
  const holidayDates = new Set(holidays.map((h) => h.date));
  if (!holidayDates.has(date)) return false;
  if (isWeekend(start)) return true;
  for (const step of [-1, 1]) {
    let day = start.plus({ days: step });
    while (true) {
      if (isWeekend(day)) return true;
      if (!holidayDates.has(day.toISODate() as string)) break;
      day = day.plus({ days: step });
    }
  }
  return false;
}

/** Classifies a calendar day: weekend first, then a holiday of a long weekend, a lone holiday, or a working day. */
export function dayKindOf(date: string, holidays: readonly HolidayEntry[]): DayKind {
  if (isWeekend(parseCalendarDate(date))) return 'weekend';
  if (isLongWeekendDay(date, holidays)) return 'long_weekend';
  return holidays.some((h) => h.date === date) ? 'holiday' : 'working';
}

/** The local minute of `at` in the tenant's zone together with how that local day counts. */
export function describeLocalDay(at: Date, calendar: HandlingCalendar): LocalMinute & { dayKind: DayKind } {
  const local = localMinute(at, calendar.timeZone);
  return { ...local, dayKind: dayKindOf(local.date, calendar.holidays) };
}
