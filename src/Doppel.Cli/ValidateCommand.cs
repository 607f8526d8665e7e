using Doppel.Validation;

namespace Doppel.Cli;

/// <summary><c>doppel validate DIR --recipe FILE | --pack NAME</c>.</summary>
internal static class ValidateCommand
{
    public static int Run(string[] argv, TextWriter o, IReadOnlyDictionary<string, string?> env)
    {
        var a = Args.Parse(argv, new HashSet<string> { "--expect-faults", "--quiet" }, new HashSet<string> { "--recipe", "--pack", "--report", "--set", "--seed" });
        if (a.Positionals.Count != 1 || (a.Get("--recipe") is null && a.Get("--pack") is null))
        {
            throw new DoppelException("usage: doppel validate DIR (--recipe FILE | --pack NAME) [--report FILE] [--expect-faults]", ExitCodes.UsageError);
        }

        var dir = a.Positionals[0];
        var source = a.Get("--recipe") ?? a.Get("--pack")!;
        if (ValidatorHooks.TryGetValue(source, out var custom))
        {
            return custom(dir, a.Get("--report"), o);
        }

        var (recipe, _) = Cli.LoadSource(source);
        var sets = Args.KeyValues(a.All("--set"), "--set");
        foreach (var (k, v) in sets)
        {
            recipe = recipe.WithParam(k, v);
        }

        // The run's own params (manifest.json) fill in what --set does not give: contracts derived from
        // params (ranges, windows) must be those of the run, e.g. a start date that defaulted to its day.
        foreach (var (k, v) in ManifestParams(dir).Where(p => !sets.ContainsKey(p.Key) && recipe.Document.Params.Any(d => d.Name == p.Key)))
        {
            recipe = recipe.WithParam(k, v);
        }

        var report = Validator.Validate(dir, recipe.Plan(env), a.Has("--expect-faults"));
        if (a.Get("--report") is { } path)
        {
            File.WriteAllText(path, report.ToJson());
        }

        var unexpected = report.Unexpected.ToList();
        if (!a.Has("--quiet"))
        {
            foreach (var v in unexpected.Take(50))
            {
                o.WriteLine($"{v.File}:{v.Line}: {v.Table}.{v.Column}: {v.Message}");
            }

            if (unexpected.Count > 50)
            {
                o.WriteLine($"… and {unexpected.Count - 50} more (see --report)");
            }

            foreach (var f in report.UndetectedFaults.Take(20))
            {
                o.WriteLine($"undetected fault: {f.Table} row {f.Row} {f.Column} ({f.Kind})");
            }

            var expected = report.Violations.Count - unexpected.Count;
            o.WriteLine($"{(report.Passed ? "PASSED" : "FAILED")}: {report.RowsChecked.Values.Sum():N0} rows in {report.RowsChecked.Count} tables, {report.RulesChecked} rules, {unexpected.Count} violations{(a.Has("--expect-faults") ? $", {expected} expected faults detected, {report.UndetectedFaults.Count} undetected" : string.Empty)}");
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.ValidationFailed;
    }

    private static IEnumerable<KeyValuePair<string, string>> ManifestParams(string dir)
    {
        var path = Path.Combine(dir, "manifest.json");
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("params", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Object
                ? [.. p.EnumerateObject().Where(x => x.Value.ValueKind == System.Text.Json.JsonValueKind.String).Select(x => KeyValuePair.Create(x.Name, x.Value.GetString()!))]
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return []; // not a Doppel manifest: validate against the recipe's defaults
        }
    }

    /// <summary>Packs with their own validator (trust) register here.</summary>
    internal static readonly Dictionary<string, Func<string, string?, TextWriter, int>> ValidatorHooks = new(StringComparer.Ordinal)
    {
        ["trust"] = TrustCommand.Validate,
    };
}
