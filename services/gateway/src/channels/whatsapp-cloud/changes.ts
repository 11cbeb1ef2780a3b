import { compileBodyValidator, parseJsonBody } from '../../webhooks/body-validator.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { phoneNumberIdOf } from './credentials.js';
import { WhatsappChangeValue, WhatsappWebhookBody } from './webhook-body.js';

const validateBody = compileBodyValidator(WhatsappWebhookBody);
const validateValue = compileBodyValidator(WhatsappChangeValue);

/**
 * The `messages` changes of a verified body that concern this channel's number. Meta sends a whole app's webhooks
 * to one callback URL, so a body may carry another number's changes (another channel, or one Sapa does not serve):
 * those are left out here, never taken as this channel's customers. Other fields (account updates) carry no messages.
 */
export function changesFor(request: WebhookRequest, channel: OpenedChannel): WhatsappChangeValue[] {
  const body = validateBody(parseJsonBody(request.rawBody));
  const phoneNumberId = phoneNumberIdOf(channel);
  return body.entry
    .flatMap((entry) => entry.changes)
    .filter((change) => change.field === 'messages')
    .map((change) => validateValue(change.value))
    .filter((value) => value.metadata.phone_number_id === phoneNumberId);
}
