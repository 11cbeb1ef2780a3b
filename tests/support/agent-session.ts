import { expect } from '@jest/globals';
import type { TestUser } from './fixtures.js';
import { waitFor } from './stack.js';
import type { Stack } from './use-stack.js';

export interface LiveFrame {
  type: string;
  data: Record<string, unknown>;
}

/** An agent at work as their browser is: online, watching the live stream, answering through the inbox API. */
export interface AgentSession {
  agent: TestUser;
  /** Every frame of the agent's live stream so far. */
  frames: LiveFrame[];
  /** Waits for the router to assign a conversation to this agent; answers the frame's conversation. */
  assignment(): Promise<Record<string, unknown> & { id: string }>;
  /** Replies in a conversation (201) and waits until the channel has sent it; answers the created message. */
  reply(conversationId: string, message: Record<string, unknown>): Promise<{ id: string }>;
  /** Waits until a `message.updated` frame moves `messageId` to `status`. */
  sawStatus(messageId: string, status: string): Promise<void>;
  /** The conversation's messages as the inbox shows them, oldest first. */
  transcript(conversationId: string): Promise<Array<Record<string, unknown>>>;
  close(): void;
}

/** `agent` sets presence online (200 `{status: 'online'}`) and opens the live stream, as the inbox page does. */
export async function goOnline(stack: Stack, agent: TestUser): Promise<AgentSession> {
  const presence = await stack.api('PUT', '/v1/agents/me/presence', agent.token, { status: 'online' });
  expect([presence.status, presence.body]).toEqual([200, { status: 'online' }]);
  const live = await stack.stream(agent.token);
  const session: AgentSession = {
    agent,
    frames: live.frames,
    async assignment() {
      const assigned = await waitFor(() => live.frames.find((f) => f.type === 'conversation.assigned'));
      expect(assigned.data).toMatchObject({ assigneeId: agent.id, status: 'assigned' });
      return assigned.data as Record<string, unknown> & { id: string };
    },
    async reply(conversationId, message) {
      const res = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, message);
      expect(res.status).toBe(201);
      await session.sawStatus(res.body.id, 'sent');
      return res.body;
    },
    async sawStatus(messageId, status) {
      await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === messageId && f.data.status === status));
    },
    async transcript(conversationId) {
      return (await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token)).body.items;
    },
    close: live.close,
  };
  return session;
}
