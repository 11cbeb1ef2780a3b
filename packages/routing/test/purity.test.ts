import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ARCHITECTURE.md: pure domain packages do no IO; they never import a driver, a queue or a web framework. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PURE = ['routing', 'handling'];
const FORBIDDEN = /from '(pg|ioredis|bullmq|fastify|kysely|node:(fs|net|http|https|child_process))'/;

describe('pure packages', () => {
  const files = PURE.flatMap((pkg) =>
    readdirSync(join(root, pkg, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(pkg, 'src', f)),
  );

  it.each(files)('%s imports no IO library', (file) => {
    expect(readFileSync(join(root, file), 'utf8')).not.toMatch(FORBIDDEN);
  });
});
