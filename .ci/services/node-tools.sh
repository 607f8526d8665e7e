#!/usr/bin/env bash
# Installs the Node.js Parquet readers (DuckDB, hyparquet) used by Doppel.Formats.Parquet.Tests
# into tools/parquet-check/node_modules. Idempotent: does nothing when the lock file is unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/tools/parquet-check"
STAMP="$DIR/node_modules/.doppel-lock-hash"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node-tools: Node.js 20+ and npm are required (install nodejs)" >&2
  exit 1
fi
HASH="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ]; then
  echo "node-tools: up to date ($DIR)"
  exit 0
fi
# `npm install` honours package-lock.json; `npm ci` trips over the per-platform optional DuckDB bindings.
(cd "$DIR" && npm install --no-audit --no-fund --loglevel=error)
echo "$HASH" > "$STAMP"
echo "node-tools: installed ($DIR)"
