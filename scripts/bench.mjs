// `pnpm bench` / `npm run bench`: install and build, then run the benchmark (bench/README.md).
// Arguments pass through, e.g. `pnpm bench -- --quick` to check the harness in a few seconds.
import { join } from 'node:path';
import { ROOT, bootstrap, run } from './bootstrap.mjs';

await bootstrap();
process.exitCode = await run(process.execPath, [join(ROOT, 'bench', 'src', 'run-bench.mjs'), ...process.argv.slice(2)], { allowFailure: true });
