/** What the outbound worker of one replica does with a delivery of a WhatsApp number. */
export type Route =
  /** This replica holds the number and its connection is open. */
  | 'send'
  /** Another replica holds it, or it is reconnecting: back in the queue shortly, without spending an attempt. */
  | 'defer'
  /** Waited long enough for the number to come back: spend an attempt (retries with backoff, then `failed`). */
  | 'attempt_failed'
  /** The number is logged out, banned or disabled: no replica will send it until an admin acts. */
  | 'refuse';

export interface RouteInput {
  /** This replica's session of the number, if it holds it. */
  session: { isConnected: boolean } | undefined;
  /** channels.status of the number. */
  channelStatus: string;
  /** How long the job has existed. */
  jobAgeMs: number;
  /** How long a delivery may wait for its number to be held and connected before attempts are spent (default 5 min). */
  maxWaitMs: number;
}

/**
 * Only the lease holder sends (one replica per number), but every replica's worker takes jobs from the one
 * `outbound.whatsapp_baileys` queue: a job that lands on a replica not holding the number goes back and is picked up
 * again, soon by the holder. Pure, so the whole rule is a table test.
 */
export function routeDelivery(input: RouteInput): Route {
  if (input.session?.isConnected) return 'send';
  if (input.channelStatus !== 'active' && input.channelStatus !== 'pairing') return 'refuse';
  return input.jobAgeMs > input.maxWaitMs ? 'attempt_failed' : 'defer';
}
