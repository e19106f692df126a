#!/usr/bin/env bash
# Interrupts `npm run bench -- --only c` while the replay runs and checks that nothing it started is left behind:
# no process of its session alive, no new /tmp/fullstory-bench-* or .cache/bench/fetching-* folder.
#
#   scripts/bench-interrupt.sh [INT|TERM] [group|npm|bench]
#
# group: the signal goes to the whole process group, as Ctrl-C in a terminal does; npm: to `npm run` only, as a
# CI runner or `kill` does; bench: to the benchmark's own node process only.
set -euo pipefail
signal=${1:-INT}
target=${2:-group}
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

folders() { ls -d /tmp/fullstory-bench-* "$root"/.cache/bench/fetching-* 2>/dev/null | sort || true; }
before=$(folders)

cd "$root"
# A session of its own, so that every process the run starts can be found (and signalled as a group) by its id.
setsid npm run bench -- --only c >"$log" 2>&1 &
session=$!

# Wait for a replay that has been sending for 2 s and still is (the 10,000-event row can end within 3 s).
replaying() {
  for pid in $(pgrep -s "$session" -f 'src/cli/main.ts replay'); do
    [ "$(ps -o etimes= -p "$pid" | tr -d ' ')" -ge 2 ] 2>/dev/null && return 0
  done
  return 1
}
for _ in $(seq 1 600); do
  replaying && break
  sleep 0.2
done
replaying || { cat "$log"; echo "FAIL: no replay ran long enough to interrupt"; exit 1; }
started=$(ps -o pid= -s "$session" | tr -d ' ')
created=$(comm -13 <(echo "$before") <(folders))
echo "running: $(ps -o pid=,args= -s "$session" | cut -c1-90 | tr '\n' ';')"
echo "folders: ${created:-none}"

case $target in
  group) kill "-$signal" -- "-$session" ;;
  npm) kill "-$signal" "$session" ;;
  bench) kill "-$signal" "$(pgrep -s "$session" -f 'bench/run.ts' | tail -1)" ;;
  *) echo "unknown target $target"; exit 2 ;;
esac
set +e
wait "$session"
code=$?
set -e

echo "exit code: $code"
tail -n 4 "$log"
# An exited child shows as a zombie (state Z) until init reaps it: that is not running, so it does not count.
running() { ps -o stat= -p "$1" 2>/dev/null | grep -qv Z; }
left=0
for pid in $started; do
  if running "$pid"; then
    echo "LEFT RUNNING: $(ps -o pid=,stat=,args= -p "$pid")"
    left=1
  fi
done
for dir in $created; do
  if [ -e "$dir" ]; then
    echo "LEFT ON DISK: $dir ($(du -sh "$dir" | cut -f1))"
    left=1
  fi
done
if [ "$left" -eq 0 ]; then echo "OK: SIG$signal to $target left no process and no folder behind"; else exit 1; fi
