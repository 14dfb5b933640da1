#!/bin/sh
# Registers the namespace and the search attributes netops workflows set
# (src/workflows/search-attributes.ts), then proves they are there. Idempotent.
# Exits non-zero, saying what failed, when any step fails: a cluster without
# the attributes refuses every rollout start.
#
# Env: TEMPORAL_ADDRESS (default temporal:7233), TEMPORAL_NAMESPACE (default),
# NAMESPACE_RETENTION (30d), TEMPORAL_CLI (default `temporal` on PATH),
# NAMESPACE_WAIT_SECONDS (how long to wait for each step, default 60).
set -eu
ADDR="${TEMPORAL_ADDRESS:-temporal:7233}"
NS="${TEMPORAL_NAMESPACE:-default}"
CLI="${TEMPORAL_CLI:-temporal}"
WAIT="${NAMESPACE_WAIT_SECONDS:-60}"
ATTRIBUTES="NetopsKind=Keyword NetopsRolloutId=Keyword NetopsTargetVersion=Keyword NetopsDevices=KeywordList"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# Runs the CLI until it succeeds or WAIT seconds pass; the last output stays in $out.
retry() {
  what="$1"
  shift
  start=$(date +%s)
  until "$CLI" "$@" --address "$ADDR" >"$out" 2>&1; do
    if [ $(($(date +%s) - start)) -ge "$WAIT" ]; then
      echo "error: $what failed for $WAIT s on Temporal at $ADDR: $(tail -n 3 "$out")" >&2
      return 1
    fi
    sleep 1
  done
}

echo "waiting for Temporal at $ADDR to be healthy"
retry "cluster health check" operator cluster health

if "$CLI" operator namespace describe --address "$ADDR" -n "$NS" >/dev/null 2>&1; then
  echo "namespace $NS exists"
else
  echo "registering namespace $NS (retention ${NAMESPACE_RETENTION:-30d})"
  "$CLI" operator namespace create --address "$ADDR" -n "$NS" --retention "${NAMESPACE_RETENTION:-30d}" >"$out" 2>&1 ||
    grep -qi "already" "$out" || { echo "error: registering namespace $NS failed: $(cat "$out")" >&2; exit 1; }
fi
# A namespace just registered is not visible to every frontend at once (its
# cache refreshes every few seconds); a search attribute created before that
# fails with "Namespace ... is not found".
echo "waiting until namespace $NS is visible"
retry "describing namespace $NS" operator namespace describe -n "$NS"

for sa in $ATTRIBUTES; do
  name="${sa%%=*}"
  type="${sa#*=}"
  echo "creating search attribute $name ($type)"
  # Creating an attribute that exists with the same type succeeds.
  retry "creating search attribute $name ($type) in namespace $NS" operator search-attribute create -n "$NS" --name "$name" --type "$type"
done

echo "verifying the search attributes of namespace $NS"
retry "listing the search attributes of namespace $NS" operator search-attribute list -n "$NS" --output json
missing=""
for sa in $ATTRIBUTES; do
  name="${sa%%=*}"
  # KeywordList -> KEYWORD_LIST, the server's name for the type.
  type="$(echo "${sa#*=}" | sed 's/\([a-z]\)\([A-Z]\)/\1_\2/g' | tr '[:lower:]' '[:upper:]')"
  grep -q "\"$name\": *\"INDEXED_VALUE_TYPE_$type\"" "$out" || missing="$missing $name($type)"
done
if [ -n "$missing" ]; then
  echo "error: namespace $NS lacks search attributes:$missing; netops rollouts cannot start there. Server's list: $(tr -d '\n ' <"$out")" >&2
  exit 1
fi
echo "namespace $NS ready: search attributes NetopsKind, NetopsRolloutId, NetopsTargetVersion, NetopsDevices verified"
