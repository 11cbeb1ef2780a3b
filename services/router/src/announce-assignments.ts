import type { Kysely } from 'kysely';
import type { Conversation, DB } from '@sapa/db';
import type { HandlingSettings } from '@sapa/handling';
import type { EventBus, Producer } from '@sapa/queue';
import type { TtlCache } from '@sapa/service-kit';
import type { Allocators } from './assign-conversation.js';
import { publishAssignments } from './publish-events.js';
import { responseTimerFor } from '@sapa/routing';

export interface AnnounceDeps {
  db: Kysely<DB>;
  bus: EventBus;
  producer: Producer;
  settings: TtlCache<HandlingSettings>;
  /** Teams' external allocators, asked by every drain of this router. */
  allocators?: Allocators;
}

/**
 * After a drain committed: tell the inbox (`conversation.assigned`) and start each assignment's first-response
 * timer. The timer's job id names the assignment and step, so announcing twice adds it once.
 */
export async function announceAssignments(deps: AnnounceDeps, assigned: Conversation[]): Promise<void> {
  if (assigned.length === 0) return;
  await publishAssignments(deps.db, deps.bus, assigned);
  const { routing } = await deps.settings.get(assigned[0]!.tenant_id);
  for (const conv of assigned) await startResponseTimer(deps.producer, conv, routing);
}

/** Puts the first-response timer of the chain step the conversation has reached on the queue, if the chain goes on. */
export async function startResponseTimer(producer: Producer, conv: Conversation, routing: HandlingSettings['routing']): Promise<void> {
  const next = responseTimerFor(conv, routing);
  if (next) await producer.add('routing.response', next.timer, { delay: next.delayMs });
}
