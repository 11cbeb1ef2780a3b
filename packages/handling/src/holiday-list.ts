import { DateTime } from 'luxon';
import { HandlingError } from './handling-error.js';

/** api-contract.md §Tenant settings: `{date: "YYYY-MM-DD", name, kind: "national" | "collective_leave"}`. */
export const HOLIDAY_KINDS = ['national', 'collective_leave'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export interface Holiday {
  date: string;
  name: string;
  kind: HolidayKind;
}

export interface HolidayListError {
  path: string;
  message: string;
}

export type HolidayListResult = { ok: true; items: Holiday[] } | { ok: false; errors: HolidayListError[] };

const MAX_NAME_LENGTH = 200;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCalendarDate = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v, { zone: 'UTC' }).isValid;

/**
 * Validates a holiday list (`PUT /v1/tenant/holidays`, the seeded data file): real calendar dates, a name, a known
 * kind, one entry per date. Returns the items reduced to `{date, name, kind}` and sorted by date.
 */
export function validateHolidayList(items: unknown): HolidayListResult {
  if (!Array.isArray(items)) return { ok: false, errors: [{ path: 'items', message: 'must be an array' }] };
  const errors: HolidayListError[] = [];
  const seen = new Map<string, number>();
  const valid: Holiday[] = [];
  items.forEach((item: unknown, i) => {
    const path = `items[${i}]`;
    if (!isRecord(item)) return void errors.push({ path, message: 'must be an object' });
    const { date, name, kind } = item;
    const before = errors.length;
    if (!isCalendarDate(date)) errors.push({ path: `${path}.date`, message: 'must be a real calendar date "YYYY-MM-DD"' });
    else if (seen.has(date)) errors.push({ path: `${path}.date`, message: `duplicates items[${seen.get(date)}]; one entry per date` });
    else seen.set(date, i);
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
      errors.push({ path: `${path}.name`, message: `must be a non-empty text of at most ${MAX_NAME_LENGTH} characters` });
    }
    if (!(HOLIDAY_KINDS as readonly unknown[]).includes(kind)) {
      errors.push({ path: `${path}.kind`, message: `must be one of ${HOLIDAY_KINDS.join(', ')}` });
    }
    if (errors.length === before) valid.push({ date: date as string, name: name as string, kind: kind as HolidayKind });
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, items: valid.sort((a, b) => a.date.localeCompare(b.date)) };
}

/** A holiday data file as kept under `packages/handling/data/`: where it comes from, and its days. */
export interface HolidayFile {
  source: string;
  note: string | null;
  items: Holiday[];
}

/**
 * Checks the parsed JSON of a holiday data file (e.g. `data/holidays-id-2026-2027.json`) and returns its source and
 * days. The package reads no files; a service reads the JSON and hands it here. Throws `invalid_holiday_file` listing
 * every problem: a missing source, an invalid day, or days out of date order.
 */
export function loadHolidayFile(json: unknown): HolidayFile {
  const errors: HolidayListError[] = [];
  if (!isRecord(json)) throw new HandlingError('invalid_holiday_file', 'A holiday file must be a JSON object.', []);
  if (typeof json.source !== 'string' || json.source.trim() === '') errors.push({ path: 'source', message: 'must name the decree(s)' });
  if (json.note !== undefined && typeof json.note !== 'string') errors.push({ path: 'note', message: 'must be a text' });
  const list = validateHolidayList(json.items);
  if (!list.ok) errors.push(...list.errors);
  const raw = Array.isArray(json.items) ? (json.items as Array<Record<string, unknown>>) : [];
  raw.forEach((item, i) => {
    const previous = raw[i - 1];
    if (i > 0 && typeof previous?.date === 'string' && typeof item?.date === 'string' && previous.date > item.date) {
      errors.push({ path: `items[${i}].date`, message: `is earlier than items[${i - 1}].date; keep the file sorted by date` });
    }
  });
  if (errors.length || !list.ok) {
    throw new HandlingError('invalid_holiday_file', `The holiday file is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  return { source: json.source as string, note: typeof json.note === 'string' ? json.note : null, items: list.items };
}
