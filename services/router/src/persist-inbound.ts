import type { Kysely } from 'kysely';
import { channelKindOf, readReceivedAt, type InboundMessage, type RoutingRule } from '@sapa/contracts';
import type { Conversation, DB, Message } from '@sapa/db';
import { applyRoutingDecision } from '@sapa/db/queries/conversations';
import { linkInboundReply } from '@sapa/db/queries/message-replies';
import { appendToOpenConversation, openInbound, type AppendedInbound } from '@sapa/db/queries/messages';
import { appendToConversation } from '@sapa/db/queries/threaded-inbound';
import { decideRouting } from '@sapa/routing';

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

/**
 * Stores contact, conversation and message of one inbound message atomically (ARCHITECTURE.md §Guarantees:
 * the job is acknowledged only after this commits), in one statement either way: most messages join their
 * contact's open conversation; the rest create what is missing. A message the channel delivered before hits
 * the unique (channel, external id) and changes nothing. A new conversation gets its queue, priority and needs from
 * the tenant's routing rules (`rules`) in the same transaction, before any drain can see it. A quoted reply
 * (`replyToExternalId`) is linked to the message it answers in the same transaction as the message is stored. The
 * message is stored at its `receivedAt`, not when this worker got to it, so the contact's messages list in the order
 * the channel handed them over however the router's workers interleave (README §Order of a customer's messages).
 */
export async function persistInbound(db: Kysely<DB>, m: InboundMessage, rules: () => Promise<readonly RoutingRule[]>): Promise<PersistOutcome> {
  const common = {
    channelId: m.channelId,
    fromExternalId: m.from.externalId,
    externalId: m.externalMessageId,
    text: m.text ?? null,
    attachments: m.attachments,
    sentAt: m.sentAt ? new Date(m.sentAt) : null,
    receivedAt: readReceivedAt(m.receivedAt),
  };
  const append = async (trx: Kysely<DB>): Promise<PersistOutcome | undefined> => {
    // A reply the channel threaded (email) joins its thread's conversation while it is open; else the contact's own.
    const threaded = m.conversationHint ? await appendToConversation(trx, m.tenantId, { ...common, conversationId: m.conversationHint }) : undefined;
    const appended: AppendedInbound | undefined = threaded ?? (await appendToOpenConversation(trx, m.tenantId, common));
    if (!appended) return undefined;
    if (!appended.message) return { kind: 'duplicate' };
    const message = m.replyToExternalId ? await linkInboundReply(trx, m.tenantId, appended.message, m.replyToExternalId) : appended.message;
    return { kind: 'stored', contact: appended.contact, conversation: appended.conversation, message, newConversation: false };
  };
  // Only a quoted reply pays for a transaction here: its link must commit with the message, or a redelivery, seen as a
  // duplicate, would never add it.
  const joined = m.replyToExternalId ? await db.transaction().execute(append) : await append(db);
  if (joined) return joined;
  // Read before the transaction: a rule list is not worth holding a connection for.
  const tenantRules = await rules();
  return db.transaction().execute(async (trx): Promise<PersistOutcome> => {
    const opened = await openInbound(trx, m.tenantId, {
      ...common,
      kind: channelKindOf(m.channelType),
      name: m.from.name ?? null,
      phone: m.from.phone ?? null,
      email: m.from.email ?? null,
    });
    if (opened === undefined) return { kind: 'channel_gone' };
    if (opened === 'duplicate') return { kind: 'duplicate' };
    if (!opened.newConversation) {
      const message = m.replyToExternalId ? await linkInboundReply(trx, m.tenantId, opened.message, m.replyToExternalId) : opened.message;
      return { kind: 'stored', ...opened, message };
    }
    // A new conversation holds no message yet that this one could answer: a quote of an older one stays unlinked.
    const contact = await trx.selectFrom('contacts').select('attributes').where('id', '=', opened.contact.id).executeTakeFirst();
    const decision = decideRouting(tenantRules, {
      channelId: m.channelId,
      channelType: m.channelType,
      text: m.text ?? '',
      contactAttributes: contact?.attributes ?? {},
    });
    const conversation = await applyRoutingDecision(trx, m.tenantId, opened.conversation.id, decision);
    return { kind: 'stored', ...opened, conversation };
  });
}
