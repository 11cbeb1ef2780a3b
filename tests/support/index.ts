export * from './test-env.js';
export * from './fixtures.js';
