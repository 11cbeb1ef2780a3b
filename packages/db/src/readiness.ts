import { sql, type Kysely } from 'kysely';

/**
 * What `/readyz` of every service checks (api-contract.md §Configuration): Postgres and Redis answer.
 * Shaped as service-kit's `ReadinessCheck[]`; Redis is taken structurally so this package needs no client.
 */
export function readinessChecks(db: Kysely<any>, redis: { ping(): Promise<unknown> }) {
  return [
    { name: 'postgres', check: () => sql`SELECT 1`.execute(db) },
    { name: 'redis', check: () => redis.ping() },
  ];
}
