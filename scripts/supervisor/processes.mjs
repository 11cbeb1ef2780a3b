import { readFileSync } from 'node:fs';

const owned = new Set();

/**
 * Remembers a child this script started, so that however the script ends (an exception, process.exit
 * in the middle of starting) the child gets a SIGTERM rather than living on as an orphan.
 */
export function own(child) {
  owned.add(child);
  child.once('exit', () => owned.delete(child));
  return child;
}

process.on('exit', () => {
  for (const child of owned) if (isRunning(child)) child.kill('SIGTERM');
});

/** True while the child has neither exited nor been reaped. */
export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends `signal`, waits up to graceMs for the exit, then SIGKILLs; resolves once the child is gone. */
export function stopProcess(child, { graceMs, signal = 'SIGTERM' }) {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** The last lines of a log file, for an error message. */
export function tailOf(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
