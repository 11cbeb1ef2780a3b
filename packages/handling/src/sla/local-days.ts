import { DateTime, IANAZone } from 'luxon';
import { assertTimeZone } from '../local-time.js';
import { clockMinutes } from './clock-time.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One local day of a zone: its calendar date, its ISO weekday and the instants (epoch ms) of its midnight and the next. */
export interface LocalDay {
  /** `YYYY-MM-DD`, as holidays are written. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  start: number;
  end: number;
  /** Both midnights read 00:00 and lie 24 h apart: no offset change today, so wall times are minutes after `start`. */
  regular: boolean;
  /** Days since 1970-01-01 of the calendar date (zone-free), to step without meeting DST. */
  dayNumber: number;
  zone: IANAZone;
}

/**
 * The luxon zone of an IANA name; throws `unknown_time_zone` for an unknown one. Luxon caches zones by name, while
 * `assertTimeZone` builds an Intl formatter on every call (~0.1 ms, more than a month of day steps), so the shared
 * check only runs when the zone is already known to be bad, to throw its error.
 */
export function knownZone(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) assertTimeZone(timeZone);
  return zone;
}

/**
 * The local days of `zone` from the one holding `at`, in order, without end. Luxon places the first midnight;
 * each next one is tried 24 h later and kept when the zone's offset says it reads 00:00 there (every day without a
 * DST change), else luxon places it too. This asks the zone once per day instead of once per opening boundary.
 */
export function* localDaysFrom(at: number, zone: IANAZone): Generator<LocalDay> {
  const first = DateTime.fromMillis(at, { zone });
  let dayNumber = Date.UTC(first.year, first.month - 1, first.day) / DAY_MS;
  let start = placeMidnight(dayNumber, zone);
  let startExact = readsMidnight(start, dayNumber, zone);
  while (true) {
    const guess = start + DAY_MS;
    const guessExact = readsMidnight(guess, dayNumber + 1, zone);
    const end = guessExact ? guess : placeMidnight(dayNumber + 1, zone);
    const endExact = guessExact || readsMidnight(end, dayNumber + 1, zone);
    const date = new Date(dayNumber * DAY_MS);
    yield {
      date: date.toISOString().slice(0, 10),
      weekday: date.getUTCDay() === 0 ? 7 : date.getUTCDay(),
      start,
      end,
      regular: startExact && endExact && end - start === DAY_MS,
      dayNumber,
      zone,
    };
    dayNumber += 1;
    start = end;
    startExact = endExact;
  }
}

/**
 * The instant of the wall time `hhmm` ("24:00" is the next midnight) on `day`. On a DST day it goes through luxon,
 * which moves a wall time inside the spring gap forward and takes the earlier of two autumn readings.
 */
export function wallTime(day: LocalDay, hhmm: string): number {
  const minutes = clockMinutes(hhmm);
  if (day.regular) return day.start + minutes * MINUTE_MS;
  if (minutes === 24 * 60) return day.end;
  const date = new Date(day.dayNumber * DAY_MS);
  return DateTime.fromObject(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: day.zone },
  ).toMillis();
}

function placeMidnight(dayNumber: number, zone: IANAZone): number {
  const date = new Date(dayNumber * DAY_MS);
  return DateTime.fromObject({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, { zone }).toMillis();
}

/** Whether the instant `at` reads 00:00 of local day `dayNumber` in `zone` (its local wall time as if it were UTC). */
function readsMidnight(at: number, dayNumber: number, zone: IANAZone): boolean {
  return at + zone.offset(at) * MINUTE_MS === dayNumber * DAY_MS;
}
