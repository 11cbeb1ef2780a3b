import ICAL from 'ical.js';
import type { Holiday, HolidayKind } from '@sapa/handling';
import { InvalidCalendar } from '../errors.js';

export interface IcalHolidayOptions {
  /** The kind of every day; without it a day is `collective_leave` when its event says "cuti bersama", else `national`. */
  kind?: HolidayKind;
  /** Recurring all-day events are expanded up to and including this day ('YYYY-MM-DD'). */
  expandUntil: string;
}

export interface IcalHolidays {
  /** One entry per date, sorted; the first event of a date wins. */
  items: Holiday[];
  /** Days whose date an earlier event of the file already gave. */
  repeated: Holiday[];
}

/** A public-holiday calendar has no event of more than a month; a longer one is a mistake, not a holiday. */
const MAX_EVENT_DAYS = 31;
const MAX_OCCURRENCES = 500;
const MAX_NAME_LENGTH = 200;
const COLLECTIVE_LEAVE = /cuti\s+bersama|collective\s+leave/i;

/**
 * The all-day events of an iCalendar file (RFC 5545, as Google Calendar, Outlook or a government site exports
 * them) as holiday days: a multi-day event gives each of its days (DTEND is exclusive), a recurring one each
 * occurrence up to `expandUntil` (moved and cancelled occurrences honoured). Timed events and cancelled events
 * are not holidays and are left out. A body that is not an iCalendar is `400 invalid_calendar`.
 */
export function parseIcalHolidays(text: string, options: IcalHolidayOptions): IcalHolidays {
  const calendar = parseCalendar(text);
  const events = calendar.getAllSubcomponents('vevent');
  const exceptions = events.filter((e) => e.hasProperty('recurrence-id'));
  const days: Holiday[] = [];
  for (const vevent of events) {
    if (vevent.hasProperty('recurrence-id') || isCancelled(vevent)) continue;
    const event = new ICAL.Event(vevent, { strictExceptions: true, exceptions: exceptions.filter((x) => x.getFirstPropertyValue('uid') === vevent.getFirstPropertyValue('uid')) });
    if (!event.startDate) continue;
    for (const [start, end, occurrence] of occurrencesOf(event, options.expandUntil)) {
      if (!start.isDate || isCancelled(occurrence.component)) continue;
      const name = nameOf(occurrence);
      const kind = options.kind ?? (COLLECTIVE_LEAVE.test(`${name} ${categoriesOf(occurrence.component)}`) ? 'collective_leave' : 'national');
      for (const date of daysOf(start, end, name)) days.push({ date, name, kind });
    }
  }
  return firstPerDate(days);
}

function parseCalendar(text: string): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    throw InvalidCalendar(`the body is not an iCalendar file: ${(err as Error).message}`);
  }
  // ICAL.parse gives one component for one VCALENDAR, a list for several; take the first calendar.
  const first = Array.isArray(jcal) && typeof jcal[0] === 'string' ? jcal : Array.isArray(jcal) ? jcal[0] : undefined;
  if (!Array.isArray(first) || first[0] !== 'vcalendar') {
    throw InvalidCalendar('the body is not an iCalendar file: it must start with BEGIN:VCALENDAR');
  }
  return new ICAL.Component(first);
}

type Occurrence = [start: ICAL.Time, end: ICAL.Time, event: ICAL.Event];

function occurrencesOf(event: ICAL.Event, expandUntil: string): Occurrence[] {
  if (!event.isRecurring()) return [[event.startDate, event.endDate, event]];
  const until = ICAL.Time.fromDateString(expandUntil);
  const out: Occurrence[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(until) <= 0 && out.length < MAX_OCCURRENCES; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    out.push([details.startDate, details.endDate, details.item]);
  }
  return out;
}

/** Each local day of an all-day event: from DTSTART up to, not including, DTEND (at least the start day). */
function daysOf(start: ICAL.Time, end: ICAL.Time | null, name: string): string[] {
  const days: string[] = [];
  const day = start.clone();
  do {
    days.push(day.toString());
    day.adjust(1, 0, 0, 0);
    if (days.length > MAX_EVENT_DAYS) {
      throw InvalidCalendar(`the event "${name}" from ${start.toString()} lasts more than ${MAX_EVENT_DAYS} days; a holiday calendar has no such event`, {
        event: name,
        start: start.toString(),
      });
    }
  } while (end && day.compare(end) < 0);
  return days;
}

function nameOf(event: ICAL.Event): string {
  const summary = (event.summary ?? '').replace(/\s+/g, ' ').trim();
  return (summary || 'Hari libur').slice(0, MAX_NAME_LENGTH);
}

function categoriesOf(vevent: ICAL.Component): string {
  return vevent
    .getAllProperties('categories')
    .flatMap((p) => p.getValues())
    .join(' ');
}

function isCancelled(vevent: ICAL.Component): boolean {
  return String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

function firstPerDate(days: Holiday[]): IcalHolidays {
  const seen = new Set<string>();
  const items: Holiday[] = [];
  const repeated: Holiday[] = [];
  for (const day of days) {
    if (seen.has(day.date)) repeated.push(day);
    else {
      seen.add(day.date);
      items.push(day);
    }
  }
  return { items: items.sort((a, b) => a.date.localeCompare(b.date)), repeated };
}
