import type { Kysely } from 'kysely';
import { messageCreated, type OriginateRequest } from '@sapa/contracts';
import { toConversationDto, toMessageDto, type DB, type SecretBox } from '@sapa/db';
import { findChannel } from '@sapa/db/queries/channels';
import { findContact } from '@sapa/db/queries/contacts';
import { findConversation } from '@sapa/db/queries/conversations';
import { insertCallNote } from '@sapa/db/queries/voice-calls';
import { callText, type HandlingSettings } from '@sapa/handling';
import { UnrecoverableError, type EventBus, type Job } from '@sapa/queue';
import type { Logger, TtlCache } from '@sapa/service-kit';
import { AmiLoginRefused, originateActionOf, originateCall } from './ami/ami-originate.js';
import type { AmiClientOptions } from './ami/ami-client.js';
import { openAmiChannel } from './ami/open-ami-channel.js';

export interface OriginateDeps {
  db: Kysely<DB>;
  bus: EventBus;
  logger: Logger;
  secretBox: SecretBox;
  settings: TtlCache<HandlingSettings>;
  /** A request older than this is dropped: the agent has stopped waiting for their phone to ring (default 60 s). */
  maxAgeMs?: number;
  /** AMI timings (tests shorten them). */
  client?: Pick<AmiClientOptions, 'answerTimeoutMs' | 'backoff'>;
  now?: () => number;
}

/**
 * The `voice.originate` processor (click-to-call, `POST /v1/conversations/{id}/call`): asks the channel's PBX over AMI
 * to ring the agent's phone and then dial the customer. The call that follows is read off AMI like any outbound call
 * (call-tracker.ts), so this only places it. A PBX that refuses, or that cannot be reached after the job's attempts,
 * leaves a note in the conversation telling the agent to dial from the softphone.
 */
export function originateProcessor(deps: OriginateDeps) {
  const now = deps.now ?? Date.now;
  return async (req: OriginateRequest, job: Job<OriginateRequest>): Promise<string> => {
    const log = { tenantId: req.tenantId, channelId: req.channelId, conversationId: req.conversationId, jobId: job.id };
    if (now() - Date.parse(req.requestedAt) > (deps.maxAgeMs ?? 60_000)) {
      deps.logger.warn(log, 'click-to-call dropped: asked too long ago');
      return 'stale';
    }
    const row = await findChannel(deps.db, req.tenantId, req.channelId);
    const channel = row && row.status !== 'disabled' ? openAmiChannel(row, deps.secretBox) : undefined;
    if (!channel) {
      deps.logger.warn(log, 'click-to-call dropped: the channel is gone or has no usable AMI settings');
      await tellAgent(deps, req);
      return 'channel_unusable';
    }
    let answer;
    try {
      answer = await originateCall(channel, originateActionOf(req, channel.originate), { logger: deps.logger, ...(deps.client && { client: deps.client }) });
    } catch (err) {
      const last = err instanceof AmiLoginRefused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) await tellAgent(deps, req);
      throw last ? new UnrecoverableError((err as Error).message) : err;
    }
    if (answer.Response !== 'Success') {
      deps.logger.warn({ ...log, reason: answer.Message }, 'the PBX refused the click-to-call');
      await tellAgent(deps, req);
      return 'refused';
    }
    deps.logger.info(log, 'click-to-call placed');
    return 'originated';
  };
}

/** A note in the conversation that the call could not be started (announced live; never sent to the customer). */
async function tellAgent(deps: OriginateDeps, req: OriginateRequest): Promise<void> {
  const conv = await findConversation(deps.db, req.tenantId, req.conversationId);
  if (!conv) return;
  const { locale } = await deps.settings.get(req.tenantId);
  const message = await insertCallNote(deps.db, req.tenantId, conv, callText(locale, 'callFailed', { caller: req.number }));
  const contact = await findContact(deps.db, req.tenantId, conv.contact_id);
  const dto = toConversationDto(conv, { id: conv.contact_id, name: contact?.name ?? null }, 'voice');
  await deps.bus.publish(messageCreated(req.tenantId, dto, toMessageDto(message)));
}
