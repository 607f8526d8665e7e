using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Xunit.Abstractions;

namespace Doppel.Sinks.PostgreSql.Tests;

/// <summary>
/// Load throughput of the incidents plan against the practical limit, <c>psql \copy</c> of the same rows as
/// CSV into plain tables. Runs small by default (a smoke test that still asserts counts); set
/// <c>DOPPEL_PG_BENCH_INCIDENTS=1000000</c> for the real measurement and <c>DOPPEL_PG_BENCH_OUT</c> to
/// append the figures to a file:
/// <code>DOPPEL_PG_BENCH_INCIDENTS=1000000 dotnet test tests/Doppel.Sinks.PostgreSql.Tests --filter Category=Benchmark --logger "console;verbosity=detailed"</code>
/// </summary>
public sealed class LoadBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Tables = ["stations", "incidents", "incident_units", "incident_assets", "incident_notes"];
    private readonly string _schema = TestDatabase.NewSchema("bench");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "doppel-pg-bench-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => TestDatabase.EnsureReachableAsync();

    public async Task DisposeAsync()
    {
        await TestDatabase.DropSchemaAsync(_schema);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Incidents_load_throughput_compared_with_psql_copy()
    {
        var incidents = int.Parse(Environment.GetEnvironmentVariable("DOPPEL_PG_BENCH_INCIDENTS") ?? "20000", CultureInfo.InvariantCulture);
        var capacity = 4096;
        var data = new IncidentsData(stations: 50, incidents: incidents);
        var expected = Tables.ToDictionary(t => t, data.Expected);
        var totalRows = expected.Values.Sum();

        // 1. Generation alone, to separate it from the sink's own cost.
        var gen = Stopwatch.StartNew();
        long generated = 0;
        foreach (var b in data.All(capacity))
        {
            generated += b.Count;
        }

        gen.Stop();
        generated.Should().Be(totalRows);

        // 2. Doppel: binary COPY into staging (interleaved with generation), then checks + upserts + commit.
        var sink = new PostgresRowSink(TestDatabase.Options(_schema, "incidents"));
        var open = Stopwatch.StartNew();
        await sink.OpenAsync(IncidentsData.Schemas, CancellationToken.None);
        open.Stop();
        var copy = Stopwatch.StartNew();
        var inSink = new Stopwatch();
        foreach (var b in data.All(capacity))
        {
            inSink.Start();
            await sink.WriteAsync(b, CancellationToken.None);
            inSink.Stop();
        }

        copy.Stop();
        var merge = Stopwatch.StartNew();
        await sink.CompleteAsync(CancellationToken.None);
        merge.Stop();
        await sink.DisposeAsync();
        foreach (var t in Tables)
        {
            (await TestDatabase.CountAsync(_schema, t)).Should().Be(expected[t], t);
        }

        // 3. Idempotent re-run of the same rows (every upsert finds identical rows).
        var rerun = Stopwatch.StartNew();
        await using (var again = new PostgresRowSink(TestDatabase.Options(_schema, "incidents")))
        {
            await again.OpenAsync(IncidentsData.Schemas, CancellationToken.None);
            foreach (var b in data.All(capacity))
            {
                await again.WriteAsync(b, CancellationToken.None);
            }

            await again.CompleteAsync(CancellationToken.None);
            again.Results.Should().OnlyContain(r => r.RowsWritten == 0);
        }

        rerun.Stop();

        // 3b. The same first load into a fresh schema with rebuild_foreign_keys=true.
        var fkSchema = TestDatabase.NewSchema("benchfk");
        TimeSpan fkCopy, fkMerge;
        try
        {
            await using var fkSink = new PostgresRowSink(TestDatabase.Options(fkSchema, "incidents") with { RebuildForeignKeys = true });
            await fkSink.OpenAsync(IncidentsData.Schemas, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            foreach (var b in data.All(capacity))
            {
                await fkSink.WriteAsync(b, CancellationToken.None);
            }

            fkCopy = clock.Elapsed;
            clock.Restart();
            await fkSink.CompleteAsync(CancellationToken.None);
            fkMerge = clock.Elapsed;
            output.WriteLine("rebuild_foreign_keys steps: " + string.Join("; ", fkSink.Timings.Select(t => $"{t.Step} {t.Elapsed.TotalSeconds:F2}s")));
        }
        finally
        {
            await TestDatabase.DropSchemaAsync(fkSchema);
        }

        // 4. The practical limit: psql \copy of the same rows as CSV into plain, index-free tables.
        Directory.CreateDirectory(_dir);
        foreach (var t in Tables)
        {
            await using var w = new StreamWriter(Path.Combine(_dir, t + ".csv"), false, new UTF8Encoding(false), 1 << 16);
            var batches = t switch
            {
                "stations" => data.Stations(capacity),
                "incidents" => data.Incidents(capacity),
                "incident_units" => data.Units(capacity),
                "incident_assets" => data.Assets(capacity),
                _ => data.Notes(capacity),
            };
            IncidentsData.WriteCsv(w, IncidentsData.Schema(t), batches);
        }

        await using (var c = await TestDatabase.ConnectAsync())
        {
            foreach (var t in Tables)
            {
                var cols = string.Join(", ", IncidentsData.Schema(t).Columns.Select(col => $"\"{col.Name}\" {PgSql.TypeName(col.Type)}"));
                await using var cmd = new NpgsqlCommand($"CREATE TABLE \"{_schema}\".\"plain_{t}\" ({cols})", c);
                await cmd.ExecuteNonQueryAsync();
            }
        }

        var psql = Stopwatch.StartNew();
        foreach (var t in Tables)
        {
            await RunPsqlAsync($"\\copy \"{_schema}\".\"plain_{t}\" FROM '{Path.Combine(_dir, t + ".csv")}' WITH (FORMAT csv, HEADER true)");
        }

        psql.Stop();
        foreach (var t in Tables)
        {
            (await TestDatabase.CountAsync(_schema, "plain_" + t)).Should().Be(expected[t]);
        }

        var csvBytes = Tables.Sum(t => new FileInfo(Path.Combine(_dir, t + ".csv")).Length);
        var total = open.Elapsed + copy.Elapsed + merge.Elapsed;
        var report = string.Create(CultureInfo.InvariantCulture, $"""
            PostgreSQL incidents load, {incidents:N0} incidents, {totalRows:N0} rows in 5 tables ({csvBytes / 1048576.0:F0} MiB as CSV), batch {capacity}
              generation only:                      {gen.Elapsed.TotalSeconds,7:F1} s
              Doppel open (DDL, staging):           {open.Elapsed.TotalSeconds,7:F1} s
              Doppel binary COPY to staging (+gen): {copy.Elapsed.TotalSeconds,7:F1} s  {totalRows / copy.Elapsed.TotalSeconds,10:N0} rows/s
              of which inside WriteAsync:           {inSink.Elapsed.TotalSeconds,7:F1} s  {totalRows / inSink.Elapsed.TotalSeconds,10:N0} rows/s
              Doppel checks + upserts + commit:     {merge.Elapsed.TotalSeconds,7:F1} s  {totalRows / merge.Elapsed.TotalSeconds,10:N0} rows/s
              Doppel end to end:                    {total.TotalSeconds,7:F1} s  {totalRows / total.TotalSeconds,10:N0} rows/s
              same, rebuild_foreign_keys=true:      {(fkCopy + fkMerge).TotalSeconds,7:F1} s  {totalRows / (fkCopy + fkMerge).TotalSeconds,10:N0} rows/s (merge {fkMerge.TotalSeconds:F1} s)
              Doppel idempotent re-run:             {rerun.Elapsed.TotalSeconds,7:F1} s  {totalRows / rerun.Elapsed.TotalSeconds,10:N0} rows/s
              psql \copy CSV into plain tables:     {psql.Elapsed.TotalSeconds,7:F1} s  {totalRows / psql.Elapsed.TotalSeconds,10:N0} rows/s
            merge steps: {string.Join("; ", sink.Timings.Select(t => $"{t.Step} {t.Elapsed.TotalSeconds:F2}s"))}
            per table (staged -> written): {string.Join("; ", sink.Results.Select(r => $"{r.Target.Split('.')[^1]} {r.RowsStaged:N0}->{r.RowsWritten:N0}"))}
            """);
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("DOPPEL_PG_BENCH_OUT") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, report + "\n\n");
        }
    }

    private static async Task RunPsqlAsync(string command)
    {
        var b = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString);
        var psi = new ProcessStartInfo("psql")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username ?? "postgres", "-d", b.Database ?? "postgres", "-c", command })
        {
            psi.ArgumentList.Add(arg);
        }

        if (!string.IsNullOrEmpty(b.Password))
        {
            psi.Environment["PGPASSWORD"] = b.Password;
        }

        using var p = Process.Start(psi)!;
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.Should().Be(0, stderr);
    }
}
