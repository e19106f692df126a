#!/usr/bin/env bash
# Makes sure test/monorepo's node_modules (the monorepo's jest 27, ts-jest 27, nock 13, TypeScript 5.5.4,
# chance 1.1.8 and Prettier 2.4.1) is installed and matches its package-lock.json; installs it when it is missing or
# stale. Sourced by the scripts that use it; a second run costs one hash.
set -euo pipefail
toolchain="$(cd "$(dirname "${BASH_SOURCE[0]}")/../test/monorepo" && pwd)"
stamp="$toolchain/node_modules/.lock-sha256"
want="$(sha256sum "$toolchain/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "test/monorepo: installing the monorepo toolchain (npm ci --prefix test/monorepo)" >&2
  npm ci --prefix "$toolchain" --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi
