#!/usr/bin/env bash
# Installs node modules when they are missing or older than the lock file, so
# the README's commands work on a fresh clone with nothing but Node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm install` rather than `npm ci`: with a registry that serves only this
# platform's optional packages, npm 11 writes a lock that `npm ci` then calls
# out of sync; `npm install` installs exactly the locked versions all the same.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "netops: installing node modules (npm install from package-lock.json)..." >&2
  npm install --no-audit --no-fund --loglevel=error >&2
fi
