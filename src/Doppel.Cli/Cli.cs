using System.Globalization;
using Doppel.Diagnostics;
using Doppel.Execution;
using Doppel.Formats;
using Doppel.Packs;
using Doppel.Planning;

namespace Doppel.Cli;

/// <summary>The <c>doppel</c> command line: a thin shell over the library. Exit codes: docs/cli.md.</summary>
public static partial class Cli
{
    public static async Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            if (argv.Length == 0 || argv[0] is "help" or "--help" or "-h")
            {
                await stdout.WriteLineAsync(Help.Text).ConfigureAwait(false);
                return argv.Length == 0 ? ExitCodes.UsageError : ExitCodes.Success;
            }

            var rest = argv[1..];
            return argv[0] switch
            {
                "generate" or "gen" => await Generate.RunAsync(rest, stdout, stderr, env, cts.Token).ConfigureAwait(false),
                "preview" => Preview.Run(rest, stdout, env),
                "validate" => ValidateCommand.Run(rest, stdout, env),
                "packs" => ListPacks(stdout),
                "describe" => Describe.Run(rest, stdout, env),
                "init" => Init(rest, stdout),
                "generators" => ListGenerators(stdout),
                "clinical" => await Generate.RunAsync(["clinical", .. rest], stdout, stderr, env, cts.Token).ConfigureAwait(false),
                "replay" => await EmailEventsCommand.ReplayAsync(rest, stdout, stderr, env, cts.Token).ConfigureAwait(false),
                "version" or "--version" => Version(stdout),
                _ => throw new DoppelException($"unknown command '{argv[0]}'; {Suggest.DidYouMean(argv[0], ["generate", "preview", "validate", "packs", "describe", "init", "generators", "replay", "clinical", "version", "help"])}", ExitCodes.UsageError),
            };
        }
        catch (RecipeException e)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (DoppelException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled: no output was written").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.RuntimeError;
        }
        catch (UnauthorizedAccessException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.RuntimeError;
        }
        catch (Exception e) when (env.GetValueOrDefault("DOPPEL_DEBUG") is null)
        {
            // A bug, not a user error: one line, and how to get the details.
            await stderr.WriteLineAsync($"internal error: {e.GetType().Name}: {e.Message} (set DOPPEL_DEBUG=1 for the stack trace, and please report it)").ConfigureAwait(false);
            return ExitCodes.RuntimeError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine("doppel " + DoppelInfo.Version);
        return 0;
    }

    private static int ListPacks(TextWriter stdout)
    {
        foreach (var p in PackCatalog.All)
        {
            stdout.WriteLine($"{p.Name,-14} {p.Summary}");
        }

        return 0;
    }

    private static int ListGenerators(TextWriter stdout)
    {
        foreach (var g in Generators.GeneratorRegistry.CreateDefault().All)
        {
            stdout.WriteLine($"{g.Name,-14} {g.Summary}");
            foreach (var o in g.Options)
            {
                stdout.WriteLine($"    {o.Name,-14} {o.Description}{(o.Default is null ? string.Empty : $" (default {o.Default})")}");
            }
        }

        return 0;
    }

    private static int Init(string[] argv, TextWriter stdout)
    {
        var a = Args.Parse(argv, new HashSet<string>(), new HashSet<string>());
        if (a.Positionals.Count == 0)
        {
            throw new DoppelException("usage: doppel init <pack> [DIR]", ExitCodes.UsageError);
        }

        var pack = FindPack(a.Positionals[0]);
        var dir = a.Positionals.Count > 1 ? a.Positionals[1] : ".";
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, pack.RecipeFileName);
        if (File.Exists(path))
        {
            throw new DoppelException($"'{path}' already exists; remove it or choose another DIR", ExitCodes.UsageError);
        }

        File.WriteAllText(path, pack.RecipeText());
        stdout.WriteLine($"wrote {path}; run: doppel generate {path} --out out/");
        return 0;
    }

    internal static Pack FindPack(string name) => PackCatalog.Find(name)
        ?? throw new DoppelException($"There is no pack '{name}'; {Suggest.DidYouMean(name, PackCatalog.All.Select(p => p.Name), $"packs: {string.Join(", ", PackCatalog.All.Select(p => p.Name))}")}", ExitCodes.UsageError);

    /// <summary>A recipe file path or a pack name.</summary>
    internal static (DoppelRecipe Recipe, Pack? Pack) LoadSource(string source)
    {
        if (File.Exists(source))
        {
            return (DoppelRecipe.Load(source), null);
        }

        if (PackCatalog.Find(source) is { } pack)
        {
            return (DoppelRecipe.FromPack(source), pack);
        }

        if (source.EndsWith(".yaml", StringComparison.Ordinal) || source.EndsWith(".yml", StringComparison.Ordinal) || source.Contains('/', StringComparison.Ordinal))
        {
            throw new DoppelException($"Recipe file '{source}' does not exist", ExitCodes.UsageError);
        }

        throw new DoppelException($"'{source}' is neither a recipe file nor a pack; {Suggest.DidYouMean(source, PackCatalog.All.Select(p => p.Name), $"packs: {string.Join(", ", PackCatalog.All.Select(p => p.Name))}")}", ExitCodes.UsageError);
    }

    internal static ITableFormat ResolveFormat(string name) => TableFormats.BuiltIn.TryGetValue(name, out var f) ? f
        : ExtraFormats.TryGetValue(name, out var g) ? g
        : throw new DoppelException($"unknown format '{name}'; {Suggest.DidYouMean(name, TableFormats.BuiltIn.Keys.Concat(ExtraFormats.Keys))}", ExitCodes.UsageError);

    /// <summary>Formats contributed by sibling projects (Parquet).</summary>
    internal static readonly Dictionary<string, ITableFormat> ExtraFormats = new(StringComparer.Ordinal)
    {
        ["parquet"] = new ParquetTableFormat(),
        ["parquet-brotli"] = new ParquetTableFormat(Formats.Parquet.ParquetCompression.Brotli),
    };

    internal static string Human(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1 << 20 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1 << 30 => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
