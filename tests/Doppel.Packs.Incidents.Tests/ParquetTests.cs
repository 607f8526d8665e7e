using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Doppel.Data;
using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>The same seed written as CSV and as Parquet.</summary>
public sealed class CsvAndParquetRun : IDisposable
{
    public CsvAndParquetRun()
    {
        string[] args = ["--incident-count", "3000", "--seed", "21", "--batch-size", "512"];
        CsvDir = Generate(args);
        ParquetDir = Generate([.. args, "--output-format", "parquet"]);
        var plan = DoppelRecipe.FromPack("incidents").WithParam("start_datetime", Start).Plan();
        Schemas = SeedColumns.Keys.ToDictionary(t => t, t => plan.Table(t).OutputSchema, StringComparer.Ordinal);
    }

    public string CsvDir { get; }

    public string ParquetDir { get; }

    public Dictionary<string, TableSchema> Schemas { get; }

    public void Dispose()
    {
        Directory.Delete(CsvDir, true);
        Directory.Delete(ParquetDir, true);
    }
}

/// <summary>Parquet files read back by DuckDB and by hyparquet (tools/parquet-check) equal the CSV output value by value.</summary>
public sealed class ParquetTests(CsvAndParquetRun run) : IClassFixture<CsvAndParquetRun>
{
    public static TheoryData<string, string> TablesAndReaders()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in SeedColumns.Keys)
        {
            data.Add(t, "duckdb");
            data.Add(t, "hyparquet");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TablesAndReaders))]
    public void Parquet_read_back_equals_the_csv_value_by_value(string table, string reader)
    {
        var csv = ReadCsv(Path.Combine(run.CsvDir, table + ".csv"));
        var rows = NodeReaders.ReadRows(Path.Combine(run.ParquetDir, table + ".parquet"), reader);
        var schema = run.Schemas[table];

        rows.Should().HaveCount(csv.Count);
        csv.Count.Should().BeGreaterThan(table == "stations" ? 20 : 1000);
        for (var r = 0; r < csv.Count; r++)
        {
            var names = rows[r].EnumerateObject().Select(p => p.Name).ToList();
            names.Should().Equal(SeedColumns[table]);
            foreach (var column in schema.Columns)
            {
                var expected = FromCsv(csv[r, column.Name], column.Type);
                var actual = FromJson(rows[r].GetProperty(column.Name), column.Type);
                actual.Should().Be(expected, $"{table} row {r} column {column.Name} ({reader})");
            }
        }
    }

    [Fact]
    public void Parquet_shards_hold_the_rows_of_the_single_run_in_order()
    {
        var shards = TempDir("shards");
        for (var i = 0; i < 3; i++)
        {
            var r = Run("generate", "incidents", "--out", shards, "--start-datetime", Start, "--quiet", "--incident-count", "3000", "--seed", "21", "--output-format", "parquet", "--shard", $"{i}/3");
            r.Code.Should().Be(0, r.Err);
        }

        foreach (var table in new[] { "incidents", "incident_units", "incident_notes" })
        {
            var whole = NodeReaders.ReadRows(Path.Combine(run.ParquetDir, table + ".parquet"), "duckdb").Select(e => e.GetRawText()).ToList();
            var parts = Enumerable.Range(0, 3).SelectMany(i => NodeReaders.ReadRows(Path.Combine(shards, $"{table}.shard-{i}-of-3.parquet"), "duckdb")).Select(e => e.GetRawText()).ToList();
            parts.Should().Equal(whole, table);
        }
    }

    [Fact]
    public void Duckdb_sees_the_typed_schema()
    {
        var types = NodeReaders.Query(Path.Combine(run.ParquetDir, "incidents.parquet"), "SELECT column_name, column_type FROM (DESCRIBE t)")
            .ToDictionary(e => e.GetProperty("column_name").GetString()!, e => e.GetProperty("column_type").GetString()!);

        types["occurrence_at"].Should().StartWith("TIMESTAMP");
        types["location_lat"].Should().Be("DOUBLE");
        types["casualty_count"].Should().Be("BIGINT");
        types["is_active"].Should().Be("BOOLEAN");
        types["incident_number"].Should().Be("VARCHAR");
    }

    private static string? FromCsv(string? v, DataType type) => v is null ? null : type switch
    {
        DataType.Int => long.Parse(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        DataType.Float => double.Parse(v, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        DataType.Timestamp => Micros(v),
        _ => v,
    };

    private static string? FromJson(JsonElement e, DataType type) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number when type == DataType.Float => e.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.Number => e.GetInt64().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String when type == DataType.Timestamp => Micros(e.GetString()!),
        JsonValueKind.String => e.GetString(),
        _ => e.GetRawText(),
    };

    private static string Micros(string iso) =>
        ((Ts(iso).Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Runs the Node.js readers in tools/parquet-check (install them with .ci/services/node-tools.sh).</summary>
internal static class NodeReaders
{
    private static readonly Lazy<string> Dir = new(Find);

    public static List<JsonElement> ReadRows(string file, string reader) =>
        [.. Run("read.mjs", file, "--reader", reader).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static List<JsonElement> Query(string file, string sql) =>
        [.. Run("meta.mjs", file, "--sql", sql).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Dir.Value, RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Dir.Value, script));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start) ?? throw new InvalidOperationException("cannot start node (Node.js 20+ is needed; see .ci/services/node-tools.sh)");
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"node {script} {string.Join(' ', args)} failed: {err.Result}");
    }

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
        {
            dir = dir.Parent;
        }

        var tools = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root (Doppel.slnx) not found"), "tools", "parquet-check");
        foreach (var package in new[] { "@duckdb/node-api", "hyparquet", "hyparquet-compressors" })
        {
            if (!Directory.Exists(Path.Combine(tools, "node_modules", package)))
            {
                throw new InvalidOperationException($"The Parquet reader '{package}' is not installed in {tools}/node_modules; run .ci/services/node-tools.sh");
            }
        }

        return tools;
    }
}
