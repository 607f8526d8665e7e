#!/usr/bin/env bash
# Whole-process benchmark of issue 2: the person recipe vs a plain Bogus program, same CSV columns.
# Usage: bench/e2e.sh [ROWS]   (default 10,000,000). Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-10000000}"
OUT="$(mktemp -d)"
dotnet build src/Doppel.Cli -c Release -nologo -v q >/dev/null
dotnet build bench/BogusBaseline -c Release -nologo -v q >/dev/null
DOPPEL="dotnet src/Doppel.Cli/bin/Release/net10.0/doppel.dll"
# Each run starts with earlier output flushed to disk, so one run's writeback never lands in the next run's time.
settle() { sync; sleep 1; }
measure() { # label, command...
  local label="$1"; shift
  settle
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null 2>&1
  read -r secs rss < "$OUT/time"
  printf '| %s | %s | %.0f | %s MB |\n' "$label" "$secs" "$(echo "$ROWS / $secs" | bc -l)" "$((rss / 1024))"
}
echo "rows: $ROWS; cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | seconds | rows/s | peak RSS |"
echo "|---|---|---|---|"
BOGUS_ROWS=$(( ROWS < 2000000 ? ROWS : 2000000 ))
settle
/usr/bin/time -f "%e %M" -o "$OUT/time" dotnet bench/BogusBaseline/bin/Release/net10.0/BogusBaseline.dll "$BOGUS_ROWS" "$OUT/bogus.csv" >/dev/null 2>&1
read -r bsecs brss < "$OUT/time"
printf '| Bogus Faker<T> + StreamWriter (%s rows) | %s | %.0f | %s MB |\n' "$BOGUS_ROWS" "$bsecs" "$(echo "$BOGUS_ROWS / $bsecs" | bc -l)" "$((brss / 1024))"
measure "doppel csv, 1 thread" $DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/d1" --threads 1 --quiet
measure "doppel csv, 2 threads" $DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/d2" --threads 2 --quiet
measure "doppel generation only (null), 1 thread" $DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/n1" --threads 1 --format null --quiet
measure "doppel generation only (null), 2 threads" $DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/n2" --threads 2 --format null --quiet
cmp -s "$OUT/d1/person.csv" "$OUT/d2/person.csv" && echo && echo "1- and 2-thread CSV files are byte-identical."
rm -rf "$OUT"
