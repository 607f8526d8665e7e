using System.Globalization;
using Doppel.Execution;
using Doppel.Output;
using Doppel.Planning;

namespace Doppel.Cli;

/// <summary><c>--dry-run</c>: the plan without writing anything.</summary>
internal static class DryRun
{
    public static void Print(GenerationPlan plan, RunOptions options, TextWriter o)
    {
        o.WriteLine($"recipe   {plan.Recipe.Name ?? plan.Recipe.File}  (sha256 {plan.RecipeSha256[..12]}…)");
        o.WriteLine($"seed     {plan.Seed}    shard {options.Shard}    format {options.Format.Name}{(options.Gzip ? "+gzip" : string.Empty)}    out {Path.GetFullPath(options.OutputDirectory)}");
        if (plan.Params.Count > 0)
        {
            o.WriteLine("params   " + string.Join("  ", plan.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        }

        o.WriteLine();
        foreach (var t in plan.Tables.Where(t => options.Tables is null || options.Tables.Contains(t.Name)))
        {
            var rows = EstimateRows(t, options.Shard);
            var bytesPerRow = t.OutputSchema.Columns.Sum(c => c.Type switch { Data.DataType.Int => 7, Data.DataType.Float => 10, Data.DataType.Bool => 5, Data.DataType.Date => 11, Data.DataType.Timestamp => 21, Data.DataType.Json => 60, _ => 14 });
            var size = t.RootRows is not null ? $"{rows.ToString("N0", CultureInfo.InvariantCulture)} rows" : $"~{rows.ToString("N0", CultureInfo.InvariantCulture)} rows ({t.PerParent!.Description} per {t.Parent!.Name})";
            o.WriteLine($"table {t.Name}: {size}, ~{Cli.Human((long)(rows * bytesPerRow))} → {t.FileTemplate}{options.Shard.Suffix}.{t.Format ?? options.Format.Extension}{(t.FilePerParent ? "  (one file per parent row)" : string.Empty)}");
            o.WriteLine(t.RowPathReason is null ? "    generated column by column (fast path)" : $"    generated row by row: {t.RowPathReason}");
            foreach (var c in t.Columns)
            {
                o.WriteLine($"    {c.Name,-24} {c.Type.ToString().ToLowerInvariant(),-10} {c.Source}{(c.Hidden ? "  (hidden)" : string.Empty)}{(c.NullRate > 0 ? $"  nulls {c.NullRate:P0}" : string.Empty)}{(c.FaultRate > 0 ? $"  faults {c.FaultRate:P1} [{string.Join(", ", c.FaultKinds)}]" : string.Empty)}");
            }
        }

        if (options.Sink is not null)
        {
            o.WriteLine($"sink     {options.Sink.Describe()}");
        }

        o.WriteLine();
        o.WriteLine("dry run: nothing was written");
    }

    /// <summary>Expected rows: exact for root tables; for child tables, the counting pass over a sample of root rows, scaled.</summary>
    internal static double EstimateRows(TablePlan t, Shard shard)
    {
        var root = t.Root;
        var (first, end) = shard.Range(root.RootRows ?? 0);
        if (t == root)
        {
            return end - first;
        }

        var sample = Math.Min(end - first, 2000);
        if (sample <= 0)
        {
            return 0;
        }

        var family = new FamilyGenerator(root, first, first + sample, 1024);
        family.Count(1, CancellationToken.None);
        var index = family.Tables.ToList().IndexOf(t);
        return family.TotalRows[index] * ((double)(end - first) / sample);
    }
}

/// <summary>The end-of-run summary: rows, bytes, seconds and rows/s per table.</summary>
internal static class Summary
{
    public static void Print(RunResult r, TextWriter o, RunOptions options)
    {
        o.WriteLine();
        o.WriteLine($"{"table",-24} {"rows",14} {"bytes",12} {"seconds",9} {"rows/s",12}");
        foreach (var t in r.Tables)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t.Table,-24} {t.Rows,14:N0} {Cli.Human(t.Bytes),12} {t.Elapsed.TotalSeconds,9:0.00} {t.RowsPerSecond,12:N0}"));
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-24} {r.Tables.Sum(t => t.Rows),14:N0} {Cli.Human(r.Tables.Sum(t => t.Bytes)),12} {r.Elapsed.TotalSeconds,9:0.00} {r.Tables.Sum(t => t.Rows) / Math.Max(1e-9, r.Elapsed.TotalSeconds),12:N0}"));
        if (options.WriteFiles)
        {
            o.WriteLine($"output: {Path.GetFullPath(options.OutputDirectory)}{(r.ManifestPath is null ? string.Empty : $" (manifest: {r.ManifestPath})")}");
        }

        if (r.Faults > 0)
        {
            o.WriteLine($"labelled faults: {r.Faults} in {r.FaultsPath}");
        }
    }
}

/// <summary><c>doppel preview RECIPE|PACK --table T --rows N</c>: rows on the terminal, nothing written.</summary>
internal static class Preview
{
    public static int Run(string[] argv, TextWriter o, IReadOnlyDictionary<string, string?> env)
    {
        if (argv.Length == 0)
        {
            throw new DoppelException("usage: doppel preview RECIPE|PACK [--table T] [--rows N] [--set name=value]...", ExitCodes.UsageError);
        }

        var (recipe, _) = Cli.LoadSource(argv[0]);
        var a = Args.Parse(argv[1..], new HashSet<string>(), new HashSet<string> { "--table", "--rows", "--set", "--seed" });
        foreach (var (k, v) in Args.KeyValues(a.All("--set"), "--set"))
        {
            recipe = recipe.WithParam(k, v);
        }

        if (a.Get("--seed") is { } s)
        {
            recipe = recipe.WithSeed(ulong.Parse(s, CultureInfo.InvariantCulture));
        }

        var plan = recipe.Plan(env);
        var table = a.Get("--table") ?? plan.Tables[0].Name;
        _ = plan.Table(table);
        var rows = a.Get("--rows") is { } r ? long.Parse(r, CultureInfo.InvariantCulture) : 10;
        var list = recipe.Rows(table, rows).ToList();
        var cols = plan.Table(table).OutputSchema.Columns.Select(c => c.Name).ToList();
        var cells = list.Select(row => cols.Select(c => Show(row[c])).ToList()).ToList();
        var widths = cols.Select((c, i) => Math.Min(40, Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(x => x[i].Length)))).ToList();
        o.WriteLine(string.Join("  ", cols.Select((c, i) => c.PadRight(widths[i]))));
        o.WriteLine(string.Join("  ", widths.Select(w => new string('─', w))));
        foreach (var row in cells)
        {
            o.WriteLine(string.Join("  ", row.Select((v, i) => (v.Length > widths[i] ? v[..(widths[i] - 1)] + "…" : v).PadRight(widths[i]))));
        }

        return 0;
    }

    private static string Show(object? v) => v switch
    {
        null => "∅",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? string.Empty,
    };
}

/// <summary><c>doppel describe PACK|RECIPE</c>: parameters, tables, columns and contracts.</summary>
internal static class Describe
{
    public static int Run(string[] argv, TextWriter o, IReadOnlyDictionary<string, string?> env)
    {
        if (argv.Length == 0)
        {
            throw new DoppelException("usage: doppel describe PACK|RECIPE", ExitCodes.UsageError);
        }

        var (recipe, pack) = Cli.LoadSource(argv[0]);
        var doc = recipe.Document;
        o.WriteLine($"{doc.Name ?? argv[0]}: {doc.Description}");
        o.WriteLine();
        o.WriteLine("parameters (--set name=value, or the flag shown):");
        var flags = Generate.ParamFlags(recipe, pack);
        foreach (var p in doc.Params)
        {
            var flag = flags.Where(f => f.Value.Param == p.Name).Select(f => f.Key).OrderBy(f => f.Length).FirstOrDefault();
            o.WriteLine($"  {p.Name,-24} {p.Type.ToString().ToLowerInvariant(),-9} default {(p.Default?.Text ?? "(none)"),-22} {flag}{(p.Env is null ? string.Empty : $"  env {p.Env}")}");
            if (p.Description is not null)
            {
                o.WriteLine($"      {p.Description}{(p.Allowed is null ? string.Empty : $" (one of: {string.Join(", ", p.Allowed)})")}");
            }
        }

        var plan = recipe.Plan(env);
        o.WriteLine();
        foreach (var t in plan.Tables)
        {
            o.WriteLine($"table {t.Name}{(t.Parent is null ? $" ({t.RootRows?.ToString("N0", CultureInfo.InvariantCulture)} rows)" : $" (child of {t.Parent.Name}: {t.PerParent!.Description} per row)")}{(t.Description is null ? string.Empty : " — " + t.Description)}");
            foreach (var c in t.Columns.Where(c => !c.Hidden))
            {
                o.WriteLine($"  {c.Name,-26} {c.Type.ToString().ToLowerInvariant(),-10} {c.Source}");
            }

            var contracts = t.Contracts.Where(k => k.Kind != ContractKind.Type).ToList();
            if (contracts.Count > 0)
            {
                o.WriteLine("  contracts:");
                foreach (var k in contracts)
                {
                    var text = k.ToString();
                    o.WriteLine($"    {k.Column}: {(text.Length > 90 ? text[..90] + "…" : text)}  [{k.Origin}]");
                }
            }

            o.WriteLine();
        }

        return 0;
    }
}

/// <summary>Row sinks by URI scheme (postgres, clickhouse, http).</summary>
internal static class RowSinks
{
    public static IRowSink Create(string uri, IReadOnlyDictionary<string, string?> env, GenerationPlan plan, string outputDirectory, Doppel.Sinks.PostgreSql.ILoadPlan? loadPlan = null)
    {
        _ = plan;
        var scheme = uri.Contains("://", StringComparison.Ordinal) ? uri[..uri.IndexOf("://", StringComparison.Ordinal)] : uri;
        switch (scheme)
        {
            case "postgres" or "postgresql":
                return new Doppel.Sinks.PostgreSql.PostgresRowSink(Doppel.Sinks.PostgreSql.PostgresSinkOptions.FromUri(uri, k => env.GetValueOrDefault(k)), loadPlan);
            case "clickhouse" or "clickhouses":
                return new Doppel.Sinks.ClickHouse.ClickHouseRowSink(Doppel.Sinks.ClickHouse.ClickHouseSinkOptions.Parse(uri, k => env.GetValueOrDefault(k)));
            case "http" or "https":
                return new Doppel.Sinks.Http.HttpRowSink(Doppel.Sinks.Http.HttpSinkOptions.FromUri(uri) with { DeadLetterPath = Path.Combine(outputDirectory, Doppel.Sinks.Http.HttpSinkOptions.DefaultDeadLetterFileName) });
            default:
                throw new DoppelException($"unknown sink '{uri}'; supported: postgres://…, clickhouse://…, http(s)://… (and s3://BUCKET/ for packs that publish files)", ExitCodes.UsageError);
        }
    }
}
