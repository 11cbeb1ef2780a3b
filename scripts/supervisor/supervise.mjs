import { spawn } from 'node:child_process';
import { log } from './log.mjs';
import { own, stopProcess } from './processes.mjs';

const TETHER = new URL('./tether.mjs', import.meta.url).href;

/** A run shorter than this counts as a crash at start (bad config, port taken), not a crash in service. */
const STABLE_AFTER_MS = 30_000;
const MAX_FAST_CRASHES = 5;
const MAX_BACKOFF_MS = 30_000;
/** A little more than service-kit's 15 s shutdown grace, so the services' own deadline fires first. */
const STOP_GRACE_MS = 20_000;

/**
 * Runs each service as a child process and keeps it running: a child that exits is restarted after a
 * backoff that doubles with each crash in a row (1 s, 2 s, 4 s …); after MAX_FAST_CRASHES crashes in a row
 * soon after starting, `onGiveUp` is called. Children are detached (their own process group) so Ctrl-C
 * in the terminal reaches only this script, which then sends each one a single SIGTERM: service-kit
 * treats a second signal as "force", so the terminal's own SIGINT must not reach them too.
 * @param {{name: string, script: string}[]} services
 */
export function superviseServices(services, { env, cwd, onGiveUp }) {
  let stopping = false;
  const slots = services.map((service) => ({ ...service, child: undefined, timer: undefined, fastCrashes: 0 }));

  const start = (slot) => {
    slot.timer = undefined;
    const startedAt = Date.now();
    // stdio inherited: the services see the terminal, and pretty-print when there is one.
    const child = own(
      spawn(process.execPath, ['--import', TETHER, slot.script], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env, cwd, detached: true }),
    );
    slot.child = child;
    let exited = false;
    const onExit = (code, signal) => {
      if (exited) return;
      exited = true;
      if (stopping) return;
      const ranMs = Date.now() - startedAt;
      slot.fastCrashes = ranMs < STABLE_AFTER_MS ? slot.fastCrashes + 1 : 0;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (slot.fastCrashes >= MAX_FAST_CRASHES) {
        log.error(`${slot.name} exited (${how}) ${slot.fastCrashes} times in a row within ${STABLE_AFTER_MS / 1000} s of starting; giving up. Its last log lines above say why.`);
        onGiveUp(slot.name);
        return;
      }
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** slot.fastCrashes);
      log.warn(`${slot.name} exited (${how}); restarting in ${delay / 1000} s`);
      slot.timer = setTimeout(() => start(slot), delay);
    };
    child.on('exit', onExit);
    child.on('error', (err) => {
      log.error(`${slot.name} could not be started: ${err.message}`);
      onExit(null, null);
    });
  };

  for (const slot of slots) start(slot);

  return {
    /** SIGTERM to every child (SIGKILL when `force`, or after the grace period); resolves when all are gone. */
    async stop({ force = false } = {}) {
      stopping = true;
      for (const slot of slots) clearTimeout(slot.timer);
      await Promise.all(
        slots.filter((s) => s.child).map((s) => stopProcess(s.child, force ? { graceMs: 0, signal: 'SIGKILL' } : { graceMs: STOP_GRACE_MS })),
      );
    },
  };
}
