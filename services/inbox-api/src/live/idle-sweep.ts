import { markIdleAgentsAway } from '@sapa/db/queries/agents';
import type { InboxApiDeps } from '../deps.js';
import { agentUpdated, publishAll } from './domain-events.js';

export interface IdleSweep {
  /** Stops the timer and waits for a pass under way, so nothing queries a pool being closed. */
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, turns away the online agents whose inbox socket has been silent longer than their tenant's
 * `routing.awayAfterIdleSeconds` (one UPDATE for all tenants) and publishes `agent.updated` for each. Every replica
 * runs it; the UPDATE only matches agents still online, so two replicas never both turn one away.
 */
export function startIdleSweep(deps: Pick<InboxApiDeps, 'db' | 'eventBus' | 'logger'>, intervalMs: number): IdleSweep {
  let running: Promise<void> | undefined;
  const { logger } = deps;
  const pass = async () => {
    const idle = await markIdleAgentsAway(deps.db);
    for (const agent of idle) {
      logger.info({ tenantId: agent.tenantId, userId: agent.userId }, 'agent idle; presence away');
      await publishAll(deps.eventBus, logger, agentUpdated(agent.tenantId, { id: agent.userId, name: agent.name, status: 'away' }, agent.teamIds));
    }
  };
  const timer = setInterval(() => {
    // A pass slower than the interval is not stacked on by the next one.
    if (running) return;
    running = pass()
      .catch((err: unknown) => logger.error({ err }, 'idle sweep failed; the next pass tries again'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
