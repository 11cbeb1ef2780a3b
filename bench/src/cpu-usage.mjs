import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU time per process, read from /proc: on a 2-core machine where the load generator, both services,
 * Postgres and Redis share the cores, who used them says more than any single latency. Linux only; elsewhere
 * it reports nothing.
 */
export function cpuSnapshot(pids) {
  const named = new Map([[process.pid, 'bench'], ...Object.entries(pids).map(([name, pid]) => [pid, name])]);
  const processes = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    // Not Linux: nothing to report.
  }
  for (const dir of entries) {
    let stat;
    try {
      stat = readFileSync(`/proc/${dir}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(dir);
    const component = named.get(pid) ?? (comm === 'postgres' ? 'postgres' : comm.startsWith('redis-server') ? 'redis' : 'other');
    // A Postgres backend that exits (a pool closing an idle connection) hands its time to the postmaster when
    // reaped, so for Postgres the reaped children's time (cutime + cstime) counts too. Not for other processes:
    // a shell's children would arrive as one lump when they end.
    const ticks = Number(f[11]) + Number(f[12]) + (component === 'postgres' ? Number(f[13]) + Number(f[14]) : 0);
    const seconds = ticks / TICKS_PER_SECOND;
    processes.set(pid, { component, seconds });
  }
  return { at: performance.now(), processes };
}

/** Cores used per component between two snapshots (1.0 = one core busy all the time). */
export function coresUsed(before, after) {
  const wall = (after.at - before.at) / 1000;
  const out = { bench: 0, gateway: 0, router: 0, postgres: 0, redis: 0, other: 0 };
  for (const [pid, p] of after.processes) {
    // A process born during the phase counts whole; one that exited is counted in its parent's cutime.
    const start = before.processes.get(pid)?.seconds ?? 0;
    out[p.component] += Math.max(0, p.seconds - start) / wall;
  }
  for (const [pid, p] of before.processes) {
    // A Postgres backend that exited meanwhile reached the postmaster's cutime with its whole life's time;
    // the part before this phase is not this phase's.
    if (p.component === 'postgres' && !after.processes.has(pid)) out.postgres = Math.max(0, out.postgres - p.seconds / wall);
  }
  return out;
}
