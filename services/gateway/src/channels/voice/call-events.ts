import { VoiceWebhookBody, type CallEvent } from '@sapa/contracts';
import { ValidationFailed } from '../../errors.js';
import type { AcceptableJob } from '../../inbound/accept-inbound.js';
import { compileBodyValidator, parseJsonBody } from '../../webhooks/body-validator.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';

const validateBody = compileBodyValidator(VoiceWebhookBody);

/**
 * A verified call-event webhook → the one job it carries on queue `voice.events` (the voice service applies it).
 * One event of one call at one extension is accepted once: the PBX's retry answers `200 duplicate`.
 */
export function callEventJobs(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): AcceptableJob[] {
  const body = validateBody(parseJsonBody(request.rawBody));
  const event: CallEvent = {
    tenantId: channel.row.tenant_id,
    channelId: channel.row.id,
    callId: body.callId,
    event: body.event,
    caller: body.caller,
    ...(body.callerName !== undefined && { callerName: body.callerName }),
    ...(body.calledNumber !== undefined && { calledNumber: body.calledNumber }),
    ...(body.agentExtension !== undefined && { agentExtension: body.agentExtension }),
    ...(body.recordingUrl !== undefined && { recordingUrl: body.recordingUrl }),
    ...(body.reason !== undefined && { reason: body.reason }),
    at: body.timestamp === undefined ? receivedAt.toISOString() : isoOf(body.timestamp),
    source: 'webhook',
  };
  return [
    {
      tenantId: event.tenantId,
      channelId: event.channelId,
      externalId: [event.callId, event.event, event.agentExtension ?? ''].join('\u0000'),
      enqueue: (producer) => producer.add('voice.events', event),
    },
  ];
}

/** `timestamp` is unix seconds or ISO 8601; either becomes ISO 8601 in UTC. */
function isoOf(timestamp: number | string): string {
  const at = typeof timestamp === 'number' ? new Date(timestamp * 1000) : new Date(timestamp);
  if (Number.isNaN(at.getTime())) {
    throw ValidationFailed('timestamp is out of range', { errors: [{ path: '/timestamp', message: 'not a representable time' }] });
  }
  return at.toISOString();
}
