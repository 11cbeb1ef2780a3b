import { randomUUID } from 'node:crypto';
import type { DB, Kysely } from '@sapa/db';
import { createDelivery, findDeliveryToSend } from '@sapa/db/queries/deliveries';

export interface SeededReply {
  contactId: string;
  conversationId: string;
  messageId: string;
  deliveryId: string;
  externalId: string;
}

/**
 * What the inbox API leaves behind when an agent replies: a contact known on the channel, its conversation,
 * the outbound message `queued` and its `pending` delivery. Written directly: the gateway only reads them.
 */
export async function seedReply(
  db: Kysely<DB>,
  tenantId: string,
  channelId: string,
  options: {
    teamId: string;
    assigneeId?: string | null;
    authorType?: 'agent' | 'system';
    authorId?: string | null;
    withIdentity?: boolean;
    text?: string | null;
    /** The customer's id on the channel (a PSID, a wa_id, a chat id); default a made-up one. */
    externalId?: string;
    /** The reply's files, as the message's `attachments` column holds them. */
    attachments?: unknown[];
  },
): Promise<SeededReply> {
  const externalId = options.externalId ?? `cust-${randomUUID().slice(0, 8)}`;
  const contact = await db.insertInto('contacts').values({ tenant_id: tenantId, name: 'Budi' }).returning('id').executeTakeFirstOrThrow();
  if (options.withIdentity !== false) {
    await db.insertInto('contact_identities').values({ tenant_id: tenantId, contact_id: contact.id, channel_id: channelId, external_id: externalId }).execute();
  }
  const conversation = await db
    .insertInto('conversations')
    .values({
      tenant_id: tenantId,
      channel_id: channelId,
      contact_id: contact.id,
      team_id: options.teamId,
      assignee_id: options.assigneeId ?? null,
      kind: 'chat',
      status: options.assigneeId ? 'assigned' : 'queued',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const authorType = options.authorType ?? 'agent';
  const message = await db
    .insertInto('messages')
    .values({
      tenant_id: tenantId,
      conversation_id: conversation.id,
      channel_id: channelId,
      direction: 'out',
      author_type: authorType,
      author_id: authorType === 'agent' ? (options.authorId ?? options.assigneeId ?? null) : null,
      text: options.text === undefined ? 'Halo, ada yang bisa kami bantu?' : options.text,
      status: 'queued',
      ...(options.attachments && { attachments: JSON.stringify(options.attachments) }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const delivery = await createDelivery(db, tenantId, { messageId: message.id, conversationId: conversation.id, channelId });
  return { contactId: contact.id, conversationId: conversation.id, messageId: message.id, deliveryId: delivery.id, externalId };
}

/** The seeded reply's delivery read back as the outbound worker reads it, for calling an adapter's `send` directly. */
export async function deliveryToSend(db: Kysely<DB>, tenantId: string, seeded: SeededReply) {
  const toSend = await findDeliveryToSend(db, tenantId, seeded.deliveryId);
  if (!toSend) throw new Error(`no delivery ${seeded.deliveryId} to send`);
  return toSend;
}
