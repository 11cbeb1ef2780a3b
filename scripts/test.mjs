#!/usr/bin/env node
// `npm test`: install, build, run every test once (unit, integration, end-to-end), and end with
// the line "N passed, N failed" that CI reads. Extra arguments go to Jest (e.g. a path filter).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, run, ROOT } from './bootstrap.mjs';

try {
  await bootstrap();
} catch (err) {
  console.error(err.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const results = join(ROOT, 'test-results.json');
rmSync(results, { force: true });
const code = await run(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(ROOT, 'node_modules/jest/bin/jest.js'),
    // --forceExit: a suite whose setup failed may leave a connection open; CI must end with the count, not hang.
    '--json', `--outputFile=${results}`, '--forceExit', ...process.argv.slice(2)],
  { allowFailure: true },
);
let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const summary = JSON.parse(readFileSync(results, 'utf8'));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
}
if (code !== 0 && failed === 0) failed = 1; // a crash before any result still fails the run
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
