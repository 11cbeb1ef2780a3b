// Installs Debian packages the tests need (Dovecot, Chromium) when they are missing. One installer at a time across
// processes: two test files starting at once on a fresh machine each found their package missing and ran apt-get
// together, and the second died on dpkg's lock. Callers wait on one lock file of ours, look again once they hold it
// (the first may have installed it meanwhile), and apt itself waits for a dpkg lock some other program holds.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'sapa-apt-install.lock');
const LOCK_STALE_MS = 15 * 60 * 1000;
const APT_LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=600'];

/**
 * Installs `packages` unless `installed()` says they are there; as root, or through `sudo -n` when there is one;
 * without recommended packages unless `recommends`.
 * Resolves once `installed()` holds; throws with the command that failed and how to install by hand.
 */
export async function aptInstall(packages, installed, { recommends = false } = {}) {
  if (installed()) return;
  await withLock(installed, () => {
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const prefix = asRoot ? [] : ['sudo', '-n'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // policy-rc.d may refuse to start system services, which is fine: the tests run instances of their own.
    const install = ['install', '-y', ...(recommends ? [] : ['--no-install-recommends']), ...packages];
    for (const args of [['apt-get', ...APT_LOCK_WAIT, 'update'], ['apt-get', ...APT_LOCK_WAIT, ...install]]) {
      const cmd = [...prefix, ...args];
      const res = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env });
      if (res.status !== 0) {
        throw new Error(`"${cmd.join(' ')}" failed (${res.error?.message ?? `exit ${res.status}`}); install by hand: apt-get install ${packages.join(' ')}`);
      }
    }
  });
  if (!installed()) throw new Error(`apt-get installed ${packages.join(' ')} but what the tests need is still missing; check the packages`);
}

/** An exclusive lock file, taken over when older than a long install (its holder died). */
async function withLock(installed, fn) {
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { force: true });
      } catch {
        // gone meanwhile: try again
      }
      if (installed()) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!installed()) fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}
