// Makes sure Debian's chromium is installed, for the live chat's browser test (tests/e2e/livechat-in-a-browser.test.ts).
// Idempotent: with /usr/bin/chromium present it does nothing; otherwise `apt-get update && apt-get install -y chromium`
// (as root, or through sudo when there is one). Never a browser downloaded by a test tool: the distribution's package,
// kept up to date with the system's security updates. Concurrent callers (two test workers) wait on one lock.
//
//   node scripts/chromium.mjs          prints the path of the browser, installing it first when missing
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
const LOCK = join(tmpdir(), 'sapa-chromium-install.lock');
const LOCK_STALE_MS = 15 * 60 * 1000;

/** Resolves to the chromium executable, installing Debian's package when it is missing. Throws with how to fix it. */
export async function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  await withLock(() => {
    if (existsSync(CHROMIUM)) return;
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const prefix = asRoot ? [] : ['sudo', '-n'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium']]) {
      const cmd = [...prefix, ...args];
      const res = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env });
      if (res.status !== 0) {
        throw new Error(`"${cmd.join(' ')}" failed (${res.error?.message ?? `exit ${res.status}`}); install Debian's chromium by hand: apt-get install chromium`);
      }
    }
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is not there; check the package`);
  return CHROMIUM;
}

/** One installer at a time across processes: an exclusive lock file, taken over when older than a long install. */
async function withLock(fn) {
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
      if (existsSync(CHROMIUM)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureChromium().then(
    (path) => console.log(path),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
