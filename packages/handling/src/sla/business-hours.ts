import { BusinessHours, WEEKDAY_KEYS } from '@sapa/contracts';
import { HandlingError } from '../handling-error.js';
import type { HolidayEntry } from '../holiday-calendar.js';
import { schemaErrors, type PathError } from '../playbooks/schema-errors.js';
import { clockMinutes } from './clock-time.js';

// complaint-playbooks.md §The playbooks, with every number: a due "in working hours" ("1–2 jam kerja", balance
// withdrawal) counts only while the team is open, on the team's weekly hours and the tenant's holidays. The schema of
// the hours is the contract's (@sapa/contracts `BusinessHours`); this module checks what a schema cannot.

/** The hours a team works when none are configured: Monday–Friday 08:00–17:00. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  mon: [{ from: '08:00', to: '17:00' }],
  tue: [{ from: '08:00', to: '17:00' }],
  wed: [{ from: '08:00', to: '17:00' }],
  thu: [{ from: '08:00', to: '17:00' }],
  fri: [{ from: '08:00', to: '17:00' }],
};

/** What working time is counted on: the tenant's zone, the team's weekly hours, the tenant's holidays (any kind closes the day). */
export interface BusinessCalendar {
  timeZone: string;
  hours: BusinessHours;
  holidays: readonly HolidayEntry[];
}

/**
 * Checks business hours against the schema and then that every opening ends after it starts and that the openings of a
 * day are sorted and do not overlap (touching is fine: 08:00–12:00, 12:00–17:00). Throws `invalid_business_hours`
 * with `details.errors` listing every `{path, message}` (`tue[1].from`).
 */
export function validateBusinessHours(value: unknown): BusinessHours {
  const shapeErrors = schemaErrors(BusinessHours, value).map(readableFormat);
  const errors = shapeErrors.length > 0 ? shapeErrors : orderErrors(value as BusinessHours);
  if (errors.length > 0) {
    const list = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new HandlingError(
      'invalid_business_hours',
      `The business hours are invalid (${errors.length} problem(s)): ${list}. Write them as {"mon": [{"from": "08:00", "to": "17:00"}], …}.`,
      { errors },
    );
  }
  return value as BusinessHours;
}

/** TypeBox names the regular expression a time failed; the person fixing the hours needs the format instead. */
function readableFormat(error: PathError): PathError {
  if (!error.message.startsWith('Expected string to match')) return error;
  const allowed = error.path.endsWith('.to') ? '00:00 to 24:00' : '00:00 to 23:59';
  return { path: error.path, message: `must be a time "HH:MM" (24-hour, two digits each), ${allowed}` };
}

function orderErrors(hours: BusinessHours): PathError[] {
  const errors: PathError[] = [];
  for (const day of WEEKDAY_KEYS) {
    const openings = hours[day] ?? [];
    openings.forEach(({ from, to }, i) => {
      if (clockMinutes(to) <= clockMinutes(from)) {
        errors.push({ path: `${day}[${i}].to`, message: `must be later than from (${from}); an opening cannot run past midnight, end it at "24:00"` });
      }
      const previous = openings[i - 1];
      if (previous && clockMinutes(from) < clockMinutes(previous.to)) {
        errors.push({ path: `${day}[${i}].from`, message: `must not be earlier than the end of ${day}[${i - 1}] (${previous.to}): openings of a day are sorted and do not overlap` });
      }
    });
  }
  return errors;
}
