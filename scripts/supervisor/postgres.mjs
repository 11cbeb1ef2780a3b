import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './log.mjs';
import { pgConnectError, tcpAnswers } from './probe.mjs';
import { own, stopProcess, tailOf } from './processes.mjs';

const HELPER = fileURLToPath(new URL('./embedded-postgres-process.mjs', import.meta.url));

/**
 * The Postgres `npm start` uses (api-contract.md §Configuration): DATABASE_URL when set; else the one
 * answering at the default address; else an embedded Postgres with its data under .sapa/pg.
 * SAPA_DEV_PG_PORT moves the probed (and embedded) port, for a machine whose 5432 is taken.
 * @returns {Promise<{url: string, display: string, source: string, stop: () => Promise<void>}>}
 */
export async function resolvePostgres(sapaDir) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, display: redact(process.env.DATABASE_URL), source: 'DATABASE_URL', stop: async () => {} };
  }
  const port = Number(process.env.SAPA_DEV_PG_PORT || 5432);
  const url = `postgres://postgres@127.0.0.1:${port}/sapa`;
  const passwordFile = join(sapaDir, 'pg.password');
  if (await tcpAnswers('127.0.0.1', port)) {
    const refused = await pgConnectError(url);
    if (!refused) return { url, display: url, source: 'found', stop: async () => {} };
    // Perhaps our own embedded Postgres, left running by a start that was killed hard.
    if (existsSync(passwordFile)) {
      const ours = withPassword(url, readFileSync(passwordFile, 'utf8').trim());
      if (!(await pgConnectError(ours))) return { url: ours, display: redact(ours), source: 'found (embedded, still running)', stop: async () => {} };
    }
    throw new Error(
      `something answers on 127.0.0.1:${port} but refuses ${url} (${refused.message}); ` +
        'set DATABASE_URL to a Postgres that Sapa may use, or SAPA_DEV_PG_PORT to a free port for the embedded one',
    );
  }
  return startEmbedded(sapaDir, port, url, passwordFile);
}

async function startEmbedded(sapaDir, port, url, passwordFile) {
  const dataDir = join(sapaDir, 'pg');
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) writeFileSync(passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  else if (!existsSync(passwordFile)) {
    throw new Error(`${passwordFile} is missing, so the embedded Postgres in ${dataDir} cannot be opened; delete ${dataDir} to start afresh`);
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const logFile = join(sapaDir, 'postgres.log');
  log.info(initialised ? 'starting embedded Postgres' : 'no Postgres answers: creating an embedded one (first time only, a few seconds)', {
    port,
    data: dataDir,
    log: logFile,
  });
  const out = openSync(logFile, 'a');
  const child = fork(HELPER, [], {
    detached: true,
    stdio: ['ignore', out, out, 'ipc'],
    env: { ...process.env, SAPA_PG_DATA_DIR: dataDir, SAPA_PG_PORT: String(port), SAPA_PG_PASSWORD: password },
  });
  own(child);
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: 'did not start within 120 s' }), 120_000);
    child.on('message', (msg) => {
      if (msg.ready || msg.error) {
        clearTimeout(timer);
        resolve(msg);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ error: `exited with ${code} while starting` });
    });
  });
  const stop = async () => {
    await stopProcess(child, { graceMs: 20_000 });
  };
  if (outcome.error) {
    await stop();
    throw new Error(`embedded Postgres failed: ${outcome.error}\n${tailOf(logFile)}\n(full log: ${logFile})`);
  }
  const full = withPassword(url, password);
  return { url: full, display: redact(full), source: `embedded, data in ${dataDir}`, stop };
}

function withPassword(url, password) {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
