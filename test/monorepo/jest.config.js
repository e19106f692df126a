// The monorepo's toolchain for the destination folder: jest 27 + ts-jest 27 (isolatedModules, so tests are only
// transpiled) + nock 13 + chance 1.1.8, configured as segmentio/action-destinations' destination-actions package
// configures jest. Run with `npm run test:monorepo`.
//
// rootDir is the destination folder, as in the monorepo, where every test path sits under the package root. Jest
// would resolve the preset, transformer and environment from rootDir, where this repo's jest 29 lives, so each is
// resolved here, from this package's node_modules. nock and chance are mapped here too: the folder's tests and
// src/lib/test-data.ts would otherwise load this repo's nock 14 and chance 1.1.13. @segment/actions-core resolves
// normally, from the repo's node_modules (3.170.0; the monorepo runs its own HEAD).
const path = require('path')

const here = __dirname
const local = (name) => path.dirname(require.resolve(`${name}/package.json`, { paths: [here] }))

/** @type {import('@jest/types').Config.InitialOptions} */
module.exports = {
  rootDir: path.resolve(here, '../../src/destinations/fullstory-cloud'),
  preset: local('ts-jest'),
  transform: { '^.+\\.tsx?$': local('ts-jest') },
  globals: {
    'ts-jest': {
      isolatedModules: true,
      tsconfig: path.join(here, 'tsconfig.json')
    }
  },
  testEnvironment: local('jest-environment-node'),
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  moduleNameMapper: {
    '^nock$': local('nock'),
    '^chance$': local('chance')
  },
  setupFilesAfterEnv: [path.join(here, 'setup-after-env.ts')],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '__tests__/__helpers__/'],
  cacheDirectory: path.join(here, 'node_modules/.cache/jest')
}
