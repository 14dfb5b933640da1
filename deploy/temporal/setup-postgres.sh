#!/bin/sh
# Creates Temporal's two databases and brings their schemas up to the version
# the SQL tool ships. Safe to run on every `docker compose up`: an existing
# database or schema is said so and kept, `update-schema` applies only what is
# missing (that is how server upgrades get their schema changes). Any other
# failure stops the script with the tool's own words and a non-zero exit.
#
# Env (compose names): POSTGRES_SEEDS, DB_PORT, POSTGRES_USER; the password
# from SQL_PASSWORD_FILE (default /run/secrets/postgres_password);
# TEMPORAL_SQL_TOOL (default temporal-sql-tool on PATH); SCHEMA_DIR (default
# /etc/temporal/schema/postgresql/v12, where the admin-tools image keeps it).
set -eu
SQL_PASSWORD="$(cat "${SQL_PASSWORD_FILE:-/run/secrets/postgres_password}")"
export SQL_PASSWORD
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
tool() { "${TEMPORAL_SQL_TOOL:-temporal-sql-tool}" --plugin postgres12 --ep "${POSTGRES_SEEDS:-postgresql}" -p "${DB_PORT:-5432}" -u "${POSTGRES_USER:-temporal}" "$@"; }

# Runs a step; "already exists" is success, anything else ends the script.
step() {
  what="$1"
  shift
  if tool "$@" >"$out" 2>&1; then
    echo "$what: done"
  elif grep -qi "already exists" "$out"; then
    echo "$what: already done"
  else
    echo "error: $what failed on PostgreSQL ${POSTGRES_SEEDS:-postgresql}:${DB_PORT:-5432}: $(tail -n 5 "$out")" >&2
    exit 1
  fi
}

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir=temporal ;;
    *) dir=visibility ;;
  esac
  [ -d "$SCHEMA_DIR/$dir/versioned" ] || { echo "error: no schema directory $SCHEMA_DIR/$dir/versioned; set SCHEMA_DIR to the SQL tool's schema/postgresql/v12" >&2; exit 1; }
  step "create database $db" --db "$db" create
  step "initialise the schema of $db" --db "$db" setup-schema -v 0.0
  step "update the schema of $db to the newest version" --db "$db" update-schema -d "$SCHEMA_DIR/$dir/versioned"
done
echo "schema ready"
