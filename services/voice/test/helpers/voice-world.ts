import { randomUUID } from 'node:crypto';
import type { CallEvent, DomainEvent } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { createEventBus, createProducer, createRedis, type Producer, type Redis } from '@sapa/queue';
import { createLogger, createTtlCache } from '@sapa/service-kit';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { callEventProcessor } from '../../src/index.js';

export const logger = createLogger({ service: 'voice-test', level: 'silent', pretty: false });

/** Real Postgres and Redis under a prefix of this test file's own, and the `voice.events` processor on them. */
export async function voiceHarness() {
  const env = testEnv();
  const db: Kysely<DB> = createDb({ connectionString: env.databaseUrl, max: 6 });
  const redis: Redis = createRedis(env.redisUrl);
  const prefix = `${env.redisPrefix}:voice-${randomUUID().slice(0, 8)}`;
  const producer: Producer = createProducer(redis, prefix);
  const bus = createEventBus(redis, prefix);
  const events: DomainEvent[] = [];
  const unsubscribe = await bus.subscribe((e) => events.push(e));
  const settings = createTtlCache((tenantId) => getTenantSettings(db, tenantId), 0);
  const process = callEventProcessor({ db, bus, producer, logger, settings });
  let jobSeq = 0;
  return {
    db,
    redis,
    prefix,
    producer,
    events,
    secretBox: createSecretBox(env.secretKey),
    /** Applies one call event as the worker would, answering its outcome. */
    apply: (e: CallEvent) => process(e, { id: `test-${++jobSeq}` } as never),
    async close() {
      await unsubscribe();
      for (const q of ['voice.events', 'voice.originate', 'routing'] as const) await producer.queue(q).obliterate({ force: true });
      await producer.close();
      await redis.quit();
      await db.destroy();
    },
  };
}

export type VoiceHarness = Awaited<ReturnType<typeof voiceHarness>>;

/** A tenant whose agents 1 and 2 are online with extensions 201 and 202 (one call each), and a voice channel. */
export async function voiceTenant(h: VoiceHarness, config: Record<string, unknown> = { provider: 'webhook' }, secrets: Record<string, unknown> = { signingSecret: 'whsec_test' }) {
  const tenant: TestTenant = await createTenant(h.db, {
    admin: { roles: ['admin'] },
    agent1: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { voice: 1 } },
    agent2: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { voice: 1 } },
  });
  await h.db.updateTable('agents').set({ extension: '201' }).where('user_id', '=', tenant.users.agent1!.id).execute();
  await h.db.updateTable('agents').set({ extension: '202' }).where('user_id', '=', tenant.users.agent2!.id).execute();
  const channel = await h.db
    .insertInto('channels')
    .values({ tenant_id: tenant.id, type: 'voice', name: 'PBX', team_id: null, config: JSON.stringify(config), secrets_enc: h.secretBox.seal(secrets) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { tenant, channelId: channel.id };
}
