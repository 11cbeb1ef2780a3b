import type { Holiday } from '@sapa/handling';
import type { Db } from './db-handle.js';

/**
 * The tenant's holiday calendar (api-contract.md §Tenant settings): national holidays and collective-leave days,
 * one entry per date, which the closing phrase reads for long weekends. Dates are 'YYYY-MM-DD' strings
 * (connect.ts keeps a pg `date` as text), never shifted by a time zone.
 */
export function listHolidays(db: Db, tenantId: string): Promise<Holiday[]> {
  return db
    .selectFrom('tenant_holidays')
    .select(['date', 'name', 'kind'])
    .where('tenant_id', '=', tenantId)
    .orderBy('date')
    .orderBy('name')
    .execute();
}

/** Replaces the whole calendar with `items` (validated by the caller: real dates, one per date). */
export function replaceHolidays(db: Db, tenantId: string, items: Holiday[]): Promise<Holiday[]> {
  return inTransaction(db, async (trx) => {
    await lockCalendar(trx, tenantId);
    await trx.deleteFrom('tenant_holidays').where('tenant_id', '=', tenantId).execute();
    await insertAll(trx, tenantId, items);
    return listHolidays(trx, tenantId);
  });
}

export interface AddedHolidays {
  added: Holiday[];
  /** Days whose date the calendar already had (the existing entry stays), or that repeat a date of `items`. */
  skipped: Holiday[];
  items: Holiday[];
}

/** Adds the days of `items` whose date is not in the calendar yet; a date already there keeps its entry. */
export function addHolidays(db: Db, tenantId: string, items: Holiday[]): Promise<AddedHolidays> {
  return inTransaction(db, async (trx) => {
    await lockCalendar(trx, tenantId);
    const taken = new Set((await listHolidays(trx, tenantId)).map((h) => h.date));
    const added: Holiday[] = [];
    const skipped: Holiday[] = [];
    for (const item of items) {
      if (taken.has(item.date)) skipped.push(item);
      else {
        taken.add(item.date);
        added.push(item);
      }
    }
    await insertAll(trx, tenantId, added);
    return { added, skipped, items: await listHolidays(trx, tenantId) };
  });
}

async function insertAll(trx: Db, tenantId: string, items: Holiday[]): Promise<void> {
  // 3 parameters a row; Postgres takes at most 65535 parameters in one statement.
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000);
    await trx
      .insertInto('tenant_holidays')
      .values(chunk.map((h) => ({ tenant_id: tenantId, date: h.date, name: h.name, kind: h.kind })))
      .execute();
  }
}

/**
 * Two writers of one calendar take turns, so "one entry per date" holds. The tenant row is the lock
 * (FOR NO KEY UPDATE does not block the inserts elsewhere that reference the tenant).
 */
async function lockCalendar(trx: Db, tenantId: string): Promise<void> {
  await trx.selectFrom('tenants').select('id').where('id', '=', tenantId).forNoKeyUpdate().execute();
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
