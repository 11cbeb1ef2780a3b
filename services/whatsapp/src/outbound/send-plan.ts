import { createHash } from 'node:crypto';
import type { Attachment } from '@sapa/contracts';

/** One WhatsApp message of a reply: its words, or one stored file (with the words as caption when it is the only one). */
export type SendPart =
  | { kind: 'text'; text: string }
  | { kind: 'file'; attachmentId: string; contentType: string; filename?: string; caption?: string };

/**
 * A reply → the WhatsApp messages that carry it. A lone file takes the words as its caption (one bubble, as a person
 * would send it); otherwise the words go first, then each file. Files Sapa does not hold (a link an agent pasted)
 * travel as their URL in the text: Baileys would fetch any URL it is given, and Sapa fetches nothing on a sender's word.
 */
export function planSend(message: { text: string | null; attachments: readonly Attachment[] }): SendPart[] {
  const stored = message.attachments.filter((a) => a.id !== undefined && a.error === undefined);
  const links = message.attachments.filter((a) => a.id === undefined).map((a) => a.url);
  const text = [message.text ?? '', ...links].filter((t) => t.trim() !== '').join('\n') || undefined;
  const files = stored.map((a): SendPart => ({ kind: 'file', attachmentId: a.id!, contentType: a.contentType, ...(a.filename && { filename: a.filename }) }));
  const [only] = files;
  if (files.length === 1 && only?.kind === 'file' && text !== undefined && !only.contentType.startsWith('audio/')) return [{ ...only, caption: text }];
  return [...(text !== undefined ? [{ kind: 'text' as const, text }] : []), ...files];
}

/**
 * The WhatsApp message id of part `index` of a delivery, fixed by the delivery and its replay: a retry after a send
 * whose answer was lost sends the same id again, and WhatsApp keeps one message per id, so the customer sees it once.
 * Shaped like Baileys' own ids (`3EB0` and 18 upper-case hex digits).
 */
export function messageIdFor(deliveryId: string, replay: number, index: number): string {
  return `3EB0${createHash('sha256').update(`${deliveryId}.${replay}.${index}`).digest('hex').toUpperCase().slice(0, 18)}`;
}
