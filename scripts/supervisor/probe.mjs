// "Does something answer there?" — for Postgres and Redis, before deciding to start our own.
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../bootstrap.mjs';

// `pg` is a dependency of @sapa/db, not of the workspace root; resolve it from there.
const pg = createRequire(join(ROOT, 'packages/db/package.json'))('pg');

/** True when a TCP connection to host:port opens within the timeout. */
export function tcpAnswers(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** Connects to the URL's server, on its `postgres` database; resolves to null when it works, else the error. */
export async function pgConnectError(url, timeoutMs = 3000) {
  const target = new URL(url);
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Sends PING over RESP and resolves with the first reply line ("+PONG", "-NOAUTH …"), or null when nothing answers. */
export function redisPing(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const end = reply.indexOf('\r\n');
      if (end >= 0) done(reply.slice(0, end));
    });
    socket.connect(port, host, () => socket.write('PING\r\n'));
  });
}

/** Polls `check` until it returns true or the time is up. */
export async function waitUntil(check, { timeoutMs, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return false;
}
