import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: the only browser the tests drive, never one downloaded by a test tool. */
export const CHROMIUM = '/usr/bin/chromium';
const INSTALLER = fileURLToPath(new URL('../../scripts/chromium.mjs', import.meta.url));

/**
 * Launches headless Chromium, installing Debian's package first when it is missing (scripts/chromium.mjs: idempotent,
 * `apt-get install chromium`). The flags keep it quiet and offline: no sandbox (tests run as root in a container), no
 * GPU, no background traffic, component updates or sync.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) await promisify(execFile)(process.execPath, [INSTALLER], { timeout: 15 * 60_000 });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
