import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@sapa/db';

export interface SeedConversation {
  channelId: string;
  teamId: string | null;
  assigneeId?: string | null;
  status?: 'queued' | 'assigned' | 'on_hold' | 'closed';
  contactName?: string;
  /** Inbound messages to store, oldest first. */
  messages?: string[];
}

/**
 * Inserts a contact and a conversation straight into Postgres (the router's job in production), keeping
 * the assignee's active count in step so close and transfer free what was taken.
 */
export async function seedConversation(db: Kysely<DB>, tenantId: string, spec: SeedConversation): Promise<string> {
  const contact = await db
    .insertInto('contacts')
    .values({ tenant_id: tenantId, name: spec.contactName ?? 'Budi' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('contact_identities')
    .values({ tenant_id: tenantId, contact_id: contact.id, channel_id: spec.channelId, external_id: `ext-${randomUUID()}` })
    .execute();
  const status = spec.status ?? (spec.assigneeId ? 'assigned' : 'queued');
  const conv = await db
    .insertInto('conversations')
    .values({
      tenant_id: tenantId,
      channel_id: spec.channelId,
      contact_id: contact.id,
      team_id: spec.teamId,
      assignee_id: spec.assigneeId ?? null,
      kind: 'chat',
      status,
      assigned_at: spec.assigneeId ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (spec.assigneeId && status !== 'closed') {
    await db
      .updateTable('agents')
      .set({ active_chat: sql`active_chat + 1` })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', spec.assigneeId)
      .execute();
  }
  for (const [i, text] of (spec.messages ?? []).entries()) {
    await db
      .insertInto('messages')
      .values({
        tenant_id: tenantId,
        conversation_id: conv.id,
        channel_id: spec.channelId,
        direction: 'in',
        author_type: 'contact',
        text,
        status: 'received',
        external_id: `m-${randomUUID()}`,
        // Distinct times, so "oldest first" is tested, not assumed.
        created_at: new Date(Date.now() - 60_000 + i * 1000),
      })
      .execute();
  }
  return conv.id;
}

/** Rows in a table for one tenant: the "nothing changed" check of bad-input tests. */
export async function countRows(db: Kysely<DB>, tenantId: string, table: keyof DB): Promise<number> {
  const row = await db
    .selectFrom(table as 'messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An agent's reply whose delivery has failed: what admins find in the dead-letter list. */
export async function seedFailedDelivery(
  db: Kysely<DB>,
  tenantId: string,
  conv: { conversationId: string; channelId: string; authorId: string },
): Promise<{ deliveryId: string; messageId: string }> {
  const message = await db
    .insertInto('messages')
    .values({
      tenant_id: tenantId,
      conversation_id: conv.conversationId,
      channel_id: conv.channelId,
      direction: 'out',
      author_type: 'agent',
      author_id: conv.authorId,
      text: 'Baik, kami cek dulu',
      status: 'failed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const delivery = await db
    .insertInto('deliveries')
    .values({
      tenant_id: tenantId,
      message_id: message.id,
      conversation_id: conv.conversationId,
      channel_id: conv.channelId,
      status: 'failed',
      attempts: 5,
      last_error: 'callback answered 503',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { deliveryId: delivery.id, messageId: message.id };
}

/** Everything a refused request must leave as it was, for one tenant. */
export async function tenantSnapshot(db: Kysely<DB>, tenantId: string) {
  const counts: Record<string, number> = {};
  for (const table of ['auth_tokens', 'channels', 'messages', 'deliveries', 'assignments', 'audit_log', 'conversations', 'conversation_phases', 'attachments'] as const) {
    counts[table] = await countRows(db, tenantId, table);
  }
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'status', 'assignee_id', 'team_id', 'close_reason', 'phase'])
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();
  const agents = await db
    .selectFrom('agents')
    .select(['user_id', 'presence', 'active_chat'])
    .where('tenant_id', '=', tenantId)
    .orderBy('user_id')
    .execute();
  const deliveries = await db.selectFrom('deliveries').select(['id', 'status', 'replays']).where('tenant_id', '=', tenantId).orderBy('id').execute();
  const tenant = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const holidays = await db.selectFrom('tenant_holidays').select(['date', 'name', 'kind']).where('tenant_id', '=', tenantId).orderBy('date').execute();
  return { counts, conversations, agents, deliveries, settings: tenant.settings, holidays };
}
