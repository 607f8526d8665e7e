#!/usr/bin/env bash
# Benchmarks the incidents pack at scale: N incidents (default 1,000,000) with every optional table
# to CSV and to Parquet (wall time, rows/s, peak RSS from /usr/bin/time -v), then a PostGIS load with
# --sink compared, in the same run, with psql \copy of the same CSV files into plain tables.
# Needs PostgreSQL + PostGIS (.ci/services/postgres.sh; DOPPEL_TEST_PG or the default below).
# Usage: scripts/bench-incidents.sh [N] [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-1000000}"
OUT="${2:-/tmp/doppel-bench-incidents}"
PG="${DOPPEL_TEST_PG:-Host=127.0.0.1;Port=55432;Username=postgres;Database=doppel}"
PSQL=(env PGOPTIONS=-cclient_min_messages=warning psql -h 127.0.0.1 -p 55432 -U postgres -d doppel -v ON_ERROR_STOP=1 -qAt)
START=2026-03-01T00:00:00Z

dotnet build "$ROOT/src/Doppel.Cli/Doppel.Cli.csproj" -c Release -v q >/dev/null
DOPPEL=(dotnet "$ROOT/src/Doppel.Cli/bin/Release/net10.0/doppel.dll")
rm -rf "$OUT" && mkdir -p "$OUT"

run() { # label, then the doppel arguments
  local label="$1"; shift
  /usr/bin/time -v "${DOPPEL[@]}" generate incidents --incident-count "$N" --start-datetime "$START" --summary "$@" >"$OUT/$label.out" 2>"$OUT/$label.time"
  local wall rss rows
  wall=$(grep 'Elapsed (wall clock)' "$OUT/$label.time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$OUT/$label.time" | awk '{print $NF}')
  rows=$(grep '^total' "$OUT/$label.out" | awk '{print $2}')
  printf '%-10s rows %s  wall %s  peak RSS %s MiB  (%s)\n' "$label" "$rows" "$wall" "$((rss / 1024))" "$(grep '^total' "$OUT/$label.out" | awk '{print $NF " rows/s, " $3 " " $4}')"
}

echo "incidents pack benchmark: $N incidents, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run csv --out "$OUT/csv"
run parquet --out "$OUT/parquet" --output-format parquet

# PostGIS: doppel generates and loads (binary COPY into staging, code joins, upserts, one transaction).
"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS bench_doppel CASCADE; DROP SCHEMA IF EXISTS bench_copy CASCADE"
t0=$(date +%s.%N)
run postgres --sink "$PG;Schema=bench_doppel" --threads 2
t1=$(date +%s.%N)
total=$(grep '^total' "$OUT/postgres.out" | awk '{print $2}' | tr -d ,)
echo "postgres   $(grep 'incidents:' "$OUT/postgres.out" | grep staged | head -1)"
printf 'postgres   %.0f rows/s end to end (generate + COPY + merge + commit)\n' "$(echo "$total / ($t1 - $t0)" | bc -l)"

# Baseline: psql \copy of the CSV files of the same run into plain tables of the same column types.
"${PSQL[@]}" <<'SQL'
CREATE SCHEMA bench_copy;
SET search_path TO bench_copy;
CREATE TABLE stations (station_code text, name text, battalion text, address_line_1 text, address_line_2 text, city text, region text, postal_code text, phone text, is_active boolean, commissioned_on date, decommissioned_on date, response_zone_code text, location_lat float8, location_lng float8, location_wkt text, coverage_radius_meters bigint, created_at timestamptz, updated_at timestamptz);
CREATE TABLE incidents (incident_number text, external_reference text, title text, narrative text, type_code text, severity_code text, status_code text, source_code text, weather_condition_code text, primary_station_code text, occurrence_at timestamptz, reported_at timestamptz, dispatch_at timestamptz, arrival_at timestamptz, resolved_at timestamptz, location_lat float8, location_lng float8, location_wkt text, location_geohash text, address_line_1 text, address_line_2 text, city text, region text, postal_code text, casualty_count bigint, responder_injuries bigint, estimated_damage_amount float8, is_active boolean, metadata jsonb);
CREATE TABLE incident_units (incident_number text, station_code text, assignment_role text, dispatched_at timestamptz, cleared_at timestamptz);
CREATE TABLE incident_assets (incident_number text, asset_identifier text, asset_type text, status text, notes text);
CREATE TABLE incident_notes (incident_number text, author text, note text, created_at timestamptz);
SQL
t0=$(date +%s.%N)
for t in stations incidents incident_units incident_assets incident_notes; do
  "${PSQL[@]}" -c "\\copy bench_copy.$t FROM '$OUT/csv/$t.csv' WITH (FORMAT csv, HEADER true)"
done
t1=$(date +%s.%N)
copied=$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM bench_copy.stations) + (SELECT count(*) FROM bench_copy.incidents) + (SELECT count(*) FROM bench_copy.incident_units) + (SELECT count(*) FROM bench_copy.incident_assets) + (SELECT count(*) FROM bench_copy.incident_notes)")
printf 'psql copy  %s rows in %.1f s = %.0f rows/s (plain tables: no keys, FKs, geometry or upsert)\n' "$copied" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$copied / ($t1 - $t0)" | bc -l)"
"${PSQL[@]}" -c "SELECT 'loaded: ' || (SELECT count(*) FROM bench_doppel.incidents) || ' incidents, invalid geometries: ' || (SELECT count(*) FROM bench_doppel.incidents WHERE NOT ST_IsValid(location))"
"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS bench_doppel CASCADE; DROP SCHEMA IF EXISTS bench_copy CASCADE"
