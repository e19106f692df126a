#!/usr/bin/env bash
# Runs the whole suite with every core kept busy by a CPU-burning process, as on a shared machine.
# The burners are stopped however the run ends (success, failure, Ctrl-C).
set -u
cd "$(dirname "$0")/.."

cores=$(node -p 'require("os").availableParallelism()')
burners=()
stop_burners() {
  if [ ${#burners[@]} -gt 0 ]; then
    kill "${burners[@]}" 2>/dev/null
    wait "${burners[@]}" 2>/dev/null
    burners=()
  fi
}
trap stop_burners EXIT
trap 'stop_burners; exit 130' INT TERM

for _ in $(seq "$cores"); do
  node -e 'for (;;) {}' &
  burners+=($!)
done
echo "test:load: $cores CPU burners running (pids ${burners[*]}); running npm test"

start=$(date +%s)
npm test -- "$@"
code=$?
echo "test:load: npm test exited $code after $(($(date +%s) - start)) s with every core busy"
exit "$code"
