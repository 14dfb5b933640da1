#!/usr/bin/env bash
# Builds the Temporal server and its SQL schema tool from the Go module at the
# version docker-compose.yml pins, into .tools/temporal-server-<ver>/bin, once:
# later calls find the binaries and return at once. Prints the bin directory.
# The build takes minutes on two cores, so it runs at the lowest priority.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${TEMPORAL_SERVER_VERSION:-$(sed -n 's/.*TEMPORAL_VERSION:-\([0-9.]*\)}.*/\1/p' "$root/docker-compose.yml" | head -1)}"
if [ -z "$version" ]; then
  echo "error: cannot read the Temporal server version from docker-compose.yml (TEMPORAL_VERSION default); set TEMPORAL_SERVER_VERSION" >&2
  exit 2
fi
bin="$root/.tools/temporal-server-$version/bin"
if [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ]; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is not installed; the Temporal server v$version is built from its Go module (install Go 1.23 or newer)" >&2
  exit 2
fi
mkdir -p "$bin.partial"
echo "== building the Temporal server v$version and its SQL tool from go.temporal.io/server (several minutes, nice 19)" >&2
# GOBIN into a partial dir, renamed at the end: an interrupted build never
# leaves a half-filled bin that the check above would trust.
GOBIN="$bin.partial" CGO_ENABLED=0 nice -n 19 go install -trimpath \
  "go.temporal.io/server/cmd/server@v$version" \
  "go.temporal.io/server/cmd/tools/sql@v$version" >&2
mv "$bin.partial/server" "$bin.partial/temporal-server"
mv "$bin.partial/sql" "$bin.partial/temporal-sql-tool"
rm -rf "$bin"
mv "$bin.partial" "$bin"
echo "$bin"
