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
home="$root/.tools/temporal-server-$version"
bin="$home/bin"
# The SQL tool needs the versioned schema files the module ships; they are kept beside the binaries.
schema="$home/schema/postgresql/v12"
copy_schema() {
  dir="$(go mod download -json "go.temporal.io/server@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  if [ -z "$dir" ] || [ ! -d "$dir/schema/postgresql/v12" ]; then
    echo "error: the module go.temporal.io/server@v$version has no schema/postgresql/v12 (go mod download found: ${dir:-nothing})" >&2
    exit 2
  fi
  rm -rf "$home/schema.partial"
  mkdir -p "$home/schema.partial/postgresql"
  cp -R "$dir/schema/postgresql/v12" "$home/schema.partial/postgresql/v12"
  chmod -R u+w "$home/schema.partial"
  rm -rf "$home/schema"
  mv "$home/schema.partial" "$home/schema"
}
if [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] && [ -d "$schema/temporal/versioned" ]; then
  echo "$bin"
  exit 0
fi
# One build at a time: the test set-up starts one in the background and the
# cluster test waits for it here instead of building a second time.
mkdir -p "$home"
exec 9>"$home/.build.lock"
if ! flock -n 9; then
  echo "== waiting for the Temporal server build already running" >&2
  flock 9
fi
if [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] && [ -d "$schema/temporal/versioned" ]; then
  echo "$bin"
  exit 0
fi
if [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ]; then
  echo "== copying the SQL schema of go.temporal.io/server v$version into $home/schema" >&2
  copy_schema
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
copy_schema
echo "$bin"
