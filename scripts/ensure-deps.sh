#!/usr/bin/env bash
# Installs node modules when they are missing or older than the lock file, so
# the README's commands work on a fresh clone with nothing but Node and npm,
# then compiles the CLI (dist/). It never changes a tracked file: `npm ci`
# installs exactly what package-lock.json says and never writes it (the lock
# is the one npm 11 writes here, so `npm ci` accepts it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -L node_modules ]; then
  # npm ci starts by deleting node_modules: never through a link to another tree's.
  [ -f node_modules/.package-lock.json ] || { echo "netops: node_modules is a link to a tree without installed modules; install there" >&2; exit 1; }
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "netops: installing node modules (npm ci, exactly as package-lock.json says)..." >&2
  # npm ci runs the package's prepare script, which compiles the CLI too.
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
node bin/build-cli.cjs --quiet
