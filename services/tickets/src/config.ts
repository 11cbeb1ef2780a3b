import { Type } from '@sinclair/typebox';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The ticket service's environment: the shared variables plus its own. */
export function ticketsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...BaseConfigSchema,
      /** Health, readiness and metrics only: the ticket service takes its work from queues. */
      TICKETS_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3300 }),
      TICKETS_HOST: Type.String({ default: '127.0.0.1' }),
      /** Handling events processed at once per process; each holds one Postgres connection while it runs. */
      TICKETS_HANDLING_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
      /** Timers acted on at once per process: many come due together (a busy minute), each one short transaction. */
      TICKETS_TIMER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 32 }),
    },
    env,
  );
}
export type TicketsConfig = ReturnType<typeof ticketsConfig>;
