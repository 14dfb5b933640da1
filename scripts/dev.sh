#!/usr/bin/env bash
# The README's main-job command (`npm run dev`): installs what it needs, then
# becomes `netops dev` (server + lab + worker + a real rollout).
#
# Signals: npm passes SIGINT/SIGTERM to its child only, and the package script
# execs this file, which execs node: so the signal npm forwards reaches
# `netops dev` itself, which stops the worker, the lab and the server.
set -euo pipefail
cd "$(dirname "$0")/.."

# The set-up runs in its own process group (set -m), so a signal to this
# shell is passed to all of it (npm install included) instead of being held
# until it ends.
set -m
bash scripts/ensure-deps.sh &
deps=$!
trap 'kill -TERM -- "-$deps" 2>/dev/null || true; wait "$deps" 2>/dev/null || true; exit 130' INT TERM
wait "$deps"
trap - INT TERM
set +m

exec node bin/netops.cjs dev "$@"
