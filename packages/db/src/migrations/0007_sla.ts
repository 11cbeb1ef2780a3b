import { sql, type Kysely } from 'kysely';

/**
 * SLA clocks of tickets (issue 5 item 5): teams get business hours (the calendar that "1–2 jam kerja" counts on), a
 * ticket records its breach and its pauses while it waits on the customer, and every timed step of a ticket (the
 * due time, each reminder of a ladder) is a row here before it is a BullMQ delayed job. The row is the promise:
 * Redis keeps nothing on disk, so the tickets service re-enqueues unfired rows it finds, and firing one is a
 * conditional update (`fired_at IS NULL`), so a retry or a second replica cannot fire it twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Monday–Friday 08:00–17:00 until a team says otherwise (PATCH /v1/teams/{id}); the tenant's time zone applies.
  const officeHours = JSON.stringify(
    Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '08:00', to: '17:00' }]])),
  );
  await db.schema
    .alterTable('teams')
    .addColumn('business_hours', 'jsonb', (c) => c.notNull().defaultTo(sql.raw(`'${officeHours}'::jsonb`)))
    .execute();

  await db.schema
    .alterTable('tickets')
    // Set once, by the due timer or by a listing that finds the due time past; never cleared.
    .addColumn('breached_at', 'timestamptz')
    // While the ticket waits on the customer the due clock stands still; pauses already over add up here, in the
    // units the due counts in (working milliseconds on a working-hours SLA, else wall-clock milliseconds).
    .addColumn('sla_paused_at', 'timestamptz')
    .addColumn('sla_paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`CREATE INDEX tickets_breach_idx ON tickets (tenant_id, due_at) WHERE status NOT IN ('resolved', 'closed')`.execute(db);

  await db.schema
    .createTable('ticket_timers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    // `due`, or `<ladder>.<step>` of a reminder; `repeat` counts the repeats of a "follow up berkala" step.
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('repeat', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('due', 'reminder')`))
    .addColumn('fire_at', 'timestamptz', (c) => c.notNull())
    .addColumn('fired_at', 'timestamptz')
    // What the reminder says and does, copied from the playbook version of the ticket when it was planned.
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ticket_timers_step', ['ticket_id', 'key', 'repeat'])
    .execute();
  await sql`CREATE INDEX ticket_timers_unfired_idx ON ticket_timers (fire_at) WHERE fired_at IS NULL`.execute(db);
}
