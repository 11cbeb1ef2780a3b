import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

/** What every query function takes first: the pool or an open transaction. */
export type Db = Kysely<DB> | Transaction<DB>;
