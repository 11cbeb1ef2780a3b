#!/usr/bin/env node
import { createDb } from '../connect.js';
import { createSecretBox } from '../secret-box.js';
import { DEMO_PASSWORD, seedDemoTenant } from '../seed-demo.js';

/**
 * `seed-demo`: creates the demo tenant of api-contract.md §Defaults when missing (idempotent).
 * `--json` prints the result as one JSON line (the start script reads it), including the demo
 * channel's signing secret: this is a demo tenant, and its integrator needs that secret to sign.
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/sapa';
const secretKey = process.env.SAPA_SECRET_KEY;
if (!secretKey || secretKey.length < 16) {
  console.error('seed-demo: set SAPA_SECRET_KEY (at least 16 characters), the key that seals channel secrets');
  process.exit(1);
}
const db = createDb({ connectionString: url, max: 1 });
try {
  const seed = await seedDemoTenant(db, { secretBox: createSecretBox(secretKey) });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(seed));
  } else {
    console.log(`demo tenant ${seed.tenantId}; users (password ${DEMO_PASSWORD}):`);
    for (const user of Object.values(seed.users)) console.log(`  ${user.email}  [${user.roles.join(', ')}]`);
    console.log(`api channel ${seed.apiChannel.id}, signing secret ${seed.apiChannel.secret}`);
  }
} catch (err) {
  console.error(`seed-demo failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
