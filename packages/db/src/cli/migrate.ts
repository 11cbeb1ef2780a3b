#!/usr/bin/env node
import { ensureDatabase, migrateToLatest } from '../migrate.js';

/** `migrate`: creates the database when missing, then runs pending migrations. Compose runs it as a one-shot job. */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/sapa';
try {
  const created = await ensureDatabase(url);
  const applied = await migrateToLatest(url);
  console.log(JSON.stringify({ msg: 'migrated', createdDatabase: created, applied }));
} catch (err) {
  console.error(`migrate failed: ${(err as Error).message}`);
  process.exit(1);
}
