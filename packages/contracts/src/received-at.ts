/**
 * `InboundMessage.receivedAt` is both when an adapter took a message and the order it took it in: the router stores a
 * customer's message at that time, so the conversation lists them as the channel handed them over, whichever of its
 * workers stored which first (services/router/README.md §Order of a customer's messages). Messages an adapter takes
 * in one go (a webhook's batch, a Baileys `messages.upsert`) share a millisecond, so their position in the batch is
 * written in the microseconds, which ISO 8601 allows and Postgres keeps: `2026-01-05T03:00:00.123002Z` is the third.
 */

const MICROS_PER_MS = 1000;

/**
 * The `receivedAt` of the `index`-th message (from 0) an adapter took at `at` in one go: `at` plus `index` µs. The
 * first keeps the plain millisecond form (`at.toISOString()`), which is the same instant.
 */
export function receivedAtOf(at: Date, index = 0): string {
  const micros = at.getTime() * MICROS_PER_MS + index;
  const ms = Math.floor(micros / MICROS_PER_MS);
  const rest = micros - ms * MICROS_PER_MS;
  const iso = new Date(ms).toISOString();
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

/** An ISO 8601 date-time with a zone; the fraction may be of any length (only microseconds are kept). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d+))?(?:Z|[+-]\d{2}:\d{2})$/;
/** From 1970 to 9999: what `toISOString` writes with a four-digit year, and any time Postgres reads. */
const LAST_READABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A `receivedAt` as a UTC time to the microsecond (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), ready for a timestamptz; null
 * when it is not an ISO 8601 date-time a reader can trust, so a malformed payload is stored at the database's time
 * rather than failing its job. Whether the time is plausible (not ahead of the database, not days old) is the
 * database's to judge against its own clock (migration 0018's `sapa_inbound_created_at`).
 */
export function readReceivedAt(receivedAt: string): string | null {
  const match = ISO_DATE_TIME.exec(receivedAt);
  if (!match) return null;
  const ms = Date.parse(receivedAt);
  if (!(ms >= 0 && ms <= LAST_READABLE_MS)) return null;
  // Date keeps milliseconds (it truncates the rest); the next three digits of the fraction are the microseconds.
  const micros = (match[1] ?? '').padEnd(6, '0').slice(3, 6);
  return `${new Date(ms).toISOString().slice(0, -1)}${micros}Z`;
}
