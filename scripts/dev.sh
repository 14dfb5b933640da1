#!/usr/bin/env bash
# The README's main-job command (`npm run dev`): installs what it needs, then
# hands over to `netops dev` (server + lab + worker + a real rollout).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node bin/netops.cjs dev "$@"
