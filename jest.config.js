/** @type {import('jest').Config} */
const swc = require('./swc.options');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/libs', '<rootDir>/apps', '<rootDir>/activities', '<rootDir>/workflows'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  // request-filtering-agent ships only ES modules; Node (20.19+) requires them natively, Jest's runtime does not.
  transformIgnorePatterns: ['/node_modules/(?!request-filtering-agent/)'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120_000,
  // Two cores: more workers only fight over them (each workflow test runs its own test server).
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.data', '<rootDir>/.tools'],
};
