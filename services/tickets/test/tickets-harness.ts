import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createDb } from '@sapa/db';
import type { HandlingEvent } from '@sapa/contracts';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { startTickets, type FiredTimer, type RunningTickets, type TicketsDeps } from '../src/index.js';

/** Real Postgres, real Redis, real BullMQ: ticket service instances on a queue prefix of the test's own. */
export function ticketsHarness() {
  const env = testEnv();
  const prefix = `${env.redisPrefix}:tickets-${randomUUID().slice(0, 8)}`;
  const db = createDb({ connectionString: env.databaseUrl, max: 20 });
  const redis = createRedis(env.redisUrl);
  const producer = createProducer(redis, prefix);
  const bus = createEventBus(redis, prefix);
  const running = new Set<RunningTickets>();
  const connections: Array<ReturnType<typeof createRedis>> = [];
  const logger = createLogger({ service: 'tickets-test', level: 'warn', pretty: false });
  const fired: FiredTimer[] = [];
  const sweptTenants: string[] = [];
  const ticketTimersFired: Array<Parameters<NonNullable<TicketsDeps['onTicketTimerFired']>>[0]> = [];
  const outbound = new Queue('outbound.api', { connection: redis, prefix });

  return {
    db,
    redis,
    prefix,
    producer,
    bus,
    fired,
    /** Ticket timers that acted (due times, reminders), in the order they did. */
    ticketTimersFired,
    /** Tenants whose ticket timers this harness's services sweep (other test files share the database). */
    sweptTenants,
    async startTickets(options: { ticketSweepIntervalMs?: number } = {}): Promise<RunningTickets> {
      const connection = createRedis(env.redisUrl);
      connections.push(connection);
      const t = await startTickets({
        db,
        redis: connection,
        prefix,
        logger,
        metrics: createMetrics('tickets'),
        onTimerFired: (f) => fired.push(f),
        onTicketTimerFired: (f) => ticketTimersFired.push(f),
        ticketSweepIntervalMs: options.ticketSweepIntervalMs,
        ticketSweepTenants: () => sweptTenants,
      });
      running.add(t);
      return t;
    },
    async stopTickets(t: RunningTickets): Promise<void> {
      await t.close();
      running.delete(t);
    },
    /** A tenant whose inactivity clock runs in seconds, with an `api` channel. */
    async tenantWithClock(inactivity: { firstNudgeSeconds: number; secondNudgeSeconds: number; closeSeconds: number; liveChatLeaveCloseSeconds?: number }, brand = 'Toko Maju') {
      const tenant = await createTenant(db);
      await db
        .updateTable('tenants')
        .set({ settings: JSON.stringify({ brand, inactivity: { liveChatLeaveCloseSeconds: 1, ...inactivity } }) })
        .where('id', '=', tenant.id)
        .execute();
      const channel = await createApiChannel(db, tenant.id);
      return { tenant, channelId: channel.id };
    },
    /** A channel of another type (no sender needed: the clock never sends on email or voice). */
    async channelOfType(tenantId: string, type: string): Promise<string> {
      const row = await db
        .insertInto('channels')
        .values({ tenant_id: tenantId, type, name: `${type} channel`, config: JSON.stringify({}) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    /** A contact's open conversation on `channelId`, assigned to agent1 who holds one unit of chat capacity for it. */
    async conversation(tenant: TestTenant, channelId: string, opts: { status?: 'assigned' | 'on_hold' | 'queued'; kind?: 'chat' | 'email' | 'voice' } = {}) {
      const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'Budi' }).returning('id').executeTakeFirstOrThrow();
      await db
        .insertInto('contact_identities')
        .values({ tenant_id: tenant.id, contact_id: contact.id, channel_id: channelId, external_id: `cust-${randomUUID()}` })
        .execute();
      const agentId = tenant.users.agent1!.id;
      const status = opts.status ?? 'assigned';
      const conv = await db
        .insertInto('conversations')
        .values({
          tenant_id: tenant.id,
          channel_id: channelId,
          contact_id: contact.id,
          team_id: tenant.teamId,
          assignee_id: status === 'queued' ? null : agentId,
          kind: opts.kind ?? 'chat',
          status,
          assigned_at: status === 'queued' ? null : new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (status !== 'queued') {
        await db.updateTable('agents').set((eb) => ({ active_chat: eb('active_chat', '+', 1) })).where('user_id', '=', agentId).execute();
      }
      return conv.id;
    },
    /** Tells the ticket service what happened, as the router and the inbox API do. Returns the event's time. */
    async event(tenantId: string, conversationId: string, type: HandlingEvent['type'], at = new Date()): Promise<Date> {
      await producer.add('handling', { tenantId, conversationId, type, messageId: randomUUID(), at: at.toISOString() });
      return at;
    },
    systemMessages(conversationId: string) {
      return db
        .selectFrom('messages')
        .select(['id', 'text', 'author_type', 'direction', 'created_at'])
        .where('conversation_id', '=', conversationId)
        .where('author_type', '=', 'system')
        .orderBy('created_at')
        .execute();
    },
    conversationRow(conversationId: string) {
      return db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    },
    deliveries(conversationId: string) {
      return db.selectFrom('deliveries').select(['id', 'message_id', 'status']).where('conversation_id', '=', conversationId).execute();
    },
    /** Jobs waiting on `outbound.api` (no gateway runs here, so they stay). */
    async outboundJobs() {
      return (await outbound.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).filter((j) => j !== undefined);
    },
    async timerJobs(conversationId: string) {
      const jobs = await producer.queue('timers').getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
      return jobs.filter((j) => j?.data.conversationId === conversationId);
    },
    firedFor(conversationId: string) {
      return fired.filter((f) => f.timer.conversationId === conversationId);
    },
    async close(): Promise<void> {
      await Promise.all([...running].map((t) => t.close()));
      await Promise.all(connections.map((c) => c.quit()));
      for (const name of ['handling', 'timers', 'ticket.timers', 'routing', 'outbound.api'] as const) {
        await producer.queue(name).obliterate({ force: true }).catch(() => undefined);
      }
      await outbound.close();
      await producer.close();
      await redis.quit();
      await db.destroy();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value that is not undefined/false. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}
