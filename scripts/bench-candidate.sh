#!/usr/bin/env bash
# Makes a candidate: a copy of src/ at HEAD under .cache/bench/candidates/<name>/src, with a patch applied, to time
# beside ours and check against the digest before anyone changes src/:
#
#   scripts/bench-candidate.sh <name> [change.patch]     # prints the folder
#   npm run bench -- --only a --candidate .cache/bench/candidates/<name>/src
#   npm run bench:digest -- --candidate .cache/bench/candidates/<name>/src
#
# The patch is in `git diff` form against src/ (paths a/src/..., b/src/...). The copy sits inside the repository so
# that it loads this repository's node_modules (the same actions-core instance as ours).
set -euo pipefail
name=${1:?usage: bench-candidate.sh <name> [change.patch]}
patch=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.cache/bench/candidates/$name"
rm -rf "$dir"
mkdir -p "$dir"
git -C "$root" archive HEAD src | tar -x -C "$dir"
if [ -n "$patch" ]; then
  patch=$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")
  (cd "$dir" && git apply "$patch")
fi
echo "$dir/src"
