import type { ConversationDto } from '@sapa/contracts';
import { toConversationDto as rowToConversationDto } from '@sapa/db';
import type { ConversationView } from '@sapa/db/queries/conversation-views';

/** The contract's Conversation from the inbox's read model (the row with contact name and channel type joined). */
export function toConversationDto(view: ConversationView): ConversationDto {
  return rowToConversationDto(view, { id: view.contact_id, name: view.contact_name }, view.channel_type);
}
