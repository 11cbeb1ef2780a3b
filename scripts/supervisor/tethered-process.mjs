// Runs a non-Node program (redis-server) on a tether: forked by the start script with an IPC channel,
// it starts the program, passes SIGTERM/SIGINT on, and when the start script dies (the channel closes)
// stops the program itself, so no orphan keeps the port. Exits with the program's status.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: 'inherit' });
const stop = () => child.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
child.on('error', (err) => {
  console.error(`${command}: ${err.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
