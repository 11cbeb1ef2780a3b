// Brings a fresh clone to a runnable state with nothing but Node 20 and npm: pnpm (pinned in
// package.json's packageManager), dependencies, and a build. Used by `npm start`, `npm test` and `npm run bench`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = join(ROOT, '.sapa', 'tools');

/** Runs a command, inheriting stdio; resolves with its exit code (rejects on failure unless allowFailure). */
export function run(cmd, args, { allowFailure = false, env = process.env, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env, cwd });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const status = code ?? (signal ? 128 : 1);
      if (status !== 0 && !allowFailure) reject(new Error(`${cmd} ${args.join(' ')} exited with ${status}`));
      else resolve(status);
    });
  });
}

/** The pnpm of package.json's packageManager: the one on PATH if it matches, else installed into .sapa/tools. */
export function pnpmCommand() {
  const wanted = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1];
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() === wanted) return 'pnpm';
  const local = join(TOOLS, 'node_modules', '.bin', 'pnpm');
  if (!existsSync(local)) {
    console.log(`installing pnpm ${wanted} into .sapa/tools`);
    const res = spawnSync('npm', ['install', '--no-save', '--prefix', TOOLS, `pnpm@${wanted}`], { stdio: 'inherit' });
    if (res.status !== 0) throw new Error('could not install pnpm with npm; check access to the npm registry');
  }
  return local;
}

/** Installs dependencies (from the lockfile) and builds every package and service. */
export async function bootstrap() {
  const pnpm = pnpmCommand();
  // turbo looks pnpm up on PATH itself, so a pnpm installed into .sapa/tools must be on it.
  const path = pnpm === 'pnpm' ? process.env.PATH : `${dirname(pnpm)}:${process.env.PATH}`;
  const env = { ...process.env, PATH: path, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
  await run(pnpm, ['install', '--frozen-lockfile', '--reporter=append-only'], { env });
  await run(pnpm, ['run', 'build'], { env });
  return pnpm;
}
