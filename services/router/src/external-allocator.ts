import type { Kysely } from 'kysely';
import { Counter } from 'prom-client';
import { signPayload } from '@sapa/contracts';
import type { Conversation, DB, SecretBox, TeamAllocator } from '@sapa/db';
import { agentsWithRoom, type AllocatorCandidate } from '@sapa/db/queries/agents';
import { findTeam } from '@sapa/db/queries/teams';
import { createTtlCache, type Logger, type Metrics } from '@sapa/service-kit';
import type { Allocators } from './assign-conversation.js';

/** Why the built-in strategy decided instead of the allocator: counted in `sapa_allocator_fallbacks_total`. */
export type FallbackReason = 'timeout' | 'error' | 'invalid_answer' | 'unsuitable' | 'no_secret_key';

export interface AllocatorDeps {
  db: Kysely<DB>;
  /** Opens the allocator's sealed secret; without it, teams with an allocator route by their strategy. */
  secretBox?: SecretBox;
  logger: Logger;
  metrics: Metrics;
  ttlMs: number;
}

/**
 * Integrators' allocators (issue 6 item 5): for a team that names one, the head of its queue and the agents with room
 * are POSTed to the allocator, signed like the API channel's callbacks, and the `{agentId}` it answers within the
 * team's deadline (default 500 ms) is preferred — if that agent is suitable, which the drain checks as for any
 * choice. A timeout, an error, a malformed answer or an unsuitable agent leaves the choice to the team's strategy
 * and is counted, so ops see an allocator that keeps failing.
 */
export function externalAllocators(deps: AllocatorDeps): Allocators {
  const fallbacks = counter(deps.metrics, 'sapa_allocator_fallbacks_total', 'Assignments the team strategy made because the allocator did not answer usefully', ['reason']);
  const answered = counter(deps.metrics, 'sapa_allocator_answers_total', 'Allocator answers that named an agent', []);
  const allocatorOf = createTtlCache(async (key) => {
    const [tenantId, teamId] = key.split('/') as [string, string];
    return (await findTeam(deps.db, tenantId, teamId))?.allocator ?? null;
  }, deps.ttlMs);
  let warned = false;
  const fellBack = (reason: FallbackReason, extra: Record<string, unknown> = {}) => {
    fallbacks.inc({ reason });
    deps.logger.warn({ reason, ...extra }, 'allocator fell back to the team strategy');
  };

  return {
    async forTeam(tenantId, teamId) {
      const allocator = await allocatorOf.get(`${tenantId}/${teamId}`);
      if (!allocator) return null;
      if (!deps.secretBox) {
        if (!warned) deps.logger.warn({ tenantId, teamId }, 'a team names an allocator but this router has no SAPA_SECRET_KEY to sign with');
        warned = true;
        fellBack('no_secret_key', { tenantId, teamId });
        return null;
      }
      const secret = deps.secretBox.open<string>(allocator.secretEnc);
      return async (head) => {
        const candidates = await agentsWithRoom(deps.db, tenantId, teamId, head.kind);
        // Nobody has room: there is nothing to choose, and the drain will find so itself.
        if (candidates.length === 0) return null;
        const answer = await askAllocator(allocator, secret, { tenantId, teamId, conversation: conversationFacts(head), candidates });
        if (typeof answer !== 'string') {
          fellBack(answer.fallback, { tenantId, teamId, conversationId: head.id });
          return null;
        }
        answered.inc();
        return answer;
      };
    },
    unsuitable(tenantId, teamId, conversationId, agentId) {
      fellBack('unsuitable', { tenantId, teamId, conversationId, agentId });
    },
  };
}

function conversationFacts(c: Conversation) {
  return {
    id: c.id,
    channelId: c.channel_id,
    contactId: c.contact_id,
    kind: c.kind,
    priority: c.priority,
    requiredSkills: c.required_skills ?? {},
    language: c.language,
    routingRule: c.routing_rule,
    queuedAt: c.queued_at.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One signed POST with the team's deadline; the agent id it answers, or why not. */
export async function askAllocator(
  allocator: TeamAllocator,
  secret: string,
  body: { tenantId: string; teamId: string; conversation: ReturnType<typeof conversationFacts>; candidates: AllocatorCandidate[] },
): Promise<string | { fallback: Exclude<FallbackReason, 'unsuitable' | 'no_secret_key'> }> {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(allocator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sapa-timestamp': String(timestamp), 'x-sapa-signature': signPayload(secret, timestamp, raw) },
      body: raw,
      signal: AbortSignal.timeout(allocator.timeoutMs),
    });
    if (!res.ok) return { fallback: 'error' };
    const answer = (await res.json()) as { agentId?: unknown };
    return typeof answer.agentId === 'string' && UUID.test(answer.agentId) ? answer.agentId.toLowerCase() : { fallback: 'invalid_answer' };
  } catch (err) {
    const name = (err as Error).name;
    return { fallback: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : name === 'SyntaxError' ? 'invalid_answer' : 'error' };
  }
}

function counter(metrics: Metrics, name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = metrics.registry.getSingleMetric(name);
  return (existing as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [metrics.registry] });
}
