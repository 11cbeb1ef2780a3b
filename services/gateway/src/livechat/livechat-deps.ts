import type { AttachmentStore } from '@sapa/attachments';
import type { DB, Kysely } from '@sapa/db';
import type { EventBus, Producer, Redis } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import type { AcceptDeps } from '../inbound/accept-inbound.js';
import type { ChannelFactsOf } from './business-hours-banner.js';
import type { LivechatBus } from './livechat-bus.js';
import type { LivechatHub } from './livechat-hub.js';
import type { LivechatRateLimits } from './visitor-rate-limit.js';

/** What the live chat's routes and sockets work with; built once per gateway app (livechat-routes.ts). */
export interface LivechatDeps {
  db: Kysely<DB>;
  redis: Redis;
  prefix: string;
  producer: Producer;
  accept: AcceptDeps;
  eventBus: EventBus;
  bus: LivechatBus;
  hub: LivechatHub;
  channelFacts: ChannelFactsOf;
  store: AttachmentStore;
  /** A signed link to a tenant's stored file, for the widget; absent: files show by name only. */
  linkOf: ((tenantId: string, attachmentId: string) => string) | undefined;
  rateLimits: LivechatRateLimits;
  logger: Logger;
  now: () => Date;
}

/** The live chat's tunables, all optional (tests shorten them). */
export interface LivechatOptions {
  /** How long after a visitor's last socket closed before they count as gone (default 5 s: a page reload is not a leave). */
  leaveGraceMs?: number;
  /** How often visitor sockets are pinged and their presence refreshed (default 25 s). */
  pingIntervalMs?: number;
  /** What a visitor may do how often (default DEFAULT_LIVECHAT_RATE_LIMITS). */
  rateLimits?: Partial<LivechatRateLimits>;
}
