import { DateTime, IANAZone } from 'luxon';
import { HandlingError } from './handling-error.js';

/** A wall-clock reading in one time zone, at minute precision (customer-handling.md §Closing phrase). */
export interface LocalMinute {
  /** Local calendar day, `YYYY-MM-DD`. */
  date: string;
  /** ISO weekday: 1 = Monday … 6 = Saturday, 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0..1439; seconds are dropped, so 18:00:59 reads as 18:00. */
  minuteOfDay: number;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. `Asia/Jakarta`). */
export function isValidTimeZone(timeZone: string): boolean {
  return typeof timeZone === 'string' && timeZone.length > 0 && IANAZone.isValidZone(timeZone);
}

/** Throws `unknown_time_zone` unless `timeZone` is a known IANA zone. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new HandlingError(
      'unknown_time_zone',
      `Unknown time zone "${String(timeZone)}": use an IANA zone name such as "Asia/Jakarta".`,
      { timeZone },
    );
  }
}

/** The local day, weekday and minute of `at` in `timeZone` (IANA), through luxon's zone rules (DST included). */
export function localMinute(at: Date, timeZone: string): LocalMinute {
  assertTimeZone(timeZone);
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new HandlingError('invalid_date', 'Expected a valid Date instant.', { at: String(at) });
  }
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return { date: local.toISODate() as string, weekday: local.weekday, minuteOfDay: local.hour * 60 + local.minute };
}
