import { afterAll, beforeAll } from '@jest/globals';
import { createTenant, type TestTenant } from './fixtures.js';
import { startStack } from './stack.js';

export type Stack = Awaited<ReturnType<typeof startStack>>;
export type StackOptions = Parameters<typeof startStack>[0];

/** What an end-to-end file runs against: the stack, the local fake its channel talks to, and a tenant of its own. */
export interface StackWith<F> {
  stack: Stack;
  fake: F;
  tenant: TestTenant;
}

/**
 * Starts `startFake` (a fake Graph or Bot API, an integrator's callback receiver), then a stack and a fresh tenant,
 * before this file's tests, and closes both after them. The fields are set once `beforeAll` has run, so read them
 * inside tests, not at the top of the file.
 */
export function useStackWith<F extends { close(): Promise<void> }>(startFake: () => Promise<F>, options?: StackOptions): StackWith<F> {
  const world = {} as StackWith<F>;
  beforeAll(async () => {
    world.fake = await startFake();
    world.stack = await startStack(options);
    world.tenant = await createTenant(world.stack.db);
  });
  afterAll(async () => {
    await world.stack?.close();
    await world.fake?.close();
  });
  return world;
}
