// The start script's own lines: readable in a terminal, one JSON object per line otherwise (like the
// services' pino logs, so a log shipper reads both the same way).
const tty = Boolean(process.stdout.isTTY);
// A closed terminal or pipe (EIO, EPIPE) must not crash the script in the middle of stopping the services.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
const LEVELS = { info: 30, warn: 40, error: 50 };
const COLOURS = { info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

function write(level, msg, fields = {}) {
  if (tty) {
    const extra = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const line = `${COLOURS[level]}[sapa]\x1b[0m ${msg}${extra ? ` \x1b[2m${extra}\x1b[0m` : ''}`;
    (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), name: 'start', msg, ...fields })}\n`);
  }
}

export const log = {
  tty,
  info: (msg, fields) => write('info', msg, fields),
  warn: (msg, fields) => write('warn', msg, fields),
  error: (msg, fields) => write('error', msg, fields),
};
