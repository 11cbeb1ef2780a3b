#!/usr/bin/env node
// `npm start`: from a fresh clone to a running Sapa. Installs and builds (pnpm brought in by
// bootstrap.mjs), finds Postgres and Redis or starts its own under ./.sapa/, migrates, seeds the demo
// tenant (idempotent), then runs gateway, router, inbox-api, tickets, whatsapp (Baileys), email and voice under one
// supervisor until Ctrl-C.
// `--skip-build` skips install and build (when dist/ is fresh).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, ROOT, run } from './bootstrap.mjs';
import { printBanner } from './supervisor/banner.mjs';
import { log } from './supervisor/log.mjs';
import { resolvePostgres } from './supervisor/postgres.mjs';
import { waitUntil } from './supervisor/probe.mjs';
import { resolveRedis } from './supervisor/redis.mjs';
import { readOrCreateSecretKey } from './supervisor/secret-key.mjs';
import { superviseServices } from './supervisor/supervise.mjs';

const SAPA_DIR = join(ROOT, '.sapa');
const MIGRATE = join(ROOT, 'packages/db/dist/cli/migrate.js');
const SEED = join(ROOT, 'packages/db/dist/cli/seed-demo.js');
const SERVICES = ['gateway', 'router', 'inbox-api', 'tickets', 'whatsapp', 'email', 'voice'].map((name) => ({ name, script: join(ROOT, 'services', name, 'dist/main.js') }));

/** Infrastructure this run started, stopped last-started-first after the services. */
const stops = [];
let services;
let shuttingDown;

function shutdown(code) {
  shuttingDown ??= (async () => {
    if (services) await services.stop();
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log.error(`stopping: ${err.message}`);
      }
    }
    log.info('stopped');
    process.exit(code);
  })();
  return shuttingDown;
}

// A second Ctrl-C forces; one that comes within a second of the first is the same keypress relayed
// (npm passes signals on to this script too). SIGHUP, the terminal going away, stops cleanly and never forces.
let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!shuttingDown) {
      firstSignalAt = Date.now();
      log.info(`${signal}: stopping the services (Ctrl-C again to force)`);
      void shutdown(0);
    } else if (signal !== 'SIGHUP' && Date.now() - firstSignalAt > 1000) {
      log.warn('second signal: killing the services now');
      void services?.stop({ force: true });
    }
  });
}

try {
  if (!process.argv.includes('--skip-build')) await bootstrap();
  for (const file of [MIGRATE, SEED, ...SERVICES.map((s) => s.script)]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run without --skip-build (the build makes it)`);
  }
  mkdirSync(SAPA_DIR, { recursive: true });
  // The embedded Postgres runs as the `postgres` user when we are root; it must reach .sapa/pg.
  if (process.getuid?.() === 0) chmodSync(SAPA_DIR, 0o755);

  const postgres = await resolvePostgres(SAPA_DIR);
  stops.push(postgres.stop);
  log.info('Postgres', { url: postgres.display, source: postgres.source });
  const redis = await resolveRedis(SAPA_DIR);
  stops.push(redis.stop);
  log.info('Redis', { url: redis.url, source: redis.source });
  const secretKey = process.env.SAPA_SECRET_KEY || readOrCreateSecretKey(join(SAPA_DIR, 'secret.key'));
  const env = {
    ...process.env,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    SAPA_SECRET_KEY: secretKey,
    // Gateway, inbox API, email and WhatsApp services read and write the same files: one absolute folder for all.
    SAPA_ATTACHMENTS_DIR: process.env.SAPA_ATTACHMENTS_DIR || join(SAPA_DIR, 'attachments'),
  };

  await run(process.execPath, [MIGRATE], { env });
  const seed = process.env.SAPA_SEED_DEMO === 'false' ? undefined : await seedDemo(env);
  if (shuttingDown) await shuttingDown;

  services = superviseServices(SERVICES, { env, cwd: ROOT, onGiveUp: () => void shutdown(1) });
  const inboxUrl = `http://127.0.0.1:${env.INBOX_PORT || 3000}`;
  const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT || 3100}`;
  const routerUrl = `http://127.0.0.1:${env.ROUTER_PORT || 3200}`;
  const ticketsUrl = `http://127.0.0.1:${env.TICKETS_PORT || 3300}`;
  const healthy = await waitUntil(async () => (await answers(`${inboxUrl}/healthz`)) && (await answers(`${gatewayUrl}/healthz`)), {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  if (!shuttingDown) {
    if (!healthy) log.warn('inbox API or gateway not healthy after 60 s; see their logs above');
    printBanner({ inboxUrl, gatewayUrl, routerUrl, ticketsUrl, postgres, redis, seed });
  }
} catch (err) {
  // A step that failed because Ctrl-C reached it too (migrate, the build) is no error of its own.
  if (!shuttingDown) log.error(err.message);
  await shutdown(1);
}

/** Runs the demo seed and reads its one-line JSON result (tenant, users, api channel with its secret). */
function seedDemo(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEED, '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`demo seed failed (exit ${code})`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error('demo seed printed no result'));
      }
    });
  });
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
