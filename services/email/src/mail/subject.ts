/**
 * Subjects of email threads. Replies carry the conversation's ticket number as `[#2026-000042]` (tickets.number of
 * packages/db queries/tickets.ts), so a customer who starts a new mail but keeps the subject still lands on it.
 */

/** `[#2026-000042]`, also written `[#T-2026-000042]` or `[Tiket #2026-000042]` by hand. */
const TICKET_TAG = /\[\s*(?:tiket\s*|ticket\s*)?#\s*(?:T-)?(\d{4}-\d{1,9})\s*\]/i;

/** The ticket number a subject names, e.g. `2026-000042`, or undefined. */
export function ticketNumberIn(subject: string | undefined | null): string | undefined {
  return subject?.match(TICKET_TAG)?.[1];
}

/** The tag replies carry. */
export function ticketTag(number: string): string {
  return `[#${number}]`;
}

// Re:/Fwd: and their Indonesian, German and Dutch cousins (Balas:, Bls:, Aw:, Antw:), possibly stacked or numbered.
const PREFIX = /^\s*((re|fw|fwd|aw|wg|antw|balas|bls|tr|sv|vs)(\[\d+\])?\s*:\s*)+/i;

/** A subject without its reply/forward prefixes. */
export function baseSubject(subject: string | undefined | null): string {
  return (subject ?? '').replace(PREFIX, '').trim();
}

/**
 * The subject of Sapa's reply: `Re: ` once before the thread's subject, and the ticket's tag when the conversation
 * has a ticket and the subject does not carry it already. An empty subject becomes `fallback`.
 */
export function replySubject(threadSubject: string | undefined | null, ticketNumber: string | undefined, fallback: string): string {
  let base = baseSubject(threadSubject) || fallback;
  if (ticketNumber && ticketNumberIn(base) !== ticketNumber) base = `${base.replace(TICKET_TAG, '').trim()} ${ticketTag(ticketNumber)}`.trim();
  return `Re: ${base}`;
}
