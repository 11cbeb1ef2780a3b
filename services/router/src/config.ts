import { Type } from '@sinclair/typebox';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The router's environment: the shared variables plus its own. */
export function routerConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...BaseConfigSchema,
      /** Health, readiness and metrics only: the router takes its work from queues. */
      ROUTER_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3200 }),
      ROUTER_HOST: Type.String({ default: '127.0.0.1' }),
      /** Inbound jobs processed at once per process; each holds one Postgres connection while it runs. */
      ROUTER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 32 }),
      /** How often queued conversations are re-checked against free agents, as a safety net behind drain jobs. */
      ROUTER_SWEEP_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
    },
    env,
  );
}
export type RouterConfig = ReturnType<typeof routerConfig>;
