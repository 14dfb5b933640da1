#!/usr/bin/env bash
# Installs node modules when they are missing or older than the lock file, so
# the README's commands work on a fresh clone with nothing but Node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "netops: installing node modules (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
