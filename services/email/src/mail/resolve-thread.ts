/** A conversation a candidate points at, as the database found it. */
export interface ThreadHit {
  conversationId: string;
  open: boolean;
}

export interface ThreadInput {
  /** threadCandidates() of the mail: In-Reply-To, then References nearest first. */
  candidates: readonly string[];
  /** The conversation each known candidate id belongs to (mails of this channel, either direction). */
  byMessageId: ReadonlyMap<string, ThreadHit>;
  /** The conversation of the ticket the subject names, if any. */
  ticket?: ThreadHit;
}

export type ThreadDecision =
  | { kind: 'thread'; conversationId: string; via: 'message_id' | 'ticket' }
  | { kind: 'none'; reason: 'no_reference' | 'unknown_thread' | 'thread_closed' };

/**
 * Which conversation a mail belongs to by its threading (issue 8 item 1). The nearest known message wins
 * (In-Reply-To, then References from the parent back); failing those, the ticket number in the subject. Only an
 * open conversation is a home: a reply to a closed one starts a new conversation by the usual routing (the closed one
 * was documented and scored; reopening it would rewrite that), and the new conversation then owns the thread.
 */
export function resolveThread(input: ThreadInput): ThreadDecision {
  let sawClosed = false;
  for (const id of input.candidates) {
    const hit = input.byMessageId.get(id);
    if (!hit) continue;
    if (hit.open) return { kind: 'thread', conversationId: hit.conversationId, via: 'message_id' };
    sawClosed = true;
  }
  if (input.ticket?.open) return { kind: 'thread', conversationId: input.ticket.conversationId, via: 'ticket' };
  if (sawClosed || input.ticket) return { kind: 'none', reason: 'thread_closed' };
  return { kind: 'none', reason: input.candidates.length === 0 ? 'no_reference' : 'unknown_thread' };
}
