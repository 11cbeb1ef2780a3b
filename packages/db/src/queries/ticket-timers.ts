import { sql, type Selectable } from 'kysely';
import type { TicketTimersTable } from '../schema.js';
import type { Db } from './db-handle.js';

/**
 * The timed steps of tickets (migration 0007): the due time and each reminder of an SLA ladder. A row is written in
 * the transaction that plans it, before any BullMQ job exists, and fired at most once (`claimTimer`).
 */
export type TicketTimer = Selectable<TicketTimersTable>;

export interface PlannedTimer {
  /** `due`, or `<ladder>.<step>` of a reminder. */
  key: string;
  repeat?: number;
  kind: TicketTimer['kind'];
  fireAt: Date;
  details?: Record<string, unknown>;
}

/**
 * Makes the ticket's unfired timers exactly `planned`: new ones are added, moved ones get their new time, the rest
 * are dropped. A step that has fired stays fired (a reminder is never sent twice because a field changed).
 * Returns the unfired timers now on record, for the caller to enqueue after commit.
 */
export async function replaceUnfiredTimers(db: Db, tenantId: string, ticketId: string, planned: PlannedTimer[]): Promise<TicketTimer[]> {
  const stepOf = (t: { key: string; repeat?: number | null }) => `${t.key}#${t.repeat ?? 0}`;
  const keep = new Set(planned.map(stepOf));
  const unfired = await db
    .selectFrom('ticket_timers')
    .select(['id', 'key', 'repeat'])
    .where('tenant_id', '=', tenantId)
    .where('ticket_id', '=', ticketId)
    .where('fired_at', 'is', null)
    .execute();
  const dropped = unfired.filter((t) => !keep.has(stepOf(t))).map((t) => t.id);
  if (dropped.length > 0) await db.deleteFrom('ticket_timers').where('id', 'in', dropped).execute();
  if (planned.length === 0) return [];
  await db
    .insertInto('ticket_timers')
    .values(
      planned.map((t) => ({
        tenant_id: tenantId,
        ticket_id: ticketId,
        key: t.key,
        repeat: t.repeat ?? 0,
        kind: t.kind,
        fire_at: t.fireAt,
        details: JSON.stringify(t.details ?? {}),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['ticket_id', 'key', 'repeat'])
        .doUpdateSet({ fire_at: sql`excluded.fire_at`, details: sql`excluded.details` })
        .where('ticket_timers.fired_at', 'is', null),
    )
    .execute();
  return unfiredTimers(db, tenantId, ticketId);
}

/** Adds one more timer (the next repeat of a "follow up berkala" reminder); an existing step is left as it is. */
export async function addTimer(db: Db, tenantId: string, ticketId: string, t: PlannedTimer): Promise<TicketTimer | undefined> {
  return db
    .insertInto('ticket_timers')
    .values({ tenant_id: tenantId, ticket_id: ticketId, key: t.key, repeat: t.repeat ?? 0, kind: t.kind, fire_at: t.fireAt, details: JSON.stringify(t.details ?? {}) })
    .onConflict((oc) => oc.columns(['ticket_id', 'key', 'repeat']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function unfiredTimers(db: Db, tenantId: string, ticketId: string): Promise<TicketTimer[]> {
  return db
    .selectFrom('ticket_timers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('ticket_id', '=', ticketId)
    .where('fired_at', 'is', null)
    .orderBy('fire_at')
    .execute();
}

/** Drops a ticket's unfired timers (all, or of some kinds): a closed ticket reminds no one. */
export async function cancelUnfiredTimers(db: Db, tenantId: string, ticketId: string, kinds?: TicketTimer['kind'][]): Promise<void> {
  let query = db.deleteFrom('ticket_timers').where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).where('fired_at', 'is', null);
  if (kinds) query = query.where('kind', 'in', kinds);
  await query.execute();
}

/**
 * Takes a timer for firing: marks it fired if it is unfired and its time has come (by `now`). Undefined when it
 * fired already, was dropped or moved later: the job that asked is stale and does nothing.
 */
export function claimTimer(db: Db, timerId: string, now: Date): Promise<TicketTimer | undefined> {
  return db
    .updateTable('ticket_timers')
    .set({ fired_at: now })
    .where('id', '=', timerId)
    .where('fired_at', 'is', null)
    .where('fire_at', '<=', now)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Unfired timers whose time comes before `before`, oldest first: what the sweeper (re-)enqueues. Of every tenant,
 * unless `tenantIds` narrows it (tests run several ticket services on one database, each on its own queues).
 */
export function timersDueBefore(db: Db, before: Date, limit: number, tenantIds?: readonly string[]): Promise<TicketTimer[]> {
  let query = db.selectFrom('ticket_timers').selectAll().where('fired_at', 'is', null).where('fire_at', '<', before);
  if (tenantIds) {
    if (tenantIds.length === 0) return Promise.resolve([]);
    query = query.where('tenant_id', 'in', [...tenantIds]);
  }
  return query.orderBy('fire_at').limit(limit).execute();
}
