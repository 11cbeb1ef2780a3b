import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createLocalDiskStore } from '@sapa/attachments';
import type { InboundMessage, StoredEmailConfig } from '@sapa/contracts';
import { createDb, createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createTenant, testEnv } from '@sapa/test-support';
import { startEmail, type EmailDeps, type RunningEmail } from '../../src/index.js';
import { ensureDovecot, newMailbox, startSmtpServer, type Dovecot, type SmtpServer } from './mail-servers.js';

type MailEvent = Parameters<NonNullable<EmailDeps['onMail']>>[0];

/** Real Dovecot, a real SMTP server, real Postgres and Redis: email services on a queue prefix of the test's own. */
export async function emailHarness() {
  const env = testEnv();
  const prefix = `${env.redisPrefix}:email-${randomUUID().slice(0, 8)}`;
  const db = createDb({ connectionString: env.databaseUrl, max: 10 });
  const redis = createRedis(env.redisUrl);
  const secretBox = createSecretBox(env.secretKey);
  const store = createLocalDiskStore(mkdtempSync(join(tmpdir(), 'sapa-email-attachments-')));
  const logger = createLogger({ service: 'email-test', level: 'warn', pretty: false });
  const dovecot: Dovecot = await ensureDovecot();
  const smtp: SmtpServer = await startSmtpServer(dovecot);
  const tenant = await createTenant(db);
  const inbound = new Queue('inbound', { connection: redis, prefix });
  const mails: MailEvent[] = [];
  const running = new Set<RunningEmail>();

  return {
    db,
    redis,
    prefix,
    secretBox,
    store,
    dovecot,
    smtp,
    tenant,
    /** Every mail any email service of this harness took, in order. */
    mails,
    /** An email channel of the tenant on a fresh Dovecot mailbox, replies through the harness's SMTP server. */
    async channel() {
      const box = newMailbox(dovecot);
      const config: StoredEmailConfig = {
        address: box.address,
        imap: { host: dovecot.host, port: dovecot.port, secure: false, user: box.address, mailbox: 'INBOX' },
        smtp: { host: smtp.host, port: smtp.port, secure: false },
      };
      const row = await db
        .insertInto('channels')
        .values({ tenant_id: tenant.id, type: 'email', name: 'CS mail', config: JSON.stringify(config), secrets_enc: secretBox.seal({ imapPass: box.password }) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, address: box.address };
    },
    async start(options: Partial<EmailDeps> = {}): Promise<RunningEmail> {
      const email = await startEmail({
        db,
        redis,
        prefix,
        secretBox,
        store,
        logger,
        // Long enough that a busy event loop (parsing a 35 MB mail) does not lose it; the takeover test sets its own.
        leaseMs: 5000,
        scanMs: 200,
        reconnectMs: 100,
        maxReconnectMs: 500,
        backoffDelayMs: 10,
        onlyTenants: () => [tenant.id],
        onMail: (e) => mails.push(e),
        ...options,
      });
      running.add(email);
      return email;
    },
    async stop(email: RunningEmail) {
      await email.close();
      running.delete(email);
    },
    /** The `inbound` jobs the email services enqueued, oldest first. */
    async enqueued(): Promise<InboundMessage[]> {
      const jobs = await inbound.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
      return jobs.sort((a, b) => a.timestamp - b.timestamp).map((j) => j.data as InboundMessage);
    },
    async close() {
      for (const email of running) await email.close();
      await inbound.obliterate({ force: true }).catch(() => undefined);
      await inbound.close();
      await smtp.close();
      await redis.quit();
      await db.destroy();
    },
  };
}
export type EmailHarness = Awaited<ReturnType<typeof emailHarness>>;

/** Polls until `find` returns something other than undefined. */
export async function waitFor<T>(find: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
