using System.Globalization;
using Doppel.Packs.Clinical;

namespace Doppel.Cli;

/// <summary>
/// <c>doppel generate clinical</c> (also <c>doppel clinical --date D --mode raw|sample</c>): one day's batch,
/// in the seed's frozen order — (1) the persistent registry is checked and grown, (2–6) encounters, the
/// active-patient snapshot, vitals, labs and notes are written to <c>data/MODE/DATE/</c> under the output
/// root in one pass whose files are renamed into place together.
/// </summary>
/// <remarks>
/// Everything is checked before anything is written: the date and mode (by the recipe's params), the
/// registry file (row by row), and that the day folder and registry folder are writable. The registry is a
/// pure function of seed and date, so reruns, skipped days and out-of-order days all agree.
/// </remarks>
internal sealed class ClinicalCommand : IPackCommand
{
    public Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        if (argv.Any(a => a == "--shard" || a.StartsWith("--shard=", StringComparison.Ordinal)))
        {
            throw new DoppelException("the clinical pack writes whole days; --shard is not supported (use a smaller --encounters-per-day)", ExitCodes.UsageError);
        }

        string? defaultedDate = null;
        var r = Generate.Prepare(["clinical", .. argv], env, stdout: stdout, adjust: (recipe, a) =>
        {
            // No date given anywhere: today (UTC), recorded in the manifest's params like any other value.
            if (!recipe.Params.ContainsKey("date") && !(a.Get("--config") is { } cfg && ConfigFile.Load(cfg).ContainsKey("date")))
            {
                defaultedDate = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                recipe = recipe.WithParam("date", defaultedDate);
            }

            return recipe;
        });
        var day = ClinicalDay.From(r.Plan) ?? throw new DoppelException("the clinical recipe has no clinical_registry/clinical_active_patient columns", ExitCodes.UsageError);
        var p = r.Plan.Params;
        var date = p["date"];
        var mode = p["mode"];
        // date ≥ registry_epoch is the recipe's own check (checks: in clinical.recipe.yaml).

        var root = r.Options.OutputDirectory;
        var dayDir = Path.Combine(root, "data", mode, date);
        var registryPath = Path.IsPathRooted(p["registry"]) ? p["registry"] : Path.Combine(root, p["registry"]);
        if (defaultedDate is not null && !r.Quiet)
        {
            stderr.WriteLine($"clinical: no --date given, using today (UTC): {defaultedDate}");
        }

        if (r.DryRun)
        {
            stdout.WriteLine($"clinical {date} ({mode}): registry {registryPath} → {day.RegistryRows.ToString("N0", CultureInfo.InvariantCulture)} patients on this date; day folder {Path.GetFullPath(dayDir)}");
            DryRun.Print(r.Plan, r.Options with { OutputDirectory = dayDir }, stdout);
            return Task.FromResult(ExitCodes.Success);
        }

        // Check before writing: a damaged registry or an unwritable folder stops the run with nothing changed.
        var verified = RegistryFile.Verify(registryPath, day.Registry);
        var created = new List<string>();
        try
        {
            EnsureWritable(dayDir, created);
            EnsureWritable(Path.GetDirectoryName(Path.GetFullPath(registryPath))!, created);

            // (1) registry update, atomic; then (2–6) the day's files, renamed into place together.
            var update = RegistryFile.Update(registryPath, day.Registry, day.RegistryRows, verified);
            var result = Generate.Execute(r with { Options = r.Options with { OutputDirectory = dayDir } }, stdout, stderr, cancel);
            created.Clear();
            if (!r.Quiet)
            {
                stdout.WriteLine(update.Written
                    ? $"registry {registryPath}: {update.After.ToString("N0", CultureInfo.InvariantCulture)} patients (+{(update.After - update.Before).ToString("N0", CultureInfo.InvariantCulture)})"
                    : $"registry {registryPath}: {update.After.ToString("N0", CultureInfo.InvariantCulture)} patients (checked, unchanged)");
            }

            Generate.Report(r with { Options = r.Options with { OutputDirectory = dayDir } }, result, stdout);
            return Task.FromResult(ExitCodes.Success);
        }
        finally
        {
            // A run that failed before writing the day leaves no empty folders behind.
            for (var i = created.Count - 1; i >= 0; i--)
            {
                try
                {
                    if (Directory.Exists(created[i]) && !Directory.EnumerateFileSystemEntries(created[i]).Any())
                    {
                        Directory.Delete(created[i]);
                    }
                }
                catch (IOException)
                {
                    // Best effort.
                }
            }
        }
    }

    /// <summary>Creates <paramref name="dir"/> (recording the folders it made) and proves a file can be created there.</summary>
    private static void EnsureWritable(string dir, List<string> created)
    {
        try
        {
            var full = Path.GetFullPath(dir);
            var missing = new Stack<string>();
            for (var d = full; !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d))
            {
                if (File.Exists(d))
                {
                    throw new DoppelException($"Cannot write to '{dir}': '{d}' is a file, not a folder", ExitCodes.RuntimeError);
                }

                missing.Push(d);
            }

            while (missing.Count > 0)
            {
                var d = missing.Pop();
                Directory.CreateDirectory(d);
                created.Add(d);
            }

            var probe = Path.Combine(full, $".doppel-probe-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DoppelException($"Cannot write to the output folder '{dir}': {e.Message}; choose a writable --out", ExitCodes.RuntimeError, e);
        }
    }
}
