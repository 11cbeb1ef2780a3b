/**
 * One Jest run for the whole workspace: unit tests of packages, integration tests of services,
 * end-to-end tests under tests/. Tests import TypeScript source (swc transforms it), never dist.
 */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }];

export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@sapa/test-support$': '<rootDir>/tests/support/index.ts',
    '^@sapa/db/queries/(.*)$': '<rootDir>/packages/db/src/queries/$1.ts',
    '^@sapa/(attachments|contracts|db|handling|queue|routing|service-kit)$': '<rootDir>/packages/$1/src/index.ts',
    '^@sapa/(gateway|router|inbox-api|tickets|whatsapp|email|voice)$': '<rootDir>/services/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/services/*/test/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/support/global-teardown.mjs',
  testTimeout: 30_000,
  // Two cores: two workers keep Postgres and Redis busy without starving the services under test.
  maxWorkers: 2,
};
