import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../schema.js';

/** A call of a voice channel (migration 0013): the times, the agent, the recording, and a missed call's callback. */
export interface VoiceCallsTable {
  id: Generated<string>;
  tenant_id: string;
  channel_id: string;
  /** The PBX's id of the call (Asterisk's Linkedid, a webhook's callId). */
  call_id: string;
  conversation_id: string | null;
  status: 'ringing' | 'answered' | 'ended' | 'missed';
  /** Who dialled (migration 0017): the customer, or an agent's extension (a callback). */
  direction: Generated<'inbound' | 'outbound'>;
  /** The customer's number, whichever side dialled. */
  caller: string;
  caller_name: string | null;
  called_number: string | null;
  agent_extension: string | null;
  agent_id: string | null;
  ringing_at: Timestamp | null;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_seconds: number | null;
  recording_url: string | null;
  missed_reason: 'no_answer' | 'abandoned' | 'busy' | 'unavailable' | null;
  callback: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** One call event applied (its key makes a replayed event change nothing), with what applying it did. */
export interface VoiceCallEventsTable {
  tenant_id: string;
  channel_id: string;
  call_id: string;
  event: string;
  agent_extension: Generated<string>;
  source: string;
  at: Timestamp;
  outcome: string;
  applied_at: GeneratedTimestamp;
}

/**
 * The callback task of a conversation (migration 0017): asked by a missed call, done by the first call that reaches
 * the customer; outbound calls nobody answered are counted as attempts. At most one open task per conversation.
 */
export interface VoiceCallbacksTable {
  id: Generated<string>;
  tenant_id: string;
  conversation_id: string;
  /** `closed`: its conversation closed before any call reached the customer. */
  status: Generated<'open' | 'done' | 'closed'>;
  attempts: Generated<number>;
  last_attempt_at: Timestamp | null;
  done_at: Timestamp | null;
  /** The call record (`voice_calls.id`) that reached the customer. */
  done_by_call: string | null;
  closed_at: Timestamp | null;
  /** Who closed the conversation (a user id); null when Sapa did. */
  closed_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Tables of the voice channel (issue 8 item 3): call records and the events applied. Part of `DB` in ../schema.ts. */
export interface VoiceSchema {
  voice_calls: VoiceCallsTable;
  voice_call_events: VoiceCallEventsTable;
  voice_callbacks: VoiceCallbacksTable;
}
