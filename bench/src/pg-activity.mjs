import pg from 'pg';

/**
 * Samples pg_stat_activity of the bench database every `everyMs` while a phase runs: how many backends are busy
 * and what each is doing: running, waiting on a lock (Lock:advisory = the team queue lock), on commit fsyncs
 * (IO:WALSync), or idle in a transaction (Postgres waits for the service's next query). pg_stat_statements is
 * not loaded on this Postgres, so this is the database-side view.
 */
export async function samplePgActivity(databaseUrl, everyMs = 100) {
  const client = new pg.Client({ connectionString: databaseUrl });
  // The bench may drop the database under this connection (Ctrl-C): that ends the sampling, nothing more.
  client.on('error', () => undefined);
  await client.connect();
  const commits = async () =>
    Number((await client.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit);
  const commitsBefore = await commits();
  const counts = new Map();
  let samples = 0;
  let active = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      samples += 1;
      active += rows.filter((r) => r.state === 'active').length;
      for (const r of rows) {
        // Idle in a transaction: Postgres waits for the service's next query (the service is busy or starved).
        const key =
          r.state !== 'active' ? `${r.state} (waiting for the service)` : r.wait_event_type ? `${r.wait_event_type}:${r.wait_event}` : 'CPU (running)';
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })().catch(() => {
    stopped = true;
  });
  return {
    async stop() {
      stopped = true;
      await loop;
      const committed = (await commits()) - commitsBefore;
      await client.end();
      const waits = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([what, n]) => ({ what, perSample: n / Math.max(1, samples) }));
      return { samples, avgActive: active / Math.max(1, samples), waits, committed };
    },
  };
}
