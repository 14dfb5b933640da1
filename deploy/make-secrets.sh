#!/bin/sh
# Creates deploy/secrets/* for docker-compose.yml, once; existing files are kept.
# Run as root (or with sudo) so the files can be handed to the container users.
set -eu
dir="$(dirname "$0")/secrets"
mkdir -p "$dir"
umask 077
[ -f "$dir/postgres_password" ] || openssl rand -hex 24 > "$dir/postgres_password"
[ -f "$dir/codec.keys" ] || printf 'k%s:%s\n' "$(date -u +%Y%m%d)" "$(openssl rand -base64 32)" > "$dir/codec.keys"
[ -f "$dir/codec_token" ] || openssl rand -hex 32 > "$dir/codec_token"
# postgres (uid 999) and temporal (uid 1000) both read the DB password: it is
# only reachable inside the compose network, so it may be readable by all.
chmod 0444 "$dir/postgres_password"
# The worker and codec server run as uid 1000 (node) and refuse world-readable keys.
if [ "$(id -u)" = 0 ]; then
  chown 1000:1000 "$dir/codec.keys" "$dir/codec_token"
else
  echo "not root: make sure uid 1000 can read $dir/codec.keys and $dir/codec_token (sudo chown 1000 ...)" >&2
fi
chmod 0400 "$dir/codec.keys" "$dir/codec_token"
echo "secrets ready in $dir"
