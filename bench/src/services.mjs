import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './stats.mjs';

const alive = new Set();
// Whatever happens to the bench, no service it started outlives it.
process.on('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a built service (`services/<name>/dist/main.js`) as a child process and waits until its /readyz
 * answers 200. `nodeArgs` lets the bench profile it (`--cpu-prof`). The last lines of its output are kept for
 * the error message if it dies.
 */
export async function startService(root, name, { env, port, nodeArgs = [] }) {
  const entry = join(root, 'services', name, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (pnpm build)`);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  const tail = [];
  const keep = (chunk) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 30));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => {
    alive.delete(child);
    exited = { code, signal };
  });
  const service = {
    name,
    pid: child.pid,
    port,
    get exited() {
      return exited;
    },
    output: () => tail.join('\n'),
    /** SIGTERM (graceful: profiles are written on a clean exit), SIGKILL after `graceMs`. */
    async stop(graceMs = 10_000) {
      if (exited) return exited;
      const done = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await done;
      clearTimeout(timer);
      return result;
    },
  };
  await waitReady(service);
  return service;
}

async function waitReady(service, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.exited) throw new Error(`${service.name} exited (${JSON.stringify(service.exited)}):\n${service.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  await service.stop(1000);
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s:\n${service.output()}`);
}
