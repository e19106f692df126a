#!/usr/bin/env bash
# The destination folder must also be formatted as the monorepo's Prettier 2.4.1 formats it (its CI and lint-staged
# run that version with the same options as our .prettierrc.json). This repo formats with Prettier 3; the folder keeps
# to constructs both versions print alike, and this check holds it there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/monorepo-toolchain.sh
echo "Prettier $(test/monorepo/node_modules/.bin/prettier --version), as in segmentio/action-destinations:"
exec test/monorepo/node_modules/.bin/prettier --check "src/destinations/fullstory-cloud/**/*.{ts,js,json,md}"
