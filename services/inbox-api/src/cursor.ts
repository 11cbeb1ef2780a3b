import { InvalidCursor } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque page cursor naming the last row of the page (keyset pagination on created_at, id). */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

/** The row id inside a cursor; a cursor this API did not make is a 400 `invalid_cursor`. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = raw.startsWith('v1:') ? raw.slice(3) : '';
  if (!UUID.test(id)) throw InvalidCursor();
  return id;
}

/** Cuts one extra fetched row off and turns its presence into the next cursor. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(page[page.length - 1]!.id) };
}
