using System.Globalization;
using Doppel.Packs.Incidents;
using Doppel.Sinks.PostgreSql.Incidents;

namespace Doppel.Cli;

/// <summary>
/// <c>doppel generate incidents</c>: fire/EMS incidents (docs/packs/incidents.md). Besides the plain recipe
/// run it checks the options that span several params, validates a user's lookups file up front (one
/// line naming file and line), and loads into PostGIS through <see cref="IncidentsLoadPlan"/> with the
/// same lookup codes the files use when <c>--sink postgres://…</c> is given.
/// </summary>
internal sealed class IncidentsCommand : IPackCommand
{
    public async Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        var r = Generate.Prepare(["incidents", .. argv], env, stdout: stdout, adjust: (recipe, args) =>
        {
            // Before planning: a bad value or file is reported once, as one line naming the option, instead
            // of as recipe diagnostics (once per column that uses it).
            CheckRanges(recipe);
            _ = IncidentLookups.Load(recipe.Params.GetValueOrDefault("lookups"));
            return recipe;
        });
        var lookups = IncidentLookups.Load(r.Plan.Params.GetValueOrDefault("lookups"));
        if (!IsTrue(r.Plan.Params.GetValueOrDefault("progress")))
        {
            r = r with { Tty = false };
        }

        var sinkUri = r.Args.Get("--sink");
        if (sinkUri is not null && r.Options.Shard.Count > 1)
        {
            // A shard holds only its slice of stations while its incidents reference every station, and each
            // load is its own transaction, so a shard could not be loaded on its own.
            throw new DoppelException($"--shard {r.Options.Shard} cannot be combined with --sink: load the whole run (one transaction), or load the concatenated shard files", ExitCodes.UsageError);
        }

        await using var sink = sinkUri is null ? null : CreateSink(sinkUri, env, r, lookups);
        r = r with { Options = r.Options with { Sink = sink, WriteFiles = sink is null || r.Args.Has("--out") || r.Args.Has("-o") || r.Args.Has("--output-dir") } };
        if (r.DryRun)
        {
            DryRun.Print(r.Plan, r.Options, stdout);
            return ExitCodes.Success;
        }

        var result = Generate.Execute(r, stdout, stderr, cancel);
        if (r.Options.WriteFiles || r.Tty || r.Summary)
        {
            Generate.Report(r, result, stdout);
        }

        if (sink is Doppel.Sinks.PostgreSql.PostgresRowSink pg && !r.Quiet)
        {
            stdout.WriteLine($"loaded into {sink.Describe()} in one transaction{(r.Options.WriteFiles ? string.Empty : " (no files written; add --out DIR to keep them)")}");
            foreach (var t in pg.Results)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres: {t.Target}: {t.RowsStaged:N0} rows staged, {t.RowsWritten:N0} written"));
            }

            if (r.Summary || r.Tty)
            {
                // Generation and the COPY into staging overlap; the checks and upserts follow, before the commit.
                foreach (var t in pg.Timings)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres: {t.Step}: {t.Elapsed.TotalSeconds:0.00} s"));
                }

                var merge = pg.Timings.Sum(t => t.Elapsed.TotalSeconds);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres: {result.Elapsed.TotalSeconds:0.00} s in all: generate + COPY into staging {result.Elapsed.TotalSeconds - merge:0.00} s, checks + upserts {merge:0.00} s"));
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// A PostgreSQL destination (URI, keyword string, or bare <c>postgres</c> for <c>DATABASE_URL</c>) loads
    /// through <see cref="IncidentsLoadPlan"/> with the run's lookup codes; other sinks go through <see cref="RowSinks"/>.
    /// </summary>
    private static Output.IRowSink CreateSink(string sink, IReadOnlyDictionary<string, string?> env, Generate.Request r, IReadOnlyList<IncidentLookup> lookups)
    {
        var loadPlan = new IncidentsLoadPlan([.. lookups.Select(l => new LookupRow(l.Kind, l.Code, l.Label))]);
        var value = WithIncidentsPlan(sink, env);
        var isPostgres = value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || !value.Contains("://", StringComparison.Ordinal);
        return isPostgres
            ? new Doppel.Sinks.PostgreSql.PostgresRowSink(Doppel.Sinks.PostgreSql.PostgresSinkOptions.FromUri(value, k => env.GetValueOrDefault(k)), loadPlan)
            : RowSinks.Create(value, env, r.Plan, r.Options.OutputDirectory);
    }

    /// <summary>Range and allowed-value checks of the params given on the command line, as one line naming the flag (the planner re-checks every source).</summary>
    internal static void CheckRanges(DoppelRecipe recipe)
    {
        foreach (var p in recipe.Document.Params.Where(p => p.Allowed is { Count: > 0 }))
        {
            if (recipe.Params.TryGetValue(p.Name, out var text) && !p.Allowed!.Contains(text, StringComparer.Ordinal))
            {
                throw new DoppelException($"--{p.Name.Replace('_', '-')} '{text}' is not one of {string.Join(", ", p.Allowed!)}{(Diagnostics.Suggest.Closest(text, p.Allowed!) is { } near ? $" (did you mean '{near}'?)" : string.Empty)}", ExitCodes.UsageError);
            }
        }

        foreach (var p in recipe.Document.Params.Where(p => p.Min is not null || p.Max is not null))
        {
            if (recipe.Params.TryGetValue(p.Name, out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                && ((p.Min is { } lo && v < lo) || (p.Max is { } hi && v > hi) || double.IsNaN(v)))
            {
                var range = string.Create(CultureInfo.InvariantCulture, $"{p.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} to {p.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}");
                throw new DoppelException($"--{p.Name.Replace('_', '-')} {text} is out of range: {p.Name} must be {range} ({p.Description})", ExitCodes.UsageError);
            }
        }
    }

    /// <summary>
    /// Selects the incidents load plan (and so its default schema, <c>incidents</c>) unless the destination
    /// names a plan itself; a bare <c>postgres</c> means <c>DATABASE_URL</c>.
    /// </summary>
    internal static string WithIncidentsPlan(string sink, IReadOnlyDictionary<string, string?> env)
    {
        var value = sink.Trim();
        if (value is "" or "postgres" or "postgresql")
        {
            value = env.GetValueOrDefault(Doppel.Sinks.PostgreSql.PostgresSinkOptions.EnvironmentVariable)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                throw new DoppelException("No PostgreSQL destination: pass --sink postgres://user:pass@host:port/db or set DATABASE_URL", ExitCodes.UsageError);
            }
        }

        var isUri = value.Contains("://", StringComparison.Ordinal);
        if (isUri && !value.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return value; // another kind of sink: RowSinks reports it
        }

        if (value.Contains("plan=", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        if (!isUri)
        {
            return value.TrimEnd(';') + ";plan=incidents";
        }

        var hash = value.IndexOf('#', StringComparison.Ordinal);
        var (body, fragment) = hash >= 0 ? (value[..hash], value[hash..]) : (value, string.Empty);
        return body + (body.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "plan=incidents" + fragment;
    }

    private static bool IsTrue(string? text) => text?.ToLowerInvariant() is null or "true" or "yes" or "1" or "on";
}
