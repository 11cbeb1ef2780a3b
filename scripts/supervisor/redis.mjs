import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './log.mjs';
import { redisPing, waitUntil } from './probe.mjs';
import { isRunning, own, stopProcess, tailOf } from './processes.mjs';

/**
 * The Redis `npm start` uses: REDIS_URL when set; else the one answering at the default address; else a
 * `redis-server` from the PATH with its AOF under .sapa/redis. AOF with fsync every second and
 * noeviction are the settings under which BullMQ keeps its promises (ARCHITECTURE.md §Guarantees).
 * SAPA_DEV_REDIS_PORT moves the probed (and spawned) port.
 * @returns {Promise<{url: string, source: string, stop: () => Promise<void>}>}
 */
const TETHER = fileURLToPath(new URL('./tethered-process.mjs', import.meta.url));

export async function resolveRedis(sapaDir) {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'REDIS_URL', stop: async () => {} };
  const port = Number(process.env.SAPA_DEV_REDIS_PORT || 6379);
  const url = `redis://127.0.0.1:${port}`;
  const reply = await redisPing('127.0.0.1', port);
  if (reply === '+PONG') return { url, source: 'found', stop: async () => {} };
  if (reply !== null) {
    throw new Error(`something answers on 127.0.0.1:${port} but not as an open Redis (${reply}); set REDIS_URL, or SAPA_DEV_REDIS_PORT to a free port`);
  }
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error(
      `no Redis answers at ${url} and redis-server is not on the PATH: install it (apt-get install redis-server, or brew install redis) or set REDIS_URL`,
    );
  }
  return spawnRedis(sapaDir, port, url);
}

async function spawnRedis(sapaDir, port, url) {
  const dir = join(sapaDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const logFile = join(sapaDir, 'redis.log');
  log.info('no Redis answers: starting redis-server', { port, data: dir, log: logFile });
  const out = openSync(logFile, 'a');
  // Detached: outside the terminal's process group, so Ctrl-C stops it only after the services; tethered,
  // so it stops by itself if this script dies without stopping it.
  const child = fork(
    TETHER,
    ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction', '--save', ''],
    { detached: true, stdio: ['ignore', out, out, 'ipc'] },
  );
  own(child);
  const stop = () => stopProcess(child, { graceMs: 10_000 });
  const up = await waitUntil(async () => !isRunning(child) || (await redisPing('127.0.0.1', port)) === '+PONG', { timeoutMs: 15_000 });
  if (!up || !isRunning(child)) {
    await stop();
    throw new Error(`redis-server failed to start:\n${tailOf(logFile)}\n(full log: ${logFile})`);
  }
  return { url, source: `spawned redis-server, AOF in ${dir}`, stop };
}
