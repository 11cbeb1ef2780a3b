import type { Kysely } from 'kysely';
import type { DB, SecretBox } from '@sapa/db';
import type { EventBus, Producer, Redis } from '@sapa/queue';
import type { Logger, Metrics } from '@sapa/service-kit';
import type { InboxFiles } from './attachments/inbox-files.js';

/** What the inbox API runs on; main.ts builds these from config, tests hand in their own. */
export interface InboxApiDeps {
  db: Kysely<DB>;
  redis: Redis;
  /** Redis key prefix of queues and events. */
  prefix: string;
  secretBox: SecretBox;
  logger: Logger;
  metrics: Metrics;
  producer: Producer;
  eventBus: EventBus;
  /**
   * Where files are kept (the same store as the gateway's) and how links to them are signed. main.ts always sets
   * it from config; absent (tests), a folder under the system's temporary directory and a key of this process.
   */
  files?: InboxFiles;
}

export interface InboxApiOptions {
  /** How long a login session lasts (default 12 h). */
  sessionTtlSeconds?: number;
  /** How often each WebSocket is pinged and its token re-checked (default 30 s). */
  pingIntervalMs?: number;
  /** The clock of the handling texts (time-of-day word, closing phrase); tests pin it. Default: the system clock. */
  now?: () => Date;
  /**
   * How long one wall-clock minute of a playbook SLA lasts, in ms (default 60,000). Only for tests and demos that
   * want a "2-minute" reminder in 200 ms; working-hours SLAs always count real minutes on the team's calendar.
   */
  slaMinuteMs?: number;
  /** How often online agents whose socket went silent are turned away (default 15 s; tests shorten it). */
  idleSweepMs?: number;
  /**
   * The gateway's base URL as channel providers reach it (default `http://127.0.0.1:3100`): creating a Telegram
   * channel registers `<this>/webhooks/telegram/<channelId>` as the bot's webhook.
   */
  publicWebhookUrl?: string;
  /** Longest wait for a provider while activating a channel (default 10 s). */
  activationTimeoutMs?: number;
}
