#!/usr/bin/env bash
# Whole-process benchmark of issue 2: the person recipe vs a plain Bogus program, same CSV columns.
# Usage: bench/e2e.sh [ROWS] [REPEATS]   (defaults 10,000,000 and 3). Every case runs REPEATS times and the
# median is reported (a shared VM's speed varies by ±10% from run to run). Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-10000000}"
REPEATS="${2:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
dotnet build src/Doppel.Cli -c Release -nologo -v q >/dev/null
dotnet build bench/BogusBaseline -c Release -nologo -v q >/dev/null
DOPPEL="dotnet src/Doppel.Cli/bin/Release/net10.0/doppel.dll"
BOGUS_ROWS=$(( ROWS < 2000000 ? ROWS : 2000000 ))

# Each run starts with earlier output deleted and flushed, so one run's writeback never lands in the next one's time.
settle() { rm -rf "$OUT/run"; mkdir -p "$OUT/run"; sync; sleep 1; }

# measure ROWS COMMAND...: runs it REPEATS times; sets SECS (median), RSS (largest, MB).
measure() {
  local rows="$1"; shift
  local times=() rss=0
  for _ in $(seq "$REPEATS"); do
    settle
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null 2>&1
    read -r s m < "$OUT/time"
    times+=("$s"); if (( m > rss )); then rss=$m; fi
  done
  SECS=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (REPEATS + 1) / 2 ))p")
  RSS=$(( rss / 1024 ))
  RATE=$(echo "$rows / $SECS" | bc -l)
}

echo "rows: $ROWS (Bogus: $BOGUS_ROWS); median of $REPEATS runs; cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | seconds | rows/s | vs Bogus | peak RSS |"
echo "|---|---|---|---|---|"
measure "$BOGUS_ROWS" dotnet bench/BogusBaseline/bin/Release/net10.0/BogusBaseline.dll "$BOGUS_ROWS" "$OUT/run/bogus.csv"
BOGUS_RATE=$RATE
printf '| Bogus Faker<T> + StreamWriter (%s rows) | %s | %.0f | 1.0× | %s MB |\n' "$BOGUS_ROWS" "$SECS" "$RATE" "$RSS"
row() { printf '| %s | %s | %.0f | %.1f× | %s MB |\n' "$1" "$SECS" "$RATE" "$(echo "$RATE / $BOGUS_RATE" | bc -l)" "$RSS"; }
for threads in 1 2; do
  measure "$ROWS" $DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/run" --threads "$threads" --quiet
  row "doppel → CSV, --threads $threads"
done
for threads in 1 2; do
  measure "$ROWS" $DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/run" --threads "$threads" --format null --quiet
  row "doppel generation only (--format null), --threads $threads"
done

# Same bytes whatever the thread count.
$DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/t1" --threads 1 --quiet >/dev/null
$DOPPEL generate bench/recipes/person.recipe.yaml --rows person="$ROWS" --out "$OUT/t2" --threads 2 --quiet >/dev/null
cmp -s "$OUT/t1/person.csv" "$OUT/t2/person.csv" && echo && echo "1- and 2-thread CSV files are byte-identical."
