import { renderTemplate } from '@sapa/handling';
import { replyReferences } from '../mail/message-ids.js';
import { replySubject } from '../mail/subject.js';

export interface ReplyInput {
  /** Sapa's message id: the reply's Message-ID is made from it, so a resend is recognisably the same mail. */
  messageId: string;
  text: string;
  fromAddress: string;
  fromName: string;
  to: string;
  /** The customer's latest mail in the conversation, which this reply answers. */
  parent: { rfcMessageId: string; references: readonly string[]; subject: string | null } | undefined;
  /** The subject the conversation started with. */
  threadSubject: string | null;
  ticketNumber: string | undefined;
  signature: string;
  agentName: string | undefined;
  brand: string;
  /** The subject when the thread has none. */
  fallbackSubject: string;
}

export interface ComposedReply {
  messageId: string;
  from: { name: string; address: string };
  to: string;
  subject: string;
  inReplyTo?: string;
  references: string[];
  text: string;
}

/**
 * The headers and text of an agent's (or Sapa's) reply (issue 8 item 1): In-Reply-To the customer's latest mail,
 * References its chain plus it, `Re: <thread subject> [#ticket]`, and the tenant's signature below the RFC 3676
 * `-- ` line, so mail clients thread it under the customer's mail and trim the signature from quotes.
 */
export function composeReply(input: ReplyInput): ComposedReply {
  const domain = input.fromAddress.split('@')[1] ?? 'sapa.invalid';
  const signature = renderTemplate(input.signature, { brand: input.brand, agentName: input.agentName ?? input.brand }).trim();
  const reply: ComposedReply = {
    messageId: `<sapa.${input.messageId}@${domain}>`,
    from: { name: input.fromName, address: input.fromAddress },
    to: input.to,
    subject: replySubject(input.threadSubject ?? input.parent?.subject, input.ticketNumber, input.fallbackSubject),
    references: input.parent ? replyReferences(input.parent.references, input.parent.rfcMessageId) : [],
    text: signature ? `${input.text}\n\n-- \n${signature}\n` : `${input.text}\n`,
  };
  if (input.parent) reply.inReplyTo = input.parent.rfcMessageId;
  return reply;
}
