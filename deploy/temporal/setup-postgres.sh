#!/bin/sh
# Creates Temporal's two databases and brings their schemas up to the version
# this admin-tools image ships. Safe to run on every `docker compose up`:
# `create` and `setup-schema` are no-ops once done, `update-schema` applies
# only what is missing (that is how server upgrades get their schema changes).
set -eu
SQL_PASSWORD="$(cat /run/secrets/postgres_password)"
export SQL_PASSWORD
tool() { temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS:-postgresql}" -p "${DB_PORT:-5432}" -u "${POSTGRES_USER:-temporal}" "$@"; }
for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir=temporal ;;
    *) dir=visibility ;;
  esac
  tool --db "$db" create 2>/dev/null || echo "database $db exists"
  tool --db "$db" setup-schema -v 0.0 2>/dev/null || echo "schema of $db already initialised"
  tool --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
echo "schema ready"
