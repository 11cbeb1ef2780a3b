import { ApiWebhookBody, type InboundMessage } from '@sapa/contracts';
import { ValidationFailed } from '../../errors.js';
import { compileBodyValidator, parseJsonBody } from '../../webhooks/body-validator.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';

const validateBody = compileBodyValidator(ApiWebhookBody);

/** A verified api webhook → the one normalised message it carries (api-contract.md §Generic API channel). */
export function parseApiWebhook(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): InboundMessage[] {
  const body = validateBody(parseJsonBody(request.rawBody));
  const attachments = body.attachments ?? [];
  if (!body.text && attachments.length === 0) {
    throw ValidationFailed('send text, attachments or both', { errors: [{ path: '/text', message: 'text or attachments is required' }] });
  }
  const { id, name, phone, email } = body.from;
  return [
    {
      tenantId: channel.row.tenant_id,
      channelId: channel.row.id,
      channelType: 'api',
      externalMessageId: body.messageId,
      from: { externalId: id, ...(name !== undefined && { name }), ...(phone !== undefined && { phone }), ...(email !== undefined && { email }) },
      ...(body.text !== undefined && { text: body.text }),
      attachments,
      ...(body.timestamp !== undefined && { sentAt: sentAtOf(body.timestamp) }),
      receivedAt: receivedAt.toISOString(),
      ...(body.replyToMessageId !== undefined && { replyToExternalId: body.replyToMessageId }),
    },
  ];
}

/** `timestamp` is unix seconds or ISO 8601; either becomes ISO 8601 in UTC. */
function sentAtOf(timestamp: number | string): string {
  const at = typeof timestamp === 'number' ? new Date(timestamp * 1000) : new Date(timestamp);
  if (Number.isNaN(at.getTime())) {
    throw ValidationFailed('timestamp is out of range', { errors: [{ path: '/timestamp', message: 'not a representable time' }] });
  }
  return at.toISOString();
}
