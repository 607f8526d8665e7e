#!/usr/bin/env bash
# Starts PostgreSQL 15 + PostGIS 3 on 127.0.0.1:55432 with data under .ci/.state/postgres.
# Idempotent: safe to call when already running. Prints nothing on success but the DSN line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="$ROOT/.ci/.state/postgres"
PORT="${DOPPEL_PG_PORT:-55432}"
PGBIN=/usr/lib/postgresql/15/bin

if [ ! -x "$PGBIN/pg_ctl" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -q postgresql postgresql-15-postgis-3 >/dev/null 2>&1) || \
    (apt-get update -q >/dev/null && apt-get install -y -q postgresql postgresql-15-postgis-3 >/dev/null)
fi

# PostgreSQL refuses to run as root; run it as the 'postgres' system user with state it owns.
mkdir -p "$STATE"
chown -R postgres:postgres "$STATE"
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if [ ! -f "$STATE/data/PG_VERSION" ]; then
  run "$PGBIN/initdb -D '$STATE/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
fi
# Another worktree's instance may already serve this port: reuse it rather than fail to bind.
if "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then
  :
elif ! run "$PGBIN/pg_ctl -D '$STATE/data' status" >/dev/null 2>&1; then
  run "$PGBIN/pg_ctl -D '$STATE/data' -l '$STATE/server.log' -w -t 60 -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
fi
for _ in $(seq 1 60); do
  if "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then break; fi; sleep 0.5
done
psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='doppel'" | grep -q 1 || \
  psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE doppel" >/dev/null
PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$PORT" -U postgres -d doppel -qc "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "DOPPEL_TEST_PG=Host=127.0.0.1;Port=$PORT;Username=postgres;Database=doppel"
