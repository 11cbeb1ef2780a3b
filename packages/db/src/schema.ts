import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AttachmentsSchema } from './schemas/attachments.js';
import type { WhatsappSchema } from './schemas/whatsapp.js';
import type { EmailSchema } from './schemas/email.js';
import type { LivechatSchema } from './schemas/livechat.js';
import type { VoiceSchema } from './schemas/voice.js';
import type { QuarantineSchema } from './schemas/inbound-quarantine.js';

/** A timestamp: read as Date, written as Date or ISO string, defaulted by Postgres where Generated. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T> = ColumnType<T, string, string>;

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  is_active: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface AuthTokensTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  kind: 'session' | 'api';
  name: string | null;
  roles: string[] | null;
  token_hash: string;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface TeamsTable {
  id: Generated<string>;
  tenant_id: string;
  key: string;
  name: string;
  is_default: Generated<boolean>;
  /** Weekly opening hours (`BusinessHours` of @sapa/contracts), in the tenant's time zone. */
  business_hours: ColumnType<Record<string, Array<{ from: string; to: string }>>, string | undefined, string>;
  strategy: Generated<'least_busy' | 'round_robin' | 'skills_weighted'>;
  /** The team's external allocator, its secret sealed with SAPA_SECRET_KEY. */
  allocator: ColumnType<TeamAllocator | null, string | null | undefined, string | null>;
  created_at: GeneratedTimestamp;
}

export interface TeamAllocator {
  url: string;
  timeoutMs: number;
  secretEnc: string;
}

export interface TeamMembersTable {
  tenant_id: string;
  team_id: string;
  user_id: string;
  is_leader: Generated<boolean>;
}

export interface AgentsTable {
  user_id: string;
  tenant_id: string;
  presence: Generated<'online' | 'away' | 'offline'>;
  presence_changed_at: GeneratedTimestamp;
  capacity_chat: Generated<number>;
  capacity_email: Generated<number>;
  capacity_voice: Generated<number>;
  active_chat: Generated<number>;
  active_email: Generated<number>;
  active_voice: Generated<number>;
  last_assigned_at: Timestamp | null;
  /** Skill key → level 1..5. */
  skills: ColumnType<Record<string, number>, string | undefined, string>;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  last_seen_at: Timestamp | null;
  /** The agent's PBX extension (migration 0013_voice); call events naming it are the agent's calls. */
  extension: string | null;
}

export interface ChannelsTable {
  id: Generated<string>;
  tenant_id: string;
  type: string;
  name: string;
  team_id: string | null;
  status: Generated<string>;
  config: Json<Record<string, unknown>>;
  secrets_enc: string | null;
  created_at: GeneratedTimestamp;
}

export interface ContactsTable {
  id: Generated<string>;
  tenant_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ContactIdentitiesTable {
  id: Generated<string>;
  tenant_id: string;
  contact_id: string;
  channel_id: string;
  external_id: string;
  created_at: GeneratedTimestamp;
}

export interface ConversationsTable {
  id: Generated<string>;
  tenant_id: string;
  channel_id: string;
  contact_id: string;
  team_id: string | null;
  assignee_id: string | null;
  kind: 'chat' | 'email' | 'voice';
  status: Generated<'queued' | 'assigned' | 'on_hold' | 'closed'>;
  priority: Generated<number>;
  phase: Generated<string>;
  close_reason: string | null;
  queued_at: GeneratedTimestamp;
  assigned_at: Timestamp | null;
  last_message_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  closed_at: Timestamp | null;
  /** Sequence of the inactivity timers in force; a fired timer with another seq is stale. */
  nudge_seq: Generated<number>;
  last_agent_message_at: Timestamp | null;
  last_contact_message_at: Timestamp | null;
  /** Skill key → the least level an agent needs. */
  required_skills: ColumnType<Record<string, number>, string | undefined, string>;
  language: string | null;
  routing_rule: string | null;
  reassign_count: Generated<number>;
  response_step: Generated<number>;
  passed_over: ColumnType<string[], string[] | undefined, string[]>;
  waiting_notice: 'out_of_hours' | 'queue_position' | null;
}

export interface MessagesTable {
  id: Generated<string>;
  tenant_id: string;
  conversation_id: string;
  channel_id: string;
  direction: 'in' | 'out';
  author_type: 'contact' | 'agent' | 'system';
  author_id: string | null;
  text: string | null;
  attachments: ColumnType<Array<{ url: string; contentType: string; filename?: string; id?: string; size?: number; error?: string }>, string | undefined, string>;
  status: string;
  external_id: string | null;
  sent_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  /** The message of the same conversation this one answers (a quoted reply; migration 0016), or null. */
  reply_to_message_id: string | null;
}

export interface AssignmentsTable {
  id: Generated<string>;
  tenant_id: string;
  conversation_id: string;
  action: 'assigned' | 'unassigned' | 'transferred' | 'queued' | 'closed' | 'held' | 'resumed' | 'alerted' | 'escalated';
  agent_id: string | null;
  team_id: string | null;
  actor_id: string | null;
  reason: string | null;
  created_at: GeneratedTimestamp;
}

export interface DeliveriesTable {
  id: Generated<string>;
  tenant_id: string;
  message_id: string;
  conversation_id: string;
  channel_id: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  replays: Generated<number>;
  last_error: string | null;
  /** Calls of a multi-part reply the channel already took (migration 0015): a retry sends only the rest. */
  parts_sent: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  tenant_id: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: GeneratedTimestamp;
}

export interface TenantHolidaysTable {
  tenant_id: string;
  /** `YYYY-MM-DD`: read as a string (see connect.ts), never shifted by a time zone. */
  date: string;
  name: string;
  kind: 'national' | 'collective_leave';
}

export interface ConversationPhasesTable {
  id: Generated<string>;
  tenant_id: string;
  conversation_id: string;
  phase: string;
  skipped: Generated<boolean>;
  skip_reason: string | null;
  actor_id: string | null;
  created_at: GeneratedTimestamp;
}

export interface PlaybookVersionsTable {
  tenant_id: string;
  key: string;
  version: number;
  group: string;
  title: string;
  /** The whole playbook as `@sapa/handling` validates it. */
  body: ColumnType<Record<string, unknown>, string, string>;
  published_by: string | null;
  published_at: GeneratedTimestamp;
}

export interface TicketCountersTable {
  tenant_id: string;
  year: number;
  last: Generated<number>;
}

export interface TicketsTable {
  id: Generated<string>;
  tenant_id: string;
  number: string;
  conversation_id: string | null;
  contact_id: string | null;
  playbook_key: string;
  playbook_version: number;
  status: Generated<'open' | 'dispatched' | 'pending_customer' | 'resolved' | 'closed'>;
  team: string | null;
  owner_id: string | null;
  fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  checked: ColumnType<string[], string[] | undefined, string[]>;
  outcome: string | null;
  resolution: string | null;
  due_at: Timestamp | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  closed_at: Timestamp | null;
  breached_at: Timestamp | null;
  sla_paused_at: Timestamp | null;
  sla_paused_ms: Generated<number>;
}

export interface RoutingRulesTable {
  id: Generated<string>;
  tenant_id: string;
  position: number;
  key: string;
  rule: ColumnType<Record<string, unknown>, string, string>;
  created_at: GeneratedTimestamp;
}

export interface TicketTimersTable {
  id: Generated<string>;
  tenant_id: string;
  ticket_id: string;
  key: string;
  repeat: Generated<number>;
  kind: 'due' | 'reminder';
  fire_at: Timestamp;
  fired_at: Timestamp | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: GeneratedTimestamp;
}

export interface TicketEventsTable {
  id: Generated<string>;
  tenant_id: string;
  ticket_id: string;
  kind: string;
  actor_id: string | null;
  actor_roles: ColumnType<string[], string[] | undefined, string[]>;
  from_team: string | null;
  to_team: string | null;
  gate: string | null;
  text: string | null;
  due_at: Timestamp | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: GeneratedTimestamp;
}

export interface QcScoresTable {
  id: Generated<string>;
  tenant_id: string;
  conversation_id: string;
  agent_id: string | null;
  scorer_id: string;
  criteria: ColumnType<Record<string, number>, string, string>;
  /** numeric arrives as a string from pg; the query module converts it. */
  total: ColumnType<string, number, number>;
  note: string | null;
  created_at: GeneratedTimestamp;
}

/** The whole database as Kysely sees it; the channel areas keep their tables in ./schemas/. */
export interface DB extends AttachmentsSchema, WhatsappSchema, EmailSchema, LivechatSchema, VoiceSchema, QuarantineSchema {
  tenants: TenantsTable;
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  agents: AgentsTable;
  channels: ChannelsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  assignments: AssignmentsTable;
  deliveries: DeliveriesTable;
  audit_log: AuditLogTable;
  tenant_holidays: TenantHolidaysTable;
  conversation_phases: ConversationPhasesTable;
  playbook_versions: PlaybookVersionsTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_timers: TicketTimersTable;
  routing_rules: RoutingRulesTable;
  qc_scores: QcScoresTable;
}

export type Conversation = Selectable<ConversationsTable>;
export type Message = Selectable<MessagesTable>;
export type Channel = Selectable<ChannelsTable>;
export type Agent = Selectable<AgentsTable>;
export type User = Selectable<UsersTable>;
export type Contact = Selectable<ContactsTable>;
export type Team = Selectable<TeamsTable>;
export type Delivery = Selectable<DeliveriesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type ConversationUpdate = Updateable<ConversationsTable>;
