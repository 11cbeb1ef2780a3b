import { afterAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createDb, migrateToLatest } from '@sapa/db';
import { testEnv } from '@sapa/test-support';

describe('migrations', () => {
  const db = createDb({ connectionString: testEnv().databaseUrl, max: 1 });
  afterAll(() => db.destroy());

  it('are applied by global setup, and a second run applies nothing', async () => {
    expect(await migrateToLatest(testEnv().databaseUrl)).toEqual([]);
  });

  it('give every tenant-owned table a tenant_id column', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name NOT IN ('tenants', 'kysely_migration', 'kysely_migration_lock')
        AND table_name NOT IN (SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id')`.execute(db);
    expect(rows).toEqual([]);
  });
});
