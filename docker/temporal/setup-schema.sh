#!/bin/sh
# Temporal's role and its two databases made when missing (as PostgreSQL's administrator), then both schemas set up
# and updated to the module's latest version as that role; every step idempotent. The same steps as
# libs/dev-services/src/temporal-server.ts (start:cluster and the cluster test), which ran them.
set -eu
PORT="${DB_PORT:-5432}"
HOME_DIR="${TEMPORAL_HOME:-/usr/local/temporal}"
PGPASSWORD="$POSTGRES_ADMIN_PASSWORD" psql -h "$POSTGRES_SEEDS" -p "$PORT" -U "$POSTGRES_ADMIN_USER" -d postgres \
  -v ON_ERROR_STOP=1 -v role="$POSTGRES_USER" -v pw="$POSTGRES_PWD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'pw')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'role') FROM unnest(ARRAY['temporal', 'temporal_visibility']) AS d
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)
\gexec
SQL
export SQL_PASSWORD="$POSTGRES_PWD"
for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  dir="${pair##*:}"
  "$HOME_DIR/temporal-sql-tool" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" \
    --db "$db" setup-schema -v 0.0
  "$HOME_DIR/temporal-sql-tool" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" \
    --db "$db" update-schema -d "$HOME_DIR/schema/postgresql/v12/$dir/versioned"
done
echo "temporal schema: temporal and temporal_visibility up to date"
