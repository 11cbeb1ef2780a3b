import type { Kysely, Transaction } from 'kysely';
import { channelKindOf, type InboundMessage } from '@sapa/contracts';
import type { Conversation, DB, Message } from '@sapa/db';
import { findChannel } from '@sapa/db/queries/channels';
import { upsertContactByIdentity } from '@sapa/db/queries/contacts';
import { openConversation } from '@sapa/db/queries/conversations';
import { appendToOpenConversation, insertInboundMessage } from '@sapa/db/queries/messages';

export type PersistOutcome =
  | {
      kind: 'stored';
      contact: { id: string; name: string | null };
      conversation: Conversation;
      message: Message;
      newConversation: boolean;
    }
  | { kind: 'duplicate' }
  | { kind: 'channel_gone' };

/** Thrown inside the transaction to roll back everything a redelivered message would have touched. */
class AlreadyStored extends Error {}

/**
 * Stores contact, conversation and message of one inbound message atomically (ARCHITECTURE.md §Guarantees:
 * the job is acknowledged only after this commits): in one statement when the contact already has an open
 * conversation here (most messages), else in one transaction that creates what is missing. A message the
 * channel delivered before hits the unique (channel, external id) and changes nothing.
 */
export async function persistInbound(db: Kysely<DB>, m: InboundMessage): Promise<PersistOutcome> {
  const appended = await appendToOpenConversation(db, m.tenantId, {
    channelId: m.channelId,
    fromExternalId: m.from.externalId,
    externalId: m.externalMessageId,
    text: m.text ?? null,
    attachments: m.attachments,
    sentAt: m.sentAt ? new Date(m.sentAt) : null,
  });
  if (appended) {
    if (!appended.message) return { kind: 'duplicate' };
    return { kind: 'stored', contact: appended.contact, conversation: appended.conversation, message: appended.message, newConversation: false };
  }
  try {
    return await db.transaction().execute((trx) => persistIn(trx, m));
  } catch (err) {
    if (err instanceof AlreadyStored) return { kind: 'duplicate' };
    throw err;
  }
}

async function persistIn(trx: Transaction<DB>, m: InboundMessage): Promise<PersistOutcome> {
  const channel = await findChannel(trx, m.tenantId, m.channelId);
  if (!channel) return { kind: 'channel_gone' };

  const contact = await upsertContactByIdentity(trx, m.tenantId, {
    channelId: m.channelId,
    externalId: m.from.externalId,
    ...(m.from.name !== undefined && { name: m.from.name }),
    ...(m.from.phone !== undefined && { phone: m.from.phone }),
    ...(m.from.email !== undefined && { email: m.from.email }),
  });
  const teamId = channel.team_id ?? (await defaultTeamId(trx, m.tenantId));
  const { conversation, created } = await openConversation(trx, m.tenantId, {
    channelId: m.channelId,
    contactId: contact.id,
    teamId,
    kind: channelKindOf(m.channelType),
  });
  const message = await insertInboundMessage(trx, m.tenantId, {
    conversationId: conversation.id,
    channelId: m.channelId,
    externalId: m.externalMessageId,
    text: m.text ?? null,
    attachments: m.attachments,
    sentAt: m.sentAt ? new Date(m.sentAt) : null,
  });
  if (!message) throw new AlreadyStored();
  return { kind: 'stored', contact: { id: contact.id, name: contact.name }, conversation, message, newConversation: created };
}

/** A channel with no team routes to the tenant's default team (issue 3 §Router). */
async function defaultTeamId(db: Transaction<DB>, tenantId: string): Promise<string | null> {
  const team = await db.selectFrom('teams').select('id').where('tenant_id', '=', tenantId).where('is_default', '=', true).executeTakeFirst();
  return team?.id ?? null;
}
