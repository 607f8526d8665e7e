namespace Doppel.Cli;

internal static class Help
{
    public const string Text = """
doppel — deterministic synthetic test data

usage:
  doppel generate RECIPE|PACK [options]   generate tables (files and/or a sink)
  doppel preview RECIPE|PACK [--table T] [--rows N]
  doppel validate DIR (--recipe FILE | --pack NAME) [--report FILE] [--expect-faults]
  doppel packs                            list built-in packs
  doppel describe PACK|RECIPE             parameters, tables, columns, contracts
  doppel init PACK [DIR]                  write the pack's recipe to DIR to copy and change
  doppel generators                       the generator library
  doppel replay FILE --sink http://…      re-send a dead-letter file
  doppel version

generate options:
  --out DIR            output root (default: out, or the pack's output_dir)
  --seed N             seed; same recipe + seed ⇒ byte-identical output
  --set name=value     set a recipe parameter (repeatable); params also have --name-with-dashes flags
  --rows TABLE=N       row count of a root table (repeatable)
  --format F           csv | jsonl | json | parquet
  --gzip               compress files
  --checksums          write a sha256sum sidecar per file
  --threads N          worker threads (default: all cores); output does not depend on it
  --shard i/N          generate shard i (0-based) of N; concatenated shards equal one run
  --tables a,b         only these tables
  --sink URI           also deliver rows: postgres://…, clickhouse://…, http://…, s3://BUCKET/prefix
  --config FILE        name=value settings (below env and --set in precedence)
  --dry-run            show the plan; write nothing
  --summary            print rows, bytes, seconds and rows/s per table
  --quiet              print nothing but errors

exit codes: 0 ok, 1 validation failed, 2 bad recipe or usage, 3 runtime or destination error, 130 cancelled
""";
}
