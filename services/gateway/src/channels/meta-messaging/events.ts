import { compileBodyValidator, parseJsonBody } from '../../webhooks/body-validator.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { entryIdOf } from './credentials.js';
import { MessagingEvent, MessagingWebhookBody } from './webhook-body.js';

const validateBody = compileBodyValidator(MessagingWebhookBody);
const validateEvent = compileBodyValidator(MessagingEvent);

/** The webhook `object` of each channel type: Messenger's events come as a Page's, Instagram's as its own. */
const OBJECT_OF: Record<string, string> = { messenger: 'page', instagram: 'instagram' };

/**
 * The `messaging` events of a verified body that concern this channel. Meta sends all of an app's Pages (or
 * Instagram accounts) to one callback URL per object, so a body may carry another Page's entries: those are left
 * out here, never taken as this channel's customers, and so is a body of the other object (an Instagram webhook
 * sent to a Messenger channel's URL). Entries of other fields (`changes`) carry no messaging and give none.
 */
export function eventsFor(request: WebhookRequest, channel: OpenedChannel): MessagingEvent[] {
  const body = validateBody(parseJsonBody(request.rawBody));
  if (body.object !== OBJECT_OF[channel.row.type]) return [];
  const entryId = entryIdOf(channel);
  return body.entry
    .filter((entry) => entryId === undefined || entry.id === entryId)
    .flatMap((entry) => entry.messaging ?? [])
    .map((event) => validateEvent(event));
}
