import type { WebSocket } from 'ws';
import { conversationTyping, type InboundMessage, type LivechatClientFrame, type LivechatMessageFrame } from '@sapa/contracts';
import { storedAttachmentUrl } from '@sapa/attachments';
import { quarantineInbound } from '@sapa/db/queries/inbound-quarantine';
import { findChannelAttachments, insertVisitor, latestVisitorConversation, resumeVisitor, visitorTranscript, type LivechatVisitor } from '@sapa/db/queries/livechat';
import { SapaError } from '@sapa/service-kit';
import type { OpenedChannel } from '../channels/channel-adapter.js';
import { acceptInbound } from '../inbound/accept-inbound.js';
import { readClientFrame, type BadFrame } from './client-frames.js';
import { clearLeave, reportLeave } from './leave-rule.js';
import type { LivechatDeps } from './livechat-deps.js';
import { send, type VisitorSocket } from './livechat-hub.js';
import { livechatSettingsOf } from './livechat-config.js';
import { replyToExternalIdOf, transcriptView } from './message-view.js';
import { checkPreChat } from './pre-chat-form.js';
import { hashVisitorToken, newVisitorToken } from './visitor-token.js';
import { takeRate } from './visitor-rate-limit.js';

/** After this many refused frames a socket is closed (1008): a widget does not send them, a script probing does. */
const MAX_BAD_FRAMES = 10;
/** A visitor's "typing" reaches agents at most this often; "stopped typing" always does. */
const TYPING_EVERY_MS = 2000;
const HISTORY_LIMIT = 200;
const HISTORY_OVERLAP_SECONDS = 30;
const CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const CLOSE_POLICY_VIOLATION = 1008;

interface Session {
  entry: VisitorSocket;
  channel: OpenedChannel;
  visitor: LivechatVisitor | null;
  badFrames: number;
  typingSentAt: number;
  /** The client's address (behind a proxy: as the gateway's trustProxy setting sees it), for the start limit. */
  ip: string;
}

/**
 * One visitor socket, `GET /livechat/{channelId}/ws` (origin already checked). The server says hello (brand, pre-chat
 * form, business hours); the widget then sends `start` (pre-chat answers → a new visitor and their token) or `resume`
 * (the token → the transcript since its cursor). Frames are handled one at a time, in order, so a `message` sent right
 * after `resume` finds the session. Every refusal is an `error` frame with a code; the socket stays open.
 */
export function handleVisitorSocket(deps: LivechatDeps, socket: WebSocket, channel: OpenedChannel, ip: string): void {
  const entry = deps.hub.add(socket, channel.row.id);
  const session: Session = { entry, channel, visitor: null, badFrames: 0, typingSentAt: 0, ip };
  const log = deps.logger.child({ tenantId: channel.row.tenant_id, channelId: channel.row.id, socketId: entry.id });
  let queue: Promise<void> = hello(deps, session).catch((err: unknown) => log.warn({ err }, 'could not greet a live chat visitor'));

  // Listeners are attached at once: a frame that arrives while hello is still reading Postgres waits in the queue.
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    queue = queue.then(() =>
      onFrame(deps, session, data, isBinary).catch((err: unknown) => {
        log.error({ err }, 'live chat frame failed');
        send(socket, errorFrame('internal_error', 'something went wrong on our side; send it again'));
      }),
    );
  });
  socket.on('close', () => {
    void queue.then(() => deps.hub.remove(entry)).catch((err: unknown) => log.warn({ err }, 'could not record a live chat socket closing'));
  });
}

async function hello(deps: LivechatDeps, s: Session): Promise<void> {
  const facts = await deps.channelFacts(s.channel.row, deps.now());
  send(s.entry.socket, { type: 'hello', brand: facts.brand, businessHours: facts.businessHours, preChatForm: livechatSettingsOf(s.channel.row).preChatForm });
}

async function onFrame(deps: LivechatDeps, s: Session, data: Buffer, isBinary: boolean): Promise<void> {
  const read = readClientFrame(data, isBinary);
  if (read.kind === 'bad') return refuse(deps, s, read, data);
  if (read.kind === 'message') return onMessage(deps, s, read.frame);
  const frame: LivechatClientFrame = read.frame;
  switch (frame.type) {
    case 'start':
      return onStart(deps, s, frame);
    case 'resume':
      return onResume(deps, s, frame);
    case 'typing':
      return onTyping(deps, s, frame.typing);
    case 'end':
      return onEnd(deps, s);
    case 'ping':
      send(s.entry.socket, { type: 'pong' });
  }
}

async function onStart(deps: LivechatDeps, s: Session, frame: Extract<LivechatClientFrame, { type: 'start' }>): Promise<void> {
  if (s.visitor) return void send(s.entry.socket, errorFrame('session_already_started', 'this socket already has a visitor'));
  const rate = await takeRate(deps.redis, `${deps.prefix}:livechat:rate:start:${s.channel.row.id}:${s.ip}`, deps.rateLimits.start);
  if (!rate.allowed) return void send(s.entry.socket, errorFrame('rate_limited', 'too many new chats from this address; try again later', { retryAfterSeconds: rate.retryAfterSeconds }));
  const check = checkPreChat(livechatSettingsOf(s.channel.row).preChatForm, frame.form);
  if (!check.ok) {
    return void send(s.entry.socket, errorFrame('invalid_pre_chat_form', 'some answers of the form are missing or invalid', { errors: check.errors }));
  }
  const token = newVisitorToken();
  const visitor = await insertVisitor(deps.db, s.channel.row.tenant_id, {
    channelId: s.channel.row.id,
    tokenHash: hashVisitorToken(token),
    ...check.visitor,
    lang: frame.lang ?? 'id',
  });
  await identify(deps, s, visitor);
  send(s.entry.socket, { type: 'session', token, visitor: visitorView(visitor) });
  send(s.entry.socket, { type: 'history', messages: [], cursor: null, conversation: null });
}

async function onResume(deps: LivechatDeps, s: Session, frame: Extract<LivechatClientFrame, { type: 'resume' }>): Promise<void> {
  if (s.visitor) return void send(s.entry.socket, errorFrame('session_already_started', 'this socket already has a visitor'));
  const visitor = await resumeVisitor(deps.db, s.channel.row.id, hashVisitorToken(frame.token));
  if (!visitor) {
    return void send(s.entry.socket, errorFrame('invalid_visitor_token', 'this chat cannot be resumed (unknown or expired token); start a new one'));
  }
  await identify(deps, s, visitor);
  send(s.entry.socket, { type: 'session', visitor: visitorView(visitor) });
  const since = frame.since && CURSOR.test(frame.since) ? frame.since : undefined;
  const { tenant_id: tenantId, id: channelId } = s.channel.row;
  const [lines, conversation] = await Promise.all([
    visitorTranscript(deps.db, tenantId, channelId, visitor.id, { ...(since && { since }), overlapSeconds: HISTORY_OVERLAP_SECONDS, limit: HISTORY_LIMIT }),
    latestVisitorConversation(deps.db, tenantId, channelId, visitor.id),
  ]);
  send(s.entry.socket, {
    type: 'history',
    messages: lines.map((line) => transcriptView(line, visitor.id, deps.linkOf && ((id) => deps.linkOf!(tenantId, id)))),
    cursor: lines.at(-1)?.at ?? since ?? null,
    conversation: conversation ? { id: conversation.id, status: conversation.status } : null,
  });
}

async function onMessage(deps: LivechatDeps, s: Session, frame: LivechatMessageFrame): Promise<void> {
  const visitor = s.visitor;
  if (!visitor) return void send(s.entry.socket, errorFrame('session_required', 'send start or resume first', { id: frame.id }));
  const rate = await takeRate(deps.redis, `${deps.prefix}:livechat:rate:message:${visitor.id}`, deps.rateLimits.message);
  if (!rate.allowed) return void send(s.entry.socket, errorFrame('rate_limited', 'too many messages at once; wait a moment', { id: frame.id, retryAfterSeconds: rate.retryAfterSeconds }));
  const text = frame.text?.trim() ? frame.text : undefined;
  const ids = [...new Set((frame.attachments ?? []).map((a) => a.id.toLowerCase()))];
  if (!text && ids.length === 0) return void send(s.entry.socket, errorFrame('empty_message', 'a message needs text or an uploaded file', { id: frame.id }));
  const { tenant_id: tenantId, id: channelId } = s.channel.row;
  const stored = await findChannelAttachments(deps.db, tenantId, channelId, ids);
  if (stored.length !== ids.length) {
    const missing = ids.filter((id) => !stored.some((a) => a.id === id));
    return void send(s.entry.socket, errorFrame('attachment_not_found', 'upload the file to this chat first', { id: frame.id, missing }));
  }
  const now = deps.now();
  const message: InboundMessage = {
    tenantId,
    channelId,
    channelType: 'livechat',
    // Scoped by the visitor: two visitors' widgets cannot collide on an id, and a resend of the same id is a duplicate.
    externalMessageId: `${visitor.id}/${frame.id}`,
    from: {
      externalId: visitor.id,
      ...(visitor.name && { name: visitor.name }),
      ...(visitor.phone && { phone: visitor.phone }),
      ...(visitor.email && { email: visitor.email }),
    },
    ...(text && { text }),
    // Whether it names a message of this conversation is the router's to find out, as for every channel's quotes.
    ...(frame.replyTo && { replyToExternalId: replyToExternalIdOf(frame.replyTo, visitor.id) }),
    attachments: stored.map((a) => ({
      url: storedAttachmentUrl(a.id),
      contentType: a.content_type,
      ...(a.filename !== null && { filename: a.filename }),
      id: a.id,
      size: Number(a.size),
    })),
    sentAt: now.toISOString(),
    receivedAt: now.toISOString(),
  };
  let status: string;
  try {
    status = (await acceptInbound(deps.accept, message)).status;
  } catch (err) {
    if (!(err instanceof SapaError)) throw err;
    return void send(s.entry.socket, errorFrame(err.code, err.message, { id: frame.id, retryable: true }));
  }
  send(s.entry.socket, { type: 'ack', id: frame.id, status });
  await clearLeave(deps, visitor.id);
  if (status === 'accepted') {
    // The visitor's other tabs show it too; a lost echo is only a tab that learns of it on its next resume.
    const echo = { id: `pending:${frame.id}`, clientId: frame.id, direction: 'in', authorType: 'contact', text: text ?? null, attachments: [], createdAt: now.toISOString() };
    await deps.bus.publish({ visitorId: visitor.id, frame: { type: 'message', message: echo }, skipSocketId: s.entry.id }).catch(() => undefined);
  }
}

async function onTyping(deps: LivechatDeps, s: Session, typing: boolean): Promise<void> {
  const visitor = s.visitor;
  if (!visitor) return void send(s.entry.socket, errorFrame('session_required', 'send start or resume first'));
  const now = Date.now();
  if (typing && now - s.typingSentAt < TYPING_EVERY_MS) return;
  if (!typing && s.typingSentAt === 0) return;
  s.typingSentAt = typing ? now : 0;
  const { tenant_id: tenantId, id: channelId } = s.channel.row;
  const conversation = await latestVisitorConversation(deps.db, tenantId, channelId, visitor.id);
  if (!conversation || conversation.status === 'closed') return;
  await deps.eventBus.publish(
    conversationTyping(tenantId, { ...conversation, channelId, channelType: 'livechat' }, { type: 'contact', name: visitor.name }, typing),
  );
}

async function onEnd(deps: LivechatDeps, s: Session): Promise<void> {
  const visitor = s.visitor;
  if (!visitor) return void send(s.entry.socket, errorFrame('session_required', 'send start or resume first'));
  const outcome = await reportLeave(deps, { tenantId: s.channel.row.tenant_id, channelId: s.channel.row.id, visitorId: visitor.id }, deps.now());
  deps.logger.info({ tenantId: s.channel.row.tenant_id, channelId: s.channel.row.id, outcome }, 'live chat ended by the visitor');
  send(s.entry.socket, { type: 'ended' });
  await deps.bus.publish({ visitorId: visitor.id, frame: { type: 'ended' }, skipSocketId: s.entry.id }).catch(() => undefined);
}

/** Refuses a frame; keeps what may be the visitor's words (quarantine) when it comes from a known visitor. */
async function refuse(deps: LivechatDeps, s: Session, bad: BadFrame, data: Buffer): Promise<void> {
  s.badFrames += 1;
  if (bad.content && s.visitor) {
    await quarantineInbound(deps.db, {
      tenantId: s.channel.row.tenant_id,
      channelId: s.channel.row.id,
      source: 'livechat',
      reason: bad.code,
      payload: data,
      details: { visitorId: s.visitor.id, ...bad.details },
    });
    deps.logger.warn({ tenantId: s.channel.row.tenant_id, channelId: s.channel.row.id, code: bad.code }, 'live chat frame quarantined');
  }
  send(s.entry.socket, errorFrame(bad.code, BAD_FRAME_MESSAGES[bad.code], bad.details));
  if (s.badFrames >= MAX_BAD_FRAMES) s.entry.socket.close(CLOSE_POLICY_VIOLATION, 'too many invalid frames');
}

const BAD_FRAME_MESSAGES: Record<BadFrame['code'], string> = {
  invalid_json: 'frames are JSON text',
  binary_not_accepted: 'send files with POST /livechat/{channelId}/attachments, not over the socket',
  unknown_frame_type: 'type must be one of start, resume, message, typing, end, ping',
  invalid_frame: 'the frame does not have the fields its type needs',
  invalid_message: 'a message frame is {type: "message", id, text?, attachments?: [{id}], replyTo?: {messageId} | {clientId}}',
};

async function identify(deps: LivechatDeps, s: Session, visitor: LivechatVisitor): Promise<void> {
  s.visitor = visitor;
  await deps.hub.identify(s.entry, visitor.id);
}

function visitorView(v: LivechatVisitor) {
  return { id: v.id, name: v.name, lang: v.lang };
}

function errorFrame(code: string, message: string, details?: Record<string, unknown>) {
  return { type: 'error', code, message, ...(details && { details }) };
}
