/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/__tests__'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/__tests__/__helpers__/'],
  // Unit tests take milliseconds; this margin is for a shared 2-core machine with every core busy. Tests that start
  // servers, child processes or long runs set their own, larger timeouts.
  testTimeout: 20_000,
  snapshotFormat: { escapeString: true, printBasicPrototype: true }
}
