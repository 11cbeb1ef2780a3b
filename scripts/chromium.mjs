// Makes sure Debian's chromium is installed, for the live chat's browser test (tests/e2e/livechat-in-a-browser.test.ts).
// Idempotent: with /usr/bin/chromium present it does nothing; otherwise `apt-get update && apt-get install -y chromium`
// (as root, or through sudo when there is one; scripts/apt-install.mjs). Never a browser downloaded by a test tool: the distribution's package,
// kept up to date with the system's security updates. Concurrent callers wait on one lock.
//
//   node scripts/chromium.mjs          prints the path of the browser, installing it first when missing
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './apt-install.mjs';

export const CHROMIUM = '/usr/bin/chromium';

/** Resolves to the chromium executable, installing Debian's package when it is missing. Throws with how to fix it. */
export async function ensureChromium() {
  // With its recommended packages (fonts among them), so pages render as a visitor's browser renders them.
  await aptInstall(['chromium'], () => existsSync(CHROMIUM), { recommends: true });
  return CHROMIUM;
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
