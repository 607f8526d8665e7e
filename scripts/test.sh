#!/usr/bin/env bash
# Runs the whole test suite: installs and starts the real servers the tests talk to
# (PostgreSQL+PostGIS, ClickHouse, s3rver behind a recording proxy, Node Parquet readers),
# all on 127.0.0.1, then runs every test project and prints the runner's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then
  echo "the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 2
fi

need_apt=()
command -v psql >/dev/null || need_apt+=(postgresql-client)
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need_apt+=(postgresql)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need_apt+=(postgresql-15-postgis-3)
command -v clickhouse-server >/dev/null || [ -x /usr/bin/clickhouse ] || need_apt+=(clickhouse-server clickhouse-client)
command -v openssl >/dev/null || need_apt+=(openssl)
[ -e /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libturbojpeg.so.0 ] || need_apt+=(libturbojpeg0)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${need_apt[@]}" >/dev/null
fi

for svc in postgres clickhouse s3 node-tools; do
  echo "starting $svc"
  while IFS= read -r line; do
    case "$line" in DOPPEL_TEST_*=*) export "$line"; echo "  $line";; esac
  done < <(".ci/services/$svc.sh")
done

dotnet build Doppel.slnx -c Release -nologo -v q
status=0
dotnet test Doppel.slnx -c Release --no-build --nologo -m:1 || status=$?
exit $status
