import { sql, type Kysely } from 'kysely';

/**
 * Tickets (issue 5; customer-handling.md §Tickets and dispatch): a case taken from a conversation and worked
 * along its playbook, hopping from the agent to Tier 2 to a related team and back. Every hop, note, check and
 * exception is an append-only event (who, when, why, the due time), which quality control reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Ticket numbers run per tenant and year (e.g. 2026-000042); the counter row is locked while a number is taken.
  await db.schema
    .createTable('ticket_counters')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('ticket_counters_pk', ['tenant_id', 'year'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'uuid', (c) => c.references('conversations.id').onDelete('set null'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('playbook_key', 'text', (c) => c.notNull())
    // The version the ticket started with: a later PUT /v1/playbooks does not change the rules of an open case.
    .addColumn('playbook_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status IN ('open', 'dispatched', 'pending_customer', 'resolved', 'closed')`),
    )
    // The team that holds it now (key of teams.key); null while it is with the agent who opened it.
    .addColumn('team', 'text')
    .addColumn('owner_id', 'uuid')
    .addColumn('fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('checked', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('outcome', 'text')
    .addColumn('resolution', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addUniqueConstraint('tickets_tenant_number', ['tenant_id', 'number'])
    .execute();
  await db.schema.createIndex('tickets_list_idx').on('tickets').columns(['tenant_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('tickets_team_idx').on('tickets').columns(['tenant_id', 'team', 'status']).execute();
  await db.schema.createIndex('tickets_due_idx').on('tickets').columns(['tenant_id', 'due_at']).execute();

  // Append-only: created, verification, fields, dispatched, note, exception, approval, resolved, closed.
  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('from_team', 'text')
    .addColumn('to_team', 'text')
    .addColumn('gate', 'text')
    .addColumn('text', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ticket_events_ticket_idx').on('ticket_events').columns(['ticket_id', 'created_at']).execute();
}
