#!/usr/bin/env bash
# Runs the destination folder's tests the way segmentio/action-destinations runs them: jest 27 + ts-jest 27 with
# isolatedModules, nock 13, Node's globals as jest 27 exposes them (no structuredClone), rootDir at the folder.
# --ci: a snapshot that is missing fails instead of being written. Extra arguments go to jest (a path pattern, -t, -u).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/monorepo-toolchain.sh
TZ=UTC exec node test/monorepo/node_modules/jest/bin/jest.js --config test/monorepo/jest.config.js --ci "$@"
