import { sql, type Selectable } from 'kysely';
import type { Conversation, Message } from '../schema.js';
import type { VoiceCallsTable } from '../schemas/voice.js';
import type { Db } from './db-handle.js';
import { withinTenants } from './tenant-scan.js';

/**
 * Queries of the voice channel (migration 0013): call records, the events applied to them, and the conversation of a
 * call. The voice service composes them in one transaction per event, under the tenant's drain lock (below).
 */
export type VoiceCall = Selectable<VoiceCallsTable>;

/**
 * The tenant's drain lock (`sapa_drain_team`, migration 0008), held until commit. A call event moves conversations and
 * agents' voice capacity like a drain or a transfer does, so it takes the same lock first: the lock order stays drain →
 * conversation → agents, and the events of one tenant's calls apply one at a time.
 */
export async function takeTenantDrainLock(db: Db, tenantId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sapa.drain/${tenantId}`}, 0))`.execute(db);
}

export interface AppliedCallEvent {
  channelId: string;
  callId: string;
  event: string;
  agentExtension: string | null;
  source: string;
  at: Date;
}

/**
 * Claims one event of a call: false when it was applied before (the same call, event and extension), so a retried
 * webhook or a replayed AMI session changes nothing. The outcome is filled in by `recordEventOutcome` before commit.
 */
export async function claimCallEvent(db: Db, tenantId: string, e: AppliedCallEvent): Promise<boolean> {
  const row = await db
    .insertInto('voice_call_events')
    .values({
      tenant_id: tenantId,
      channel_id: e.channelId,
      call_id: e.callId,
      event: e.event,
      agent_extension: e.agentExtension ?? '',
      source: e.source,
      at: e.at,
      outcome: 'pending',
    })
    .onConflict((oc) => oc.columns(['channel_id', 'call_id', 'event', 'agent_extension']).doNothing())
    .returning('call_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordEventOutcome(db: Db, e: Pick<AppliedCallEvent, 'channelId' | 'callId' | 'event' | 'agentExtension'>, outcome: string): Promise<void> {
  await db
    .updateTable('voice_call_events')
    .set({ outcome })
    .where('channel_id', '=', e.channelId)
    .where('call_id', '=', e.callId)
    .where('event', '=', e.event)
    .where('agent_extension', '=', e.agentExtension ?? '')
    .execute();
}

/** The call's record, locked for the rest of the transaction; undefined before its first event. */
export function lockCall(db: Db, tenantId: string, channelId: string, callId: string): Promise<VoiceCall | undefined> {
  return db
    .selectFrom('voice_calls')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('call_id', '=', callId)
    .forUpdate()
    .executeTakeFirst();
}

/** What a call record holds after an event; `conversationId` and `agentId` are set by whoever knows them. */
export interface CallRecordWrite {
  status: VoiceCall['status'];
  direction: VoiceCall['direction'];
  caller: string;
  callerName: string | null;
  calledNumber: string | null;
  agentExtension: string | null;
  agentId: string | null;
  conversationId: string | null;
  ringingAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  missedReason: VoiceCall['missed_reason'];
  callback: boolean;
}

/** Writes the call's record, creating it on the call's first event. */
export function saveCall(db: Db, tenantId: string, channelId: string, callId: string, w: CallRecordWrite): Promise<VoiceCall> {
  const values = {
    status: w.status,
    direction: w.direction,
    caller: w.caller,
    caller_name: w.callerName,
    called_number: w.calledNumber,
    agent_extension: w.agentExtension,
    agent_id: w.agentId,
    conversation_id: w.conversationId,
    ringing_at: w.ringingAt,
    answered_at: w.answeredAt,
    ended_at: w.endedAt,
    duration_seconds: w.durationSeconds,
    recording_url: w.recordingUrl,
    missed_reason: w.missedReason,
    callback: w.callback,
  };
  return db
    .insertInto('voice_calls')
    .values({ tenant_id: tenantId, channel_id: channelId, call_id: callId, ...values })
    .onConflict((oc) => oc.constraint('voice_calls_call').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The agent of the tenant whose PBX extension this is (PUT /v1/agents/{id} `{extension}`). */
export async function findAgentByExtension(db: Db, tenantId: string, extension: string): Promise<string | undefined> {
  const row = await db.selectFrom('agents').select('user_id').where('tenant_id', '=', tenantId).where('extension', '=', extension).executeTakeFirst();
  return row?.user_id;
}

/**
 * The caller's contact on this channel, created with its channel identity on the first call. Run under the tenant's
 * drain lock (only the voice service creates identities on voice channels, and it holds that lock), so two events
 * cannot both create one.
 */
export async function voiceContactOf(
  db: Db,
  tenantId: string,
  channelId: string,
  caller: { number: string; name: string | null; phone: string | null },
): Promise<{ id: string; name: string | null }> {
  const known = await db
    .selectFrom('contact_identities as i')
    .innerJoin('contacts as k', 'k.id', 'i.contact_id')
    .select(['k.id', 'k.name'])
    .where('i.tenant_id', '=', tenantId)
    .where('i.channel_id', '=', channelId)
    .where('i.external_id', '=', caller.number)
    .executeTakeFirst();
  if (known) return known;
  const contact = await db
    .insertInto('contacts')
    .values({ tenant_id: tenantId, name: caller.name, phone: caller.phone })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  await db.insertInto('contact_identities').values({ tenant_id: tenantId, contact_id: contact.id, channel_id: channelId, external_id: caller.number }).execute();
  return contact;
}

/** The contact's open conversation on this channel, locked (at most one: index conversations_one_open). */
export function lockOpenConversationOf(db: Db, tenantId: string, channelId: string, contactId: string): Promise<Conversation | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('contact_id', '=', contactId)
    .where('status', '<>', 'closed')
    .forUpdate()
    .executeTakeFirst();
}

/** The team a new conversation of the channel joins: the channel's, else the tenant's default (as sapa_open_inbound). */
export async function teamOfChannel(db: Db, tenantId: string, channelId: string): Promise<string | null> {
  const row = await db
    .selectFrom('channels as ch')
    .select(sql<string | null>`coalesce(ch.team_id, (SELECT t.id FROM teams t WHERE t.tenant_id = ch.tenant_id AND t.is_default LIMIT 1))`.as('team_id'))
    .where('ch.tenant_id', '=', tenantId)
    .where('ch.id', '=', channelId)
    .executeTakeFirst();
  return row?.team_id ?? null;
}

/** A new conversation of a call: held by an agent (`assigneeId`) or waiting in the team's queue (a callback task). */
export function insertVoiceConversation(
  db: Db,
  tenantId: string,
  c: { channelId: string; contactId: string; teamId: string | null; assigneeId: string | null; priority: number },
): Promise<Conversation> {
  const now = new Date();
  return db
    .insertInto('conversations')
    .values({
      tenant_id: tenantId,
      channel_id: c.channelId,
      contact_id: c.contactId,
      team_id: c.teamId,
      kind: 'voice',
      status: c.assigneeId ? 'assigned' : 'queued',
      assignee_id: c.assigneeId,
      assigned_at: c.assigneeId ? now : null,
      priority: c.priority,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Counts a call against the agent's voice capacity. Unlike a drain, not only when there is room: the PBX rang the
 * agent's phone, so the agent is busy whatever Sapa would have chosen, and the counter must say so (the drain then
 * gives the agent no further call). Released by the close of the conversation or by a move to another agent.
 */
export async function holdVoiceCapacity(db: Db, tenantId: string, agentId: string): Promise<void> {
  await db
    .updateTable('agents')
    .set({ active_voice: sql`active_voice + 1`, last_assigned_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', agentId)
    .execute();
}

/** Hands the conversation to the agent holding the call (`assigned`), or back to its team's queue (`queued`). */
export function setCallHolder(db: Db, tenantId: string, conversationId: string, holder: { agentId: string } | { queuedWithPriority: number }): Promise<Conversation> {
  const now = new Date();
  const set =
    'agentId' in holder
      ? { status: 'assigned' as const, assignee_id: holder.agentId, assigned_at: now }
      : { status: 'queued' as const, assignee_id: null, assigned_at: null, queued_at: now, priority: sql<number>`GREATEST(priority, ${holder.queuedWithPriority})` };
  return db
    .updateTable('conversations')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A note of Sapa's in the call's conversation for the agent (incoming call, call ended, callback asked): a system
 * message that is never sent (a voice channel carries no text), so it has no delivery.
 */
export async function insertCallNote(db: Db, tenantId: string, conversation: Pick<Conversation, 'id' | 'channel_id'>, text: string): Promise<Message> {
  const message = await db
    .insertInto('messages')
    .values({
      tenant_id: tenantId,
      conversation_id: conversation.id,
      channel_id: conversation.channel_id,
      direction: 'in',
      author_type: 'system',
      text,
      status: 'received',
      // One event may write several notes (an outbound call joining a callback task and completing it): the clock, not
      // the transaction's start, keeps them in the order written.
      created_at: sql`clock_timestamp()`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.updateTable('conversations').set({ last_message_at: message.created_at }).where('id', '=', conversation.id).execute();
  return message;
}

/** The agent's PBX extension (PUT /v1/agents/{id} `{extension}`), or null when they have none. */
export async function extensionOfAgent(db: Db, tenantId: string, agentId: string): Promise<string | null> {
  const row = await db.selectFrom('agents').select('extension').where('tenant_id', '=', tenantId).where('user_id', '=', agentId).executeTakeFirst();
  return row?.extension ?? null;
}

/**
 * The number to dial for a contact on a voice channel: the number it called from (its identity on the channel), else
 * the contact's phone; undefined when neither is a number (a withheld caller id).
 */
export async function callableNumberOf(db: Db, tenantId: string, channelId: string, contactId: string): Promise<string | undefined> {
  const rows = await db
    .selectFrom('contacts as k')
    .leftJoin('contact_identities as i', (j) => j.onRef('i.contact_id', '=', 'k.id').on('i.channel_id', '=', channelId))
    .select(['i.external_id', 'k.phone'])
    .where('k.tenant_id', '=', tenantId)
    .where('k.id', '=', contactId)
    .execute();
  const candidates = [...rows.map((r) => r.external_id), ...rows.map((r) => r.phone)];
  return candidates.find((n): n is string => typeof n === 'string' && /^\+?[0-9]{4,32}$/.test(n));
}

/** The calls of a conversation, oldest first (a callback task may hold the missed call and the call that answered it). */
export function listCallsOfConversation(db: Db, tenantId: string, conversationId: string): Promise<VoiceCall[]> {
  return db
    .selectFrom('voice_calls')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Voice channels that read calls off Asterisk's AMI, across tenants (or `onlyTenants`): what the voice service connects to. */
export function listAmiChannels(db: Db, onlyTenants?: readonly string[]): Promise<Array<{ id: string; tenant_id: string; config: Record<string, unknown>; secrets_enc: string | null; status: string }>> {
  // The only query without a tenant: it lists the PBX sessions to hold, and each session is scoped to its channel.
  return db
    .selectFrom('channels')
    .select(['id', 'tenant_id', 'config', 'secrets_enc', 'status'])
    .where('type', '=', 'voice')
    .where(sql<string>`config ->> 'provider'`, '=', 'asterisk_ami')
    .where('status', '<>', 'disabled')
    .where(withinTenants(onlyTenants))
    .orderBy('id')
    .execute();
}
