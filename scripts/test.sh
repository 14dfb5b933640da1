#!/usr/bin/env bash
# The README's test command (`npm test`) and CI's (.ci/run): installs what it
# needs, type-checks, lints, and runs every test against a real Temporal dev
# server that the suite starts and always stops.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export TEMPORAL_CLI="${TEMPORAL_CLI:-$(node scripts/ensure-temporal.cjs)}"

echo "== type-check" >&2
npx --no-install tsc --noEmit -p tsconfig.json
echo "== lint" >&2
npx --no-install eslint --max-warnings=0 src test bench
echo "== tests" >&2
bash scripts/ensure-test-packages.sh
status=0
npx --no-install vitest run "$@" || status=$?

# The suite's servers (and the workers its tests start) carry NETOPS_TEST_SERVER
# in their environment; any Temporal server or netops worker left behind is a bug.
sleep 1 # reapers exit within half a second of their server
leftover=""
for env in $(grep -l 'NETOPS_TEST_SERVER=1' /proc/[0-9]*/environ 2>/dev/null || true); do
  pid=${env#/proc/}; pid=${pid%/environ}
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qE 'server start-dev|netops.cjs worker'; then leftover="$leftover $pid"; fi
done
if [ -n "$leftover" ]; then
  echo "error: temporal test servers left running after the tests (pids: $leftover); stopping them" >&2
  kill $leftover 2>/dev/null || true
  status=1
fi
exit $status
