#!/usr/bin/env bash
# Starts s3rver (fake S3) on 127.0.0.1:4568 and the recording proxy (tools/s3-recorder) on
# 127.0.0.1:4569, with state under .ci/.state/s3. Tests talk to the proxy: it records the SSE
# headers s3rver drops, emulates AbortMultipartUpload/ListMultipartUploads, and injects faults.
# Idempotent: installs s3rver only if missing, starts only what is not running.
# Prints the connection line on success: DOPPEL_TEST_S3=http://127.0.0.1:4569
# Credentials are s3rver's fixed pair: AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER.
# Stop with: .ci/services/s3.sh stop
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="$ROOT/.ci/.state/s3"
S3RVER_PORT="${DOPPEL_S3RVER_PORT:-4568}"
PROXY_PORT="${DOPPEL_S3_PORT:-4569}"
S3RVER_VERSION=3.7.1
NODE_DIR="$STATE/node"
BIN="$NODE_DIR/node_modules/.bin/s3rver"

# "Is something answering HTTP at this URL?" (curl when present, else node, which we need anyway).
up() {
  if command -v curl >/dev/null; then curl -s -o /dev/null --max-time 2 "$1"; else
    node -e 'require("http").get(process.argv[1], r => process.exit(0)).on("error", () => process.exit(1)).setTimeout(2000, () => process.exit(1))' "$1"
  fi
}
stop_pid() { if [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then kill "$(cat "$1")"; fi; rm -f "$1"; }

if [ "${1:-}" = stop ]; then
  stop_pid "$STATE/recorder.pid"
  stop_pid "$STATE/s3rver.pid"
  exit 0
fi

command -v node >/dev/null || { echo "s3.sh: node is required (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$STATE/data" "$NODE_DIR"
if [ ! -x "$BIN" ]; then
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION" >/dev/null)
fi

if ! up "http://127.0.0.1:$S3RVER_PORT/"; then
  # setsid: the servers outlive this script and the caller's process group.
  setsid "$BIN" -d "$STATE/data" -a 127.0.0.1 -p "$S3RVER_PORT" --silent --no-vhost-buckets \
    --configure-bucket doppel-test >"$STATE/s3rver.log" 2>&1 < /dev/null &
  echo $! >"$STATE/s3rver.pid"
fi
for _ in $(seq 1 100); do up "http://127.0.0.1:$S3RVER_PORT/" && break; sleep 0.1; done
up "http://127.0.0.1:$S3RVER_PORT/" || { echo "s3.sh: s3rver did not start; see $STATE/s3rver.log" >&2; exit 1; }

if ! up "http://127.0.0.1:$PROXY_PORT/__recorder/health"; then
  setsid node "$ROOT/tools/s3-recorder/recorder.js" --listen "127.0.0.1:$PROXY_PORT" \
    --upstream "127.0.0.1:$S3RVER_PORT" --log "$STATE/requests.jsonl" --s3rver-dir "$STATE/data" \
    >"$STATE/recorder.log" 2>&1 < /dev/null &
  echo $! >"$STATE/recorder.pid"
fi
for _ in $(seq 1 100); do up "http://127.0.0.1:$PROXY_PORT/__recorder/health" && break; sleep 0.1; done
up "http://127.0.0.1:$PROXY_PORT/__recorder/health" || { echo "s3.sh: recorder did not start; see $STATE/recorder.log" >&2; exit 1; }

echo "DOPPEL_TEST_S3=http://127.0.0.1:$PROXY_PORT"
