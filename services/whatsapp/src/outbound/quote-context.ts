import { jidNormalizedUser, type proto } from '@whiskeysockets/baileys';
import type { QuotedMessage } from '@sapa/db/queries/message-replies';

/** What a quote of a message without words shows: it had files only. */
const FILES_ONLY = '📎';

/**
 * The `contextInfo` that makes a reply quote the message it answers, as Baileys' `quoted` send option writes it: the
 * quoted message's id (`stanzaId`), who wrote it (`participant`), and its words for the bubble above the reply. The
 * customer wrote what they sent, so their chat's JID; the number itself wrote Sapa's messages, and its JID is known
 * here only from the channel's `phoneNumber`. Without it, or without an id of the quoted message (never sent), the
 * reply goes plain: a quote naming the wrong author would show the agent's words as the customer's.
 */
export function quoteContextOf(quoted: QuotedMessage | null, chatJid: string, ownNumber: string | undefined): proto.IContextInfo | undefined {
  if (!quoted?.externalId) return undefined;
  const participant = quoted.direction === 'in' ? jidNormalizedUser(chatJid) : ownNumber ? `${ownNumber.replace(/^\+/, '')}@s.whatsapp.net` : undefined;
  if (!participant) return undefined;
  return { stanzaId: quoted.externalId, participant, quotedMessage: { conversation: quoted.text || FILES_ONLY } };
}
