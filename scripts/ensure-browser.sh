#!/usr/bin/env bash
# The Web UI test drives Debian's chromium through playwright-core (never a
# downloaded browser). Install it when we can (root with apt-get); otherwise
# say why test/e2e/web-ui.test.ts will skip. Never fails the test run.
set -uo pipefail
BROWSER="${NETOPS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$BROWSER" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "note: $BROWSER is missing and we are not root: the Web UI browser test will be skipped (install the 'chromium' package to run it)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: $BROWSER is missing and there is no apt-get: the Web UI browser test will be skipped" >&2
  exit 0
fi
echo "== installing chromium for the Web UI test (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  exit 0
fi
echo "note: installing chromium failed: the Web UI browser test will be skipped" >&2
exit 0
