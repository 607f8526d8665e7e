using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Doppel.Formats.Parquet.Tests;

/// <summary>
/// Runs the independent readers in tools/parquet-check (DuckDB and hyparquet, via Node.js) on a file.
/// </summary>
internal static class NodeReaders
{
    public const string SetupScript = ".ci/services/node-tools.sh";

    private static readonly Lazy<string> ToolDirectory = new(FindToolDirectory);

    public static string Dir => ToolDirectory.Value;

    /// <summary>Every row as a parsed JSON object (see tools/parquet-check/normalise.mjs for the normal form).</summary>
    public static List<JsonElement> ReadRows(string file, string reader)
    {
        var output = Run("read.mjs", file, "--reader", reader);
        var rows = new List<JsonElement>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            rows.Add(JsonDocument.Parse(line).RootElement);
        }

        return rows;
    }

    /// <summary>DuckDB's parquet_file_metadata, parquet_schema and parquet_metadata for the file.</summary>
    public static JsonElement Metadata(string file) => JsonDocument.Parse(Run("meta.mjs", file)).RootElement;

    /// <summary>Runs SQL in DuckDB over the file (as view t); one JSON object per result row.</summary>
    public static List<JsonElement> Query(string file, string sql) =>
        [.. Run("meta.mjs", file, "--sql", sql).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    private static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Dir, script));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }

    private static string FindToolDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Cannot find the repository root (Doppel.slnx) above " + AppContext.BaseDirectory);
        }

        var tools = Path.Combine(dir.FullName, "tools", "parquet-check");
        foreach (var package in new[] { "@duckdb/node-api", "hyparquet", "hyparquet-compressors" })
        {
            if (!Directory.Exists(Path.Combine(tools, "node_modules", package)))
            {
                throw new InvalidOperationException(
                    $"The Parquet reader '{package}' is not installed in {tools}/node_modules; run {SetupScript} (needs Node.js 20+ and npm).");
            }
        }

        return tools;
    }
}
