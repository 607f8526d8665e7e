using System.Globalization;
using Doppel.Execution;
using Doppel.Packs;
using Doppel.Planning;
using Spectre.Console;

namespace Doppel.Cli;

/// <summary><c>doppel generate RECIPE|PACK</c>.</summary>
internal static class Generate
{
    internal static readonly HashSet<string> Flags = ["--dry-run", "--quiet", "--summary", "--checksums", "--gzip", "--keep-local", "--progress", "--no-progress"];

    internal static readonly HashSet<string> S3Valued = ["--s3-endpoint", "--kms-key-id", "--sse"];
    internal static readonly HashSet<string> Valued = ["--out", "-o", "--seed", "--rows", "--set", "--format", "--threads", "--shard", "--sink", "--config", "--tables", "--batch-size"];

    public static async Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        if (argv.Length == 0)
        {
            throw new DoppelException("usage: doppel generate RECIPE|PACK [--out DIR] [--seed N] [--set name=value]...", ExitCodes.UsageError);
        }

        if (PackCommands.All.TryGetValue(argv[0], out var command) && !File.Exists(argv[0]))
        {
            return await command.RunAsync(argv[1..], stdout, stderr, env, cancel).ConfigureAwait(false);
        }

        var request = Prepare(argv, env);
        if (request.DryRun)
        {
            DryRun.Print(request.Plan, request.Options, stdout);
            return ExitCodes.Success;
        }

        if (request.Args.Get("--sink") is { } s3 && s3.StartsWith("s3://", StringComparison.Ordinal))
        {
            return await FilePublishing.GenerateAndPublishAsync(request, s3, stdout, stderr, env, cancel).ConfigureAwait(false);
        }

        await using var sink = request.Args.Get("--sink") is { } sinkUri ? RowSinks.Create(sinkUri, env, request.Plan, request.Options.OutputDirectory) : null;
        var options = request.Options with { Sink = sink, WriteFiles = sink is null || request.Args.Has("--out") };
        var result = Execute(request with { Options = options }, stdout, stderr, cancel);
        Report(request with { Options = options }, result, stdout);
        return ExitCodes.Success;
    }

    /// <summary>Everything a generate run needs, after parsing and planning; pack commands adjust it before <see cref="Execute"/>.</summary>
    internal sealed record Request(DoppelRecipe Recipe, Pack? Pack, Args Args, GenerationPlan Plan, RunOptions Options, bool DryRun, bool Quiet, bool Tty, bool Summary);

    /// <summary>Parses arguments (plus a pack's own flags), applies --set/--rows/--seed/--config and plans.</summary>
    internal static Request Prepare(string[] argv, IReadOnlyDictionary<string, string?> env, IReadOnlySet<string>? extraFlags = null, IReadOnlySet<string>? extraValued = null, Func<DoppelRecipe, Args, DoppelRecipe>? adjust = null, TextWriter? stdout = null)
    {
        var (recipe, pack) = Cli.LoadSource(argv[0]);
        var paramFlags = ParamFlags(recipe, pack);
        var flags = Flags.Concat(extraFlags ?? new HashSet<string>()).Concat(paramFlags.Where(p => p.Value.IsBool).SelectMany(p => new[] { p.Key, NoFlag(p.Key) })).ToHashSet();
        var valued = Valued.Concat(S3Valued).Concat(extraValued ?? new HashSet<string>()).Concat(paramFlags.Keys).ToHashSet();
        var a = Args.Parse(argv[1..], flags, valued);
        var sets = new Dictionary<string, string>(Args.KeyValues(a.All("--set"), "--set"), StringComparer.Ordinal);
        foreach (var (flag, info) in paramFlags)
        {
            if (a.Has(flag))
            {
                sets.TryAdd(info.Param, a.Get(flag)!);
            }

            if (info.IsBool && a.Has(NoFlag(flag)))
            {
                sets.TryAdd(info.Param, "false");
            }
        }

        foreach (var (name, value) in sets)
        {
            recipe = recipe.WithParam(name, value);
        }

        foreach (var (table, rows) in Args.KeyValues(a.All("--rows"), "--rows"))
        {
            if (!long.TryParse(rows, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                throw new DoppelException($"--rows {table}={rows}: the count must be a whole number ≥ 0", ExitCodes.UsageError);
            }

            recipe = recipe.WithRows(table, n);
        }

        if (a.Get("--seed") is { } seedText)
        {
            if (!ulong.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            {
                throw new DoppelException($"--seed '{seedText}' must be a whole number ≥ 0", ExitCodes.UsageError);
            }

            recipe = recipe.WithSeed(seed);
        }

        if (adjust is not null)
        {
            recipe = adjust(recipe, a);
        }

        var config = a.Get("--config") is { } cfg ? ConfigFile.Load(cfg) : null;
        var plan = recipe.Plan(env, config);
        var threads = Environment.ProcessorCount;
        if (a.Get("--threads") is { } t && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1))
        {
            throw new DoppelException($"--threads '{t}' must be a whole number ≥ 1", ExitCodes.UsageError);
        }

        var batchSize = 4096;
        if (a.Get("--batch-size") is { } bs && (!int.TryParse(bs, NumberStyles.None, CultureInfo.InvariantCulture, out batchSize) || batchSize < 1))
        {
            throw new DoppelException($"--batch-size '{bs}' must be a whole number ≥ 1", ExitCodes.UsageError);
        }

        var formatName = a.Get("--format") ?? plan.Params.GetValueOrDefault("output_format") ?? plan.Recipe.Output.Format ?? "csv";
        var format = Cli.ResolveFormat(formatName);
        var shard = a.Get("--shard") is { } s ? Shard.Parse(s) : Shard.Whole;
        var outDir = a.Get("--out") ?? a.Get("-o") ?? plan.Params.GetValueOrDefault("output_dir") ?? "out";
        var tables = a.Get("--tables") is { } tl ? tl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) : null;
        foreach (var name in tables ?? [])
        {
            _ = plan.Table(name);
        }

        var options = new RunOptions
        {
            OutputDirectory = outDir,
            Format = format,
            Gzip = a.Has("--gzip") || plan.Recipe.Output.Gzip == true,
            Checksums = a.Has("--checksums") || plan.Recipe.Output.Checksums == true,
            Threads = threads,
            Shard = shard,
            Tables = tables,
            BatchSize = batchSize,
        };
        var quiet = a.Has("--quiet");
        var progressOff = a.Has("--no-progress") || plan.Params.GetValueOrDefault("progress") == "false";
        var tty = !Console.IsOutputRedirected && !quiet && (stdout is null || ReferenceEquals(stdout, Console.Out)) && !progressOff;
        return new Request(recipe, pack, a, plan, options, a.Has("--dry-run"), quiet, tty, a.Has("--summary"));
    }

    /// <summary>Runs the plan with progress bars on a terminal, log lines otherwise, nothing when quiet.</summary>
    internal static RunResult Execute(Request r, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (r.Tty && ReferenceEquals(stdout, Console.Out))
        {
            return RunWithBars(r.Plan, r.Options, cancel);
        }

        var progress = r.Quiet ? null : new LogProgress(stderr);
        return Runner.Run(r.Plan, r.Options with { Progress = progress }, cancel);
    }

    /// <summary>The end-of-run report: a summary table on a terminal or with --summary, one line otherwise.</summary>
    internal static void Report(Request r, RunResult result, TextWriter stdout)
    {
        if (r.Quiet)
        {
            return;
        }

        if (r.Tty || r.Summary)
        {
            Summary.Print(result, stdout, r.Options);
            return;
        }

        stdout.WriteLine($"wrote {result.Files.Count} files to {Path.GetFullPath(r.Options.OutputDirectory)} ({string.Join(", ", result.Tables.Select(x => $"{x.Table} {x.Rows.ToString("N0", CultureInfo.InvariantCulture)}"))}){(result.Faults > 0 ? $"; {result.Faults} labelled faults in {result.FaultsPath}" : string.Empty)}");
    }

    private static string NoFlag(string flag) => "--no-" + flag[2..];

    internal sealed record ParamFlag(string Param, bool IsBool);

    /// <summary>Every param is settable as <c>--param-name</c> (dashes for underscores), plus declared aliases.</summary>
    internal static Dictionary<string, ParamFlag> ParamFlags(DoppelRecipe recipe, Pack? pack)
    {
        var d = new Dictionary<string, ParamFlag>(StringComparer.Ordinal);
        foreach (var p in recipe.Document.Params)
        {
            var isBool = p.Type == Data.DataType.Bool;
            var flag = "--" + p.Name.Replace('_', '-');
            if (!Valued.Contains(flag) && !Flags.Contains(flag))
            {
                d[flag] = new ParamFlag(p.Name, isBool);
            }

            if (p.Flag is { } alias && !Valued.Contains(alias))
            {
                d[alias] = new ParamFlag(p.Name, isBool);
            }
        }

        foreach (var (alias, param) in pack?.FlagAliases ?? new Dictionary<string, string>())
        {
            d[alias] = new ParamFlag(param, false);
        }

        return d;
    }

    private static RunResult RunWithBars(GenerationPlan plan, RunOptions options, CancellationToken cancel)
    {
        RunResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bars = new BarProgress(ctx);
                result = Runner.Run(plan, options with { Progress = bars }, cancel);
            });
        return result!;
    }

    private sealed class BarProgress(ProgressContext ctx) : IRunProgress
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void TableStarted(string table, long? totalRows)
        {
            var t = ctx.AddTask(table, maxValue: Math.Max(1, totalRows ?? 1));
            _tasks[table] = t;
        }

        public void Advanced(string table, long rows, long bytes) => _tasks[table].Increment(rows);

        public void TableFinished(string table) => _tasks[table].Value = _tasks[table].MaxValue;
    }

    /// <summary>Plain progress lines for logs (not a terminal): at most one per table per 2 seconds.</summary>
    private sealed class LogProgress(TextWriter err) : IRunProgress
    {
        private readonly Dictionary<string, (long Done, long? Total, long LastTick)> _state = new(StringComparer.Ordinal);

        public void TableStarted(string table, long? totalRows) => _state[table] = (0, totalRows, Environment.TickCount64);

        public void Advanced(string table, long rows, long bytes)
        {
            var (done, total, last) = _state[table];
            done += rows;
            if (Environment.TickCount64 - last > 2000)
            {
                err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table}: {done:N0}{(total is { } t ? $" / {t:N0} rows" : " rows")}"));
                last = Environment.TickCount64;
            }

            _state[table] = (done, total, last);
        }

        public void TableFinished(string table) => err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table}: done, {_state[table].Done:N0} rows"));
    }
}

/// <summary>Reads <c>name=value</c> lines (an .env file) or a flat YAML mapping.</summary>
internal static class ConfigFile
{
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new DoppelException($"Config file '{path}' does not exist", ExitCodes.UsageError);
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..];
            }

            var i = line.IndexOfAny(['=', ':']);
            if (i <= 0)
            {
                throw new DoppelException($"{path}:{n}: expected name=value or name: value, found '{raw}'", ExitCodes.UsageError);
            }

            d[line[..i].Trim()] = line[(i + 1)..].Trim().Trim('"', '\'');
        }

        return d;
    }
}
