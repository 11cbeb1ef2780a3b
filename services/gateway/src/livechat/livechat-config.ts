import { DEFAULT_PRE_CHAT_FORM, type LivechatPreChatForm } from '@sapa/contracts';
import type { Channel } from '@sapa/db';

/** A live chat channel's config as stored (validated by the inbox API when the channel was made), defaults filled in. */
export interface LivechatSettings {
  allowedOrigins: readonly string[];
  preChatForm: LivechatPreChatForm;
}

export function livechatSettingsOf(row: Pick<Channel, 'config'>): LivechatSettings {
  const config = (row.config ?? {}) as { allowedOrigins?: unknown; preChatForm?: LivechatPreChatForm };
  const allowedOrigins = Array.isArray(config.allowedOrigins) ? config.allowedOrigins.filter((o): o is string => typeof o === 'string') : [];
  return { allowedOrigins, preChatForm: config.preChatForm ?? DEFAULT_PRE_CHAT_FORM };
}
