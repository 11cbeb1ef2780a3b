export * from './test-env.js';
export * from './fixtures.js';
export * from './wait-until.js';
