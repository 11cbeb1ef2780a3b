import { sql, type Selectable } from 'kysely';
import type { TicketEventsTable, TicketsTable } from '../schema.js';
import type { Db } from './db-handle.js';

/**
 * Tickets (api-contract.md §Playbooks and tickets): a case worked along the playbook version it started on, and its
 * append-only record of events (created, verification, fields, note, exception, dispatched, closed).
 */
export type Ticket = Selectable<TicketsTable>;
export type TicketEvent = Selectable<TicketEventsTable>;

export interface NewTicket {
  conversationId: string;
  contactId: string | null;
  playbookKey: string;
  playbookVersion: number;
  fields: Record<string, unknown>;
  createdBy: string;
  actorRoles: string[];
  /** The year the number is counted in (the tenant's local year). */
  year: number;
}

/**
 * Creates a ticket with the tenant's next number of `year` (`2026-000042`) and its `created` event, in the caller's
 * transaction or a new one. The counter row is upserted, so it is locked until commit: two creators take turns.
 */
export function createTicket(db: Db, tenantId: string, t: NewTicket): Promise<Ticket> {
  return inTransaction(db, async (trx) => {
    const counter = await trx
      .insertInto('ticket_counters')
      .values({ tenant_id: tenantId, year: t.year, last: 1 })
      .onConflict((oc) => oc.columns(['tenant_id', 'year']).doUpdateSet({ last: sql`ticket_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    const ticket = await trx
      .insertInto('tickets')
      .values({
        tenant_id: tenantId,
        number: `${t.year}-${String(counter.last).padStart(6, '0')}`,
        conversation_id: t.conversationId,
        contact_id: t.contactId,
        playbook_key: t.playbookKey,
        playbook_version: t.playbookVersion,
        fields: JSON.stringify(t.fields),
        owner_id: t.createdBy,
        created_by: t.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addTicketEvent(trx, tenantId, ticket.id, { kind: 'created', actorId: t.createdBy, actorRoles: t.actorRoles });
    return ticket;
  });
}

/** A ticket of the tenant, or undefined (also for another tenant's id); `forUpdate` locks it until commit. */
export function findTicket(db: Db, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<Ticket | undefined> {
  const query = db.selectFrom('tickets').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** Which tickets a viewer sees: all, or those they created, those their teams hold, and (Tier 2) every dispatched one. */
export type TicketScope = { all: true } | { all: false; userId: string; teamKeys: string[]; dispatched: boolean };

export interface TicketFilter {
  scope: TicketScope;
  status?: Ticket['status'];
  team?: string;
  /** Only tickets past their due time (breach recorded, or due passed while still open and not paused), or only others. */
  breached?: boolean;
  /** Id of the last ticket of the previous page. */
  afterId?: string;
  limit: number;
}

/** Tickets newest first, a page at a time (keyset on created_at, id); one extra row tells whether a next page exists. */
export function listTickets(db: Db, tenantId: string, f: TicketFilter): Promise<Ticket[]> {
  let query = db.selectFrom('tickets as t').selectAll('t').where('t.tenant_id', '=', tenantId);
  const scope = f.scope;
  if (!scope.all) {
    query = query.where((eb) =>
      eb.or([
        eb('t.created_by', '=', scope.userId),
        ...(scope.teamKeys.length > 0 ? [eb('t.team', 'in', scope.teamKeys)] : []),
        ...(scope.dispatched ? [eb('t.team', 'is not', null)] : []),
      ]),
    );
  }
  if (f.status) query = query.where('t.status', '=', f.status);
  if (f.team) query = query.where('t.team', '=', f.team);
  if (f.breached !== undefined) query = query.where(f.breached ? isBreached : sql<boolean>`NOT ${isBreached}`);
  if (f.afterId) {
    query = query.where(
      sql<boolean>`(t.created_at, t.id) < (SELECT a.created_at, a.id FROM tickets a WHERE a.tenant_id = ${tenantId} AND a.id = ${f.afterId})`,
    );
  }
  return query.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(f.limit + 1).execute();
}

/**
 * A ticket (aliased `t`) is breached once its breach is recorded, or while its due time has passed and it is neither
 * finished nor paused: the listing and the service-level report do not wait for the due timer to have run.
 */
export const isBreached = sql<boolean>`(t.breached_at IS NOT NULL OR (t.due_at < now() AND t.sla_paused_at IS NULL AND t.status NOT IN ('resolved', 'closed')))`;

export interface TicketChange {
  status?: Ticket['status'];
  team?: string | null;
  fields?: Record<string, unknown>;
  checked?: string[];
  resolution?: string;
  closed?: boolean;
  outcome?: string | null;
  dueAt?: Date | null;
  /** Marks the SLA breached (the first breach time stays). */
  breached?: true;
  slaPausedAt?: Date | null;
  slaPausedMs?: number;
}

export async function updateTicket(db: Db, tenantId: string, id: string, change: TicketChange): Promise<Ticket> {
  return db
    .updateTable('tickets')
    .set({
      ...(change.status !== undefined ? { status: change.status } : {}),
      ...(change.team !== undefined ? { team: change.team } : {}),
      ...(change.fields !== undefined ? { fields: JSON.stringify(change.fields) } : {}),
      ...(change.checked !== undefined ? { checked: change.checked } : {}),
      ...(change.resolution !== undefined ? { resolution: change.resolution } : {}),
      ...(change.closed ? { closed_at: sql`now()` } : {}),
      ...(change.outcome !== undefined ? { outcome: change.outcome } : {}),
      ...(change.dueAt !== undefined ? { due_at: change.dueAt } : {}),
      ...(change.breached ? { breached_at: sql`coalesce(breached_at, now())` } : {}),
      ...(change.slaPausedAt !== undefined ? { sla_paused_at: change.slaPausedAt } : {}),
      ...(change.slaPausedMs !== undefined ? { sla_paused_ms: change.slaPausedMs } : {}),
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface NewTicketEvent {
  kind: string;
  actorId: string | null;
  actorRoles: string[];
  fromTeam?: string | null;
  toTeam?: string | null;
  gate?: string | null;
  text?: string | null;
  dueAt?: Date | null;
  details?: Record<string, unknown>;
}

/** Appends to a ticket's record; nothing updates or deletes an event. */
export function addTicketEvent(db: Db, tenantId: string, ticketId: string, e: NewTicketEvent): Promise<TicketEvent> {
  return db
    .insertInto('ticket_events')
    .values({
      tenant_id: tenantId,
      ticket_id: ticketId,
      kind: e.kind,
      actor_id: e.actorId,
      actor_roles: e.actorRoles,
      from_team: e.fromTeam ?? null,
      to_team: e.toTeam ?? null,
      gate: e.gate ?? null,
      text: e.text ?? null,
      due_at: e.dueAt ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A ticket's events oldest first, optionally of some kinds only. */
export function listTicketEvents(db: Db, tenantId: string, ticketId: string, kinds?: string[]): Promise<TicketEvent[]> {
  let query = db.selectFrom('ticket_events').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId);
  if (kinds && kinds.length > 0) query = query.where('kind', 'in', kinds);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Who hears of a ticket's changes: the team that holds it (by id; while it is still with the agent who opened it,
 * the conversation's team) and the people named on it (its opener and owner).
 */
export async function ticketAudience(db: Db, ticket: Ticket): Promise<{ teamId: string | null; userIds: string[] }> {
  const userIds = [...new Set([ticket.created_by, ticket.owner_id].filter((id): id is string => id !== null))];
  if (ticket.team) {
    const team = await db.selectFrom('teams').select('id').where('tenant_id', '=', ticket.tenant_id).where('key', '=', ticket.team).executeTakeFirst();
    return { teamId: team?.id ?? null, userIds };
  }
  if (!ticket.conversation_id) return { teamId: null, userIds };
  const conversation = await db.selectFrom('conversations').select('team_id').where('id', '=', ticket.conversation_id).executeTakeFirst();
  return { teamId: conversation?.team_id ?? null, userIds };
}
