import type { Kysely } from 'kysely';
import { channelKindOf, type InboundMessage } from '@sapa/contracts';
import type { Conversation, DB, Message } from '@sapa/db';
import { appendToOpenConversation, openInbound } from '@sapa/db/queries/messages';

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
 * the unique (channel, external id) and changes nothing.
 */
export async function persistInbound(db: Kysely<DB>, m: InboundMessage): Promise<PersistOutcome> {
  const common = {
    channelId: m.channelId,
    fromExternalId: m.from.externalId,
    externalId: m.externalMessageId,
    text: m.text ?? null,
    attachments: m.attachments,
    sentAt: m.sentAt ? new Date(m.sentAt) : null,
  };
  const appended = await appendToOpenConversation(db, m.tenantId, common);
  if (appended) {
    if (!appended.message) return { kind: 'duplicate' };
    return { kind: 'stored', contact: appended.contact, conversation: appended.conversation, message: appended.message, newConversation: false };
  }
  const opened = await openInbound(db, m.tenantId, {
    ...common,
    kind: channelKindOf(m.channelType),
    name: m.from.name ?? null,
    phone: m.from.phone ?? null,
    email: m.from.email ?? null,
  });
  if (opened === undefined) return { kind: 'channel_gone' };
  if (opened === 'duplicate') return { kind: 'duplicate' };
  return { kind: 'stored', ...opened };
}
