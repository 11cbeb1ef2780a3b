import type { ChannelStatus } from '@sapa/contracts';
/** What creating a channel of one type stores, and what the admin sees once. */
export interface PreparedChannel {
  /** Config without secrets, stored in channels.config and readable by the adapter. */
  config: Record<string, unknown>;
  /** Sealed into channels.secrets_enc; null when the type has none. */
  secrets: Record<string, unknown> | null;
  /** Shown in the creation answer only, never again. */
  secretShownOnce?: string;
  /** The status the channel starts in when not `active` (a WhatsApp number starts `pairing`). */
  status?: ChannelStatus;
}

/** What an activation may need to know about the deployment, beyond the channel itself. */
export interface ActivationContext {
  /** The gateway's base URL as the outside world reaches it (SAPA_PUBLIC_WEBHOOK_URL), without a trailing slash. */
  publicWebhookUrl: string;
  /** Longest wait for the provider to answer. */
  timeoutMs: number;
}

/** One channel type's setup: validates the admin's config (throws `invalid_channel_config`) and splits out secrets. */
export interface ChannelSetup {
  /** The gateway's webhook path segment of the type (`POST /webhooks/<segment>/{channelId}`), when it takes webhooks. */
  webhookSegment?: string;
  prepare(config: Record<string, unknown>): PreparedChannel;
  /**
   * Tells the provider about the new channel (e.g. registers its webhook URL), for types that need it. Runs inside the
   * creation's transaction, after the row has its id and before it commits: a refusal (throw
   * `channel_activation_failed`) leaves no channel behind.
   */
  activate?(channel: PreparedChannel & { id: string }, context: ActivationContext): Promise<void>;
}

/** Where the provider (or the integrator) posts this channel's webhooks: shown in the creation answer. */
export function webhookUrlOf(setup: ChannelSetup, channelId: string, publicWebhookUrl: string): string | undefined {
  return setup.webhookSegment ? `${publicWebhookUrl}/webhooks/${setup.webhookSegment}/${channelId}` : undefined;
}
