import type { LivechatMessageView, LivechatQuoteView, LivechatReplyTarget } from '@sapa/contracts';
import type { TranscriptLine } from '@sapa/db/queries/livechat';
import type { QuotedMessage } from '@sapa/db/queries/message-replies';

/** How much of a quoted message the widget shows above a reply, in characters. */
export const QUOTE_EXCERPT_LENGTH = 100;

type StoredAttachment = { url: string; contentType: string; filename?: string; id?: string; size?: number };

/** How the widget reaches a stored file: a signed link when the gateway can make one, else none (the name is shown). */
export type LinkOf = ((attachmentId: string) => string) | undefined;

/** A message's files as the visitor sees them: links for stored files when there is a signer, the channel URL otherwise. */
export function visitorAttachments(attachments: readonly StoredAttachment[], linkOf: LinkOf): LivechatMessageView['attachments'] {
  return attachments.map((a) => {
    let url = a.url;
    if (a.id !== undefined) {
      try {
        url = linkOf ? linkOf(a.id) : '';
      } catch {
        url = '';
      }
    }
    return { url, contentType: a.contentType, ...(a.filename !== undefined && { filename: a.filename }), ...(a.size !== undefined && { size: a.size }) };
  });
}

/** The widget's id of a visitor's message: its external id is `<visitor id>/<widget message id>`. */
export function clientIdOf(externalId: string | null, visitorId: string): string | undefined {
  const prefix = `${visitorId}/`;
  return externalId?.startsWith(prefix) ? externalId.slice(prefix.length) : undefined;
}

/**
 * The channel's id of the message a visitor quotes (`InboundMessage.replyToExternalId`): their own message by its
 * external id, `<visitor id>/<widget id>`; Sapa's by its own id, which is how the router finds an outbound message
 * that never had a channel id (live chat's never do).
 */
export function replyToExternalIdOf(target: LivechatReplyTarget, visitorId: string): string {
  return 'clientId' in target ? `${visitorId}/${target.clientId}` : target.messageId.toLowerCase();
}

/** A quoted message as the widget shows it above the reply: its first words on one line, and whose it was. */
export function quoteView(quoted: QuotedMessage, visitorId: string): LivechatQuoteView {
  const clientId = quoted.direction === 'in' ? clientIdOf(quoted.externalId, visitorId) : undefined;
  return { id: quoted.id, ...(clientId !== undefined && { clientId }), direction: quoted.direction, excerpt: excerptOf(quoted.text) };
}

/** The first QUOTE_EXCERPT_LENGTH characters of a text on one line (cut between code points, `…` when cut); null for none. */
export function excerptOf(text: string | null): string | null {
  const line = text?.replace(/\s+/g, ' ').trim();
  if (!line) return null;
  const chars = Array.from(line);
  return chars.length <= QUOTE_EXCERPT_LENGTH ? line : `${chars.slice(0, QUOTE_EXCERPT_LENGTH - 1).join('').trimEnd()}…`;
}

/** One line of the transcript as the widget shows it. */
export function transcriptView(line: TranscriptLine, visitorId: string, linkOf: LinkOf): LivechatMessageView {
  const clientId = line.direction === 'in' ? clientIdOf(line.external_id, visitorId) : undefined;
  return {
    id: line.id,
    ...(clientId !== undefined && { clientId }),
    direction: line.direction,
    authorType: line.author_type,
    authorName: line.author_type === 'agent' ? line.author_name : null,
    text: line.text,
    attachments: visitorAttachments(line.attachments, linkOf),
    ...(line.reply_to && { replyTo: quoteView(line.reply_to, visitorId) }),
    createdAt: line.at,
  };
}
