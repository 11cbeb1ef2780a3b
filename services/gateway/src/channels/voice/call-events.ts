import { VoiceWebhookBody, type CallEvent } from '@sapa/contracts';
import { ValidationFailed } from '../../errors.js';
import type { AcceptableJob } from '../../inbound/accept-inbound.js';
import { compileBodyValidator, parseJsonBody } from '../../webhooks/body-validator.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';

const validateBody = compileBodyValidator(VoiceWebhookBody);

/**
 * A verified call-event webhook → the one job it carries on queue `voice.events` (the voice service applies it).
 * One event of one call at one extension is accepted once: the PBX's retry answers `200 duplicate`. `direction`
 * (absent: inbound) goes along as sent; the voice service reads its absence as inbound.
 */
export function callEventJobs(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): AcceptableJob[] {
  const body = validateBody(parseJsonBody(request.rawBody));
  if (body.direction === 'outbound' && body.caller === 'anonymous') {
    // An outbound call's `caller` is the number the agent dialled: Sapa finds the customer (and the callback task) by it.
    throw ValidationFailed('an outbound call needs the customer’s number in caller', { errors: [{ path: '/caller', message: 'the number dialled, not anonymous' }] });
  }
  const event: CallEvent = {
    tenantId: channel.row.tenant_id,
    channelId: channel.row.id,
    callId: body.callId,
    event: body.event,
    ...(body.direction !== undefined && { direction: body.direction }),
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
