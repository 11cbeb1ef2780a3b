/** What creating a channel of one type stores, and what the admin sees once. */
export interface PreparedChannel {
  /** Config without secrets, stored in channels.config and readable by the adapter. */
  config: Record<string, unknown>;
  /** Sealed into channels.secrets_enc; null when the type has none. */
  secrets: Record<string, unknown> | null;
  /** Shown in the creation answer only, never again. */
  secretShownOnce?: string;
}

/** One channel type's setup: validates the admin's config (throws `invalid_channel_config`) and splits out secrets. */
export interface ChannelSetup {
  prepare(config: Record<string, unknown>): PreparedChannel;
}
