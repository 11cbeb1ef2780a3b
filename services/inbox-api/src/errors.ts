import { defineError } from '@sapa/service-kit';

// Every refusal of the inbox API, declared once with its contract code (api-contract.md §Defaults).
export const InvalidCredentials = defineError('invalid_credentials', 401, 'the email or password is wrong');
export const NotAnAgent = defineError('not_an_agent', 403, 'only users with an agent profile have a presence; ask an admin to add you as an agent');
export const ConversationNotFound = defineError('conversation_not_found', 404, 'no such conversation');
export const ConversationClosed = defineError('conversation_closed', 409, 'the conversation is closed');
export const ConversationNotAssigned = defineError('conversation_not_assigned', 409, 'the conversation waits in the queue; only an assigned one can be put on hold');
export const ChannelCannotSend = defineError('channel_cannot_send', 409, 'this channel type cannot send replies yet');
export const OutsideServiceWindow = defineError(
  'outside_service_window',
  409,
  'the customer last wrote more than 24 hours ago, so WhatsApp delivers only an approved template now: send {template: {name, language, components?}} instead of text',
);
export const InvalidReplyTarget = defineError(
  'invalid_reply_target',
  422,
  'replyToMessageId names no message of this conversation; answer one of the messages GET /v1/conversations/{id}/messages lists',
);
export const TemplateNotSupported = defineError('template_not_supported', 400, 'templates are sent on whatsapp_cloud channels only; reply with text on this channel');
export const TeamNotFound = defineError('team_not_found', 404, 'no such team in this tenant');
export const AgentNotFound = defineError('agent_not_found', 404, 'no such agent in this tenant');
export const AgentAtCapacity = defineError('agent_at_capacity', 409, 'the agent has no free capacity for this conversation');
export const ExtensionTaken = defineError('extension_taken', 409, 'another agent of the tenant has this PBX extension; clear it there first');
export const ChannelCannotCall = defineError(
  'channel_cannot_call',
  409,
  'click-to-call needs a voice channel Sapa reads over AMI (provider asterisk_ami); with a webhook PBX, dial from the softphone: the PBX reports the call with direction outbound',
);
export const NoExtension = defineError('no_extension', 409, 'you have no PBX extension for the PBX to ring first; an admin sets it with PUT /v1/agents/{id} {extension}');
export const NoNumberToCall = defineError('no_number_to_call', 409, 'the customer has no number to dial (a withheld caller id); add a phone to the contact first');
export const ChannelTypeNotSupported = defineError('channel_type_not_supported', 400, 'this channel type cannot be created yet');
export const ChannelNotFound = defineError('channel_not_found', 404, 'no such channel in this tenant');
export const PairingInProgress = defineError('pairing_in_progress', 409, 'the number is pairing or linked already; log it out on the phone first to pair it again');
export const PairingNotSupported = defineError('pairing_not_supported', 409, 'only whatsapp_baileys channels are paired; other types are set up through their config');
export const InvalidChannelConfig = defineError('invalid_channel_config', 400, 'the channel config is not valid for its type');
export const ChannelActivationFailed = defineError(
  'channel_activation_failed',
  502,
  'the channel provider refused to activate the channel (details.description says why); nothing was created',
);
export const DeliveryNotFound = defineError('delivery_not_found', 404, 'no such delivery');
export const DeliveryNotFailed = defineError('delivery_not_failed', 409, 'only a failed delivery can be replayed');
export const InvalidCursor = defineError('invalid_cursor', 400, 'the cursor is not one this API returned; start again without it');
export const ValidationFailed = defineError('validation_failed', 400, 'the body is not valid; details.errors says which fields and why');
export const InvalidCalendar = defineError('invalid_calendar', 400, 'the body is not an iCalendar file (text/calendar, BEGIN:VCALENDAR … END:VCALENDAR)');
export const UnsupportedMediaType = defineError('unsupported_media_type', 415, 'send the calendar as text/calendar');
export const InvalidPhaseTransition = defineError(
  'invalid_phase_transition',
  409,
  'phases move forward one at a time; skipping needs a skipReason, and only other_help → identify_need goes back',
);
export const PlaybookNotFound = defineError('playbook_not_found', 404, 'no such playbook (or version) in this tenant');
export const InvalidPlaybooks = defineError('invalid_playbooks', 400, 'the playbooks are not valid; details.errors names the path of every bad field');
export const ContactNotFound = defineError('contact_not_found', 404, 'no such contact');
export const InvalidPhone = defineError('invalid_phone', 400, 'registeredPhone is not a valid phone number (Indonesian numbers may start with 0)');
export const TicketNotFound = defineError('ticket_not_found', 404, 'no such ticket');
export const TicketClosed = defineError('ticket_closed', 409, 'the ticket is closed; its record can be read, not changed');
export const HopNotAllowed = defineError('hop_not_allowed', 403, 'your role may not make this hop: agent → tier2 → related team → tier2, and tier2 closes');
export const GateNotMet = defineError('gate_not_met', 409, 'a gate of the playbook does not hold; details name the gate and what is missing');
export const ConversationHasNoAgent = defineError('conversation_has_no_agent', 409, 'no agent has handled this conversation yet; QC scores the agent who holds it');
export const NotAnApprover = defineError('not_an_approver', 403, "only whom the gate names (the supervisor team, a team leader) approves it");
export const GateNeedsNoApproval = defineError('gate_needs_no_approval', 400, "the gate has no approval check; record an exception instead if it can be waived");
export const QuarantinedNotFound = defineError('quarantined_not_found', 404, 'no such quarantined item in this tenant');
export const QuarantinedResolved = defineError('quarantined_already_resolved', 409, 'this item was marked resolved already');
