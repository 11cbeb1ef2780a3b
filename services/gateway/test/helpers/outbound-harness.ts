import { afterEach, beforeEach } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { OutboundDelivery } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import { findDelivery } from '@sapa/db/queries/deliveries';
import type { Producer, QueueName, Redis } from '@sapa/queue';
import { startOutboundWorkers } from '../../src/index.js';
import { openQueueScope, type QueueScope } from './queue-scope.js';
import type { SeededReply } from './seed-reply.js';
import { silentLogger, testSecretBox } from './test-stores.js';
import { waitFor } from './wait-for.js';

export interface OutboundHarness {
  scope: QueueScope;
  /** Closes the workers, then empties `queues` and closes the scope. */
  stop(...queues: QueueName[]): Promise<void>;
}

/**
 * The outbound workers on a queue scope of one test's own. A 10 ms backoff base: five attempts take ~150 ms
 * instead of 15 s (a retry_after still counts in full).
 */
export async function startTestOutbound(db: Kysely<DB>, redis: Redis): Promise<OutboundHarness> {
  const scope = await openQueueScope(redis);
  const workers: Worker[] = startOutboundWorkers({
    db, redis, prefix: scope.prefix, secretBox: testSecretBox, eventBus: scope.eventBus, logger: silentLogger, backoffDelayMs: 10,
  });
  return {
    scope,
    async stop(...queues) {
      await Promise.all(workers.map((w) => w.close()));
      await scope.close(...queues);
    },
  };
}

/**
 * Outbound workers for each test of the file: started before it on what `stores` answers then (set in `beforeAll`),
 * stopped after it with `queues` emptied. Read `scope` inside tests.
 */
export function outboundPerTest(stores: () => { db: Kysely<DB>; redis: Redis }, ...queues: QueueName[]): { readonly scope: QueueScope } {
  let current: OutboundHarness | undefined;
  beforeEach(async () => {
    const { db, redis } = stores();
    current = await startTestOutbound(db, redis);
  });
  afterEach(async () => {
    await current?.stop(...queues);
    current = undefined;
  });
  return {
    get scope() {
      if (!current) throw new Error('the outbound workers start before each test; read them inside a test');
      return current.scope;
    },
  };
}

/** Puts a seeded reply's delivery on its channel's outbound queue, as the inbox API does. */
export function enqueueDelivery(producer: Producer, queue: QueueName & `outbound.${string}`, tenantId: string, seeded: SeededReply): Promise<string> {
  const payload: OutboundDelivery = { tenantId, deliveryId: seeded.deliveryId, messageId: seeded.messageId, replay: 0 };
  return producer.add(queue, payload);
}

export interface DeliveryOutcome {
  delivery: string;
  message: string;
  externalId: string | null;
  attempts: number;
  lastError: string | null;
}

/** Waits until the reply's delivery is no longer pending; answers how it ended, and its message's status and external id. */
export async function settled(db: Kysely<DB>, tenantId: string, seeded: SeededReply): Promise<DeliveryOutcome> {
  return waitFor(async () => {
    const delivery = await findDelivery(db, tenantId, seeded.deliveryId);
    if (!delivery || delivery.status === 'pending') return undefined;
    const message = await db.selectFrom('messages').select(['status', 'external_id']).where('id', '=', seeded.messageId).executeTakeFirstOrThrow();
    return { delivery: delivery.status, message: message.status, externalId: message.external_id, attempts: delivery.attempts, lastError: delivery.last_error };
  }, 'the delivery to settle');
}
