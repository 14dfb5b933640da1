#!/bin/sh
# Registers the namespace and the search attributes netops workflows set
# (src/workflows/search-attributes.ts). Idempotent.
set -eu
ADDR="${TEMPORAL_ADDRESS:-temporal:7233}"
NS="${TEMPORAL_NAMESPACE:-default}"
i=0
until temporal operator cluster health --address "$ADDR" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -ge 30 ] && { echo "Temporal at $ADDR is not healthy after 60 s"; exit 1; }
  sleep 2
done
temporal operator namespace describe --address "$ADDR" -n "$NS" >/dev/null 2>&1 ||
  temporal operator namespace create --address "$ADDR" -n "$NS" --retention "${NAMESPACE_RETENTION:-30d}"
for sa in NetopsKind=Keyword NetopsRolloutId=Keyword NetopsTargetVersion=Keyword NetopsDevices=KeywordList; do
  name="${sa%%=*}"
  type="${sa#*=}"
  temporal operator search-attribute create --address "$ADDR" -n "$NS" --name "$name" --type "$type" 2>/dev/null ||
    echo "search attribute $name exists"
done
echo "namespace $NS ready"
