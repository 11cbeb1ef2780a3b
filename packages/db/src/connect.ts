import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// Postgres `bigint` (count(*)) arrives as a string by default; Sapa's counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// A `date` is a calendar day (a holiday), not an instant: keep 'YYYY-MM-DD' rather than a Date at local midnight.
pg.types.setTypeParser(1082, (v) => v);

export interface DbOptions {
  connectionString: string;
  /** Pool size; the default suits one service process on a small machine. */
  max?: number;
}

/** Opens a pooled Kysely instance. Close it with `db.destroy()`. */
export function createDb(options: DbOptions): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

export type { Kysely, Transaction } from 'kysely';
