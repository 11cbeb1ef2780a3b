import { HandlingError } from '../handling-error.js';
import { WEEKDAY_KEYS } from '@sapa/contracts';
import type { BusinessCalendar } from './business-hours.js';
import { knownZone, localDaysFrom, wallTime, type LocalDay } from './local-days.js';

/** A calendar that has no working time for this many days in a row never opens (no hours, or holidays everywhere). */
const MAX_CLOSED_DAYS = 400;

/** One opening as instants (epoch ms), `[start, end)`. */
interface Span {
  start: number;
  end: number;
}

/**
 * The instant at which `ms` of working time has passed since `start` on the calendar (the SLA due of a "jam kerja"
 * promise). Counting begins at `start` when the team is open, else at its next opening; the result may be a closing
 * instant (Friday 16:00 + 1 h is Friday 17:00, not Monday 08:00). `ms` 0 therefore gives `start` itself when the team
 * is open at `start`, else the next opening: the moment the clock would begin to run. Throws `no_working_hours` when
 * the calendar has no working time for 400 days in a row.
 */
export function addWorkingTime(start: Date, ms: number, cal: BusinessCalendar): Date {
  const zone = knownZone(cal.timeZone);
  const from = instant(start);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Working time must be a finite number of ms, 0 or more (got ${ms}).`);
  const holidays = holidayDates(cal);
  let remaining = ms;
  let closedDays = 0;
  for (const day of localDaysFrom(from, zone)) {
    const spans = openSpans(day, cal, holidays).filter((s) => s.end > from);
    closedDays = spans.length === 0 ? closedDays + 1 : 0;
    if (closedDays >= MAX_CLOSED_DAYS) break;
    for (const span of spans) {
      const begin = Math.max(span.start, from);
      if (remaining <= span.end - begin) return new Date(begin + remaining);
      remaining -= span.end - begin;
    }
  }
  throw new HandlingError(
    'no_working_hours',
    `The business calendar has no working time in ${MAX_CLOSED_DAYS} days after ${start.toISOString()}: give the team opening hours on at least one weekday that is not a holiday.`,
    { start: start.toISOString(), timeZone: cal.timeZone },
  );
}

/** The working time (ms) within `[from, to)` on the calendar; 0 when `to` is not after `from`. */
export function workingTimeBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  const zone = knownZone(cal.timeZone);
  const begin = instant(from);
  const end = instant(to);
  if (end <= begin) return 0;
  const holidays = holidayDates(cal);
  let total = 0;
  for (const day of localDaysFrom(begin, zone)) {
    if (day.start >= end) break;
    for (const span of openSpans(day, cal, holidays)) total += Math.max(0, Math.min(span.end, end) - Math.max(span.start, begin));
  }
  return total;
}

function instant(at: Date): number {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new HandlingError('invalid_date', 'Expected a valid Date instant.', { at: String(at) });
  }
  return at.getTime();
}

function holidayDates(cal: BusinessCalendar): ReadonlySet<string> {
  return new Set(cal.holidays.map((h) => h.date));
}

/**
 * The openings of one local day as instants. A wall time that does not exist (inside the spring gap) moves forward,
 * so a start that would then fall before the previous opening's end is clamped to it: no working time counts twice.
 */
function openSpans(day: LocalDay, cal: BusinessCalendar, holidays: ReadonlySet<string>): Span[] {
  const openings = cal.hours[WEEKDAY_KEYS[day.weekday - 1]!] ?? [];
  if (openings.length === 0 || holidays.has(day.date)) return [];
  const spans: Span[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (const { from, to } of openings) {
    const start = Math.max(wallTime(day, from), floor);
    const end = wallTime(day, to);
    if (end > start) {
      spans.push({ start, end });
      floor = end;
    }
  }
  return spans;
}

/** Whether the team is open at `at`: inside an opening of its weekday, and not on a tenant holiday. */
export function isWithinBusinessHours(at: Date, cal: BusinessCalendar): boolean {
  return workingTimeBetween(at, new Date(at.getTime() + 1), cal) > 0;
}
