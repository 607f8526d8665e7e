#!/usr/bin/env bash
# Starts ClickHouse (Debian 12's clickhouse-server 18.16) on 127.0.0.1 with HTTP on 18123 and
# native TCP on 19000, data and logs under .ci/.state/clickhouse. Idempotent: safe to call twice.
# Prints the connection line tests read: DOPPEL_TEST_CLICKHOUSE=http://127.0.0.1:18123
#
# Why our own config: the package's /etc/clickhouse-server/config.xml listens on 8123/9000/9009
# with data in /var/lib/clickhouse and logs in /var/log (owned by the 'clickhouse' user, started
# by systemd, which we don't have). We write a minimal config.xml + users.xml instead: no
# interserver port, no remote_servers/graphite, UTC timezone, every path inside the state dir.
# The server runs as the 'clickhouse' system user when we are root (it owns the state dir).
# Users: 'default' (no password, 127.0.0.1 only) and 'doppel'/'doppel-secret' (for credential tests).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="$ROOT/.ci/.state/clickhouse"
HTTP_PORT="${DOPPEL_CLICKHOUSE_HTTP_PORT:-18123}"
TCP_PORT="${DOPPEL_CLICKHOUSE_TCP_PORT:-19000}"
URL="http://127.0.0.1:$HTTP_PORT"

ping_ok() { curl -fsS -m 2 "$URL/ping" 2>/dev/null | grep -q '^Ok'; }

if ping_ok; then echo "DOPPEL_TEST_CLICKHOUSE=$URL"; exit 0; fi

if ! command -v clickhouse-server >/dev/null 2>&1; then
  # Another apt may be running (the lead's provisioning); wait for it instead of colliding.
  for _ in $(seq 1 600); do pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null || break; sleep 1; done
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -q clickhouse-server clickhouse-client >/dev/null 2>&1) || \
    (apt-get update -q >/dev/null && apt-get install -y -q clickhouse-server clickhouse-client >/dev/null)
fi

mkdir -p "$STATE/data" "$STATE/tmp" "$STATE/user_files" "$STATE/format_schemas" "$STATE/log"
cat > "$STATE/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$STATE/log/server.log</log>
    <errorlog>$STATE/log/server.err.log</errorlog>
    <size>50M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$HTTP_PORT</http_port>
  <tcp_port>$TCP_PORT</tcp_port>
  <max_connections>256</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$STATE/data/</path>
  <tmp_path>$STATE/tmp/</tmp_path>
  <user_files_path>$STATE/user_files/</user_files_path>
  <format_schema_path>$STATE/format_schemas/</format_schema_path>
  <users_config>$STATE/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
XML
cat > "$STATE/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <doppel>
      <password>doppel-secret</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </doppel>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
XML

RUN_AS=()
if [ "$(id -u)" = 0 ] && getent passwd clickhouse >/dev/null; then
  chown -R clickhouse: "$STATE"
  RUN_AS=(setpriv --reuid=clickhouse --regid="$(id -g clickhouse)" --init-groups)
fi

# Not a daemon: a plain background process (no systemd here), detached from this shell's session
# so the script can exit; its pid is kept for stopping it: kill "$(cat .ci/.state/clickhouse/server.pid)".
PIDFILE="$STATE/server.pid"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  : # started by an earlier call and still booting
else
  cd "$STATE"
  setsid "${RUN_AS[@]}" /usr/sbin/clickhouse-server --config-file="$STATE/config.xml" \
    >"$STATE/log/stdout.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
fi

for _ in $(seq 1 120); do
  if ping_ok; then echo "DOPPEL_TEST_CLICKHOUSE=$URL"; exit 0; fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "clickhouse-server exited; see $STATE/log/" >&2; tail -20 "$STATE/log/stdout.log" "$STATE/log/server.err.log" >&2 2>/dev/null || true; exit 1
  fi
  sleep 0.5
done
echo "clickhouse-server did not answer $URL/ping within 60 s; see $STATE/log/" >&2
exit 1
