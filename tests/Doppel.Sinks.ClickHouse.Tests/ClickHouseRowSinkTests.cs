using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Doppel.Data;
using Xunit.Abstractions;

namespace Doppel.Sinks.ClickHouse.Tests;

public sealed class ClickHouseRowSinkTests : IClassFixture<ClickHouseServer>, IAsyncLifetime
{
    private readonly ClickHouseServer _server;
    private readonly ITestOutputHelper _output;
    private readonly string _db = ClickHouseServer.UniqueDatabase("sendflowr");

    public ClickHouseRowSinkTests(ClickHouseServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
        _server.EnsureAvailable();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.QueryAsync($"DROP DATABASE IF EXISTS {_db}");

    private static async Task<ClickHouseRowSink> RunAsync(ClickHouseSinkOptions options, TableSchema schema, long rows, Func<ClickHouseRowSink, Task>? beforeComplete = null)
    {
        var (sink, _) = await TimedRunAsync(options, schema, rows, beforeComplete);
        return sink;
    }

    /// <summary>Runs the sink; also returns the time spent inside its calls (encoding, compressing, waiting for inserts), without the test's own row generation.</summary>
    private static async Task<(ClickHouseRowSink Sink, TimeSpan InSink)> TimedRunAsync(ClickHouseSinkOptions options, TableSchema schema, long rows, Func<ClickHouseRowSink, Task>? beforeComplete = null)
    {
        var inSink = new System.Diagnostics.Stopwatch();
        var sink = new ClickHouseRowSink(options);
        await using (sink)
        {
            await sink.OpenAsync([schema], default);
            foreach (var batch in EmailEventTables.Batches(schema, rows))
            {
                inSink.Start();
                await sink.WriteAsync(batch, default);
                inSink.Stop();
            }

            if (beforeComplete is not null)
            {
                await beforeComplete(sink);
            }

            inSink.Start();
            await sink.CompleteAsync(default);
            inSink.Stop();
        }

        return (sink, inSink.Elapsed);
    }

    private ClickHouseSinkOptions Options(string table = "email_events", string query = "create=true") =>
        ClickHouseSinkOptions.Parse(_server.Sink($"{_db}.{table}", query), _ => null);

    [Fact]
    public async Task Given_10000_events_in_batches_of_3000_when_inserted_then_all_rows_land_in_4_inserts()
    {
        var sink = await RunAsync(Options(query: "create=true&batch_rows=3000&compress=true"), EmailEventTables.EmailEvents, 10_000);

        sink.Summary!.Rows.Should().Be(10_000);
        sink.Summary.Inserts.Should().Be(4);
        sink.Summary.Compressed.Should().BeTrue("18.16 accepts gzip request bodies");
        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events")).Should().Be(10_000);
        (await _server.QueryAsync($"SELECT type FROM system.columns WHERE database = '{_db}' AND table = 'email_events' AND name = 'timestamp'")).Trim().Should().Be("DateTime");
    }

    [Fact]
    public async Task Given_email_events_when_inserted_then_the_seed_verification_queries_answer()
    {
        await RunAsync(Options(), EmailEventTables.EmailEvents, 2_000);

        // The seed's two checks, verbatim but for the database name.
        var count = await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE universal_id LIKE 'sf_%'");
        var recent = await _server.QueryAsync(
            $"""
            SELECT universal_id, substring(recipient_email_hash, 1, 16), event_type
               FROM {_db}.email_events
               WHERE universal_id LIKE 'sf_%'
               ORDER BY timestamp DESC LIMIT 10
            """);

        count.Should().Be(1_800, "every tenth event has an anonymous id");
        var rows = recent.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToArray();
        rows.Should().HaveCount(10).And.OnlyContain(r => r.Length == 3 && r[0].StartsWith("sf_", StringComparison.Ordinal) && r[1].Length == 16);
        rows[0].Should().Equal("sf_000998", EmailEventTables.Hash(EmailEventTables.Email(1998))[..16], "click");
    }

    [Fact]
    public async Task Given_microsecond_timestamps_when_inserted_then_they_read_back_truncated_to_the_second()
    {
        await RunAsync(Options(), EmailEventTables.EmailEvents, 50);

        var text = await _server.QueryAsync($"SELECT event_id, toUnixTimestamp(timestamp), toString(timestamp) FROM {_db}.email_events ORDER BY event_id FORMAT TabSeparated");

        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToArray();
        rows.Should().HaveCount(50);
        for (var i = 0; i < rows.Length; i++)
        {
            var micros = EmailEventTables.TimestampMicros(i);
            long.Parse(rows[i][1], CultureInfo.InvariantCulture).Should().Be(micros / 1_000_000);
            rows[i][2].Should().Be(DataTypes.FromMicros(micros).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "the server runs in UTC");
        }
    }

    [Fact]
    public async Task Given_nullable_columns_when_inserted_then_nulls_and_values_are_kept()
    {
        await RunAsync(Options(), EmailEventTables.EmailEvents, 1_000);

        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE persona IS NULL")).Should().Be(200);
        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE machine_open IS NOT NULL")).Should().Be(200);
        (await _server.CountAsync($"SELECT sum(machine_open) FROM {_db}.email_events")).Should().Be(Enumerable.Range(0, 1000).Count(i => i % 5 == 2 && i % 3 == 0));
        (await _server.QueryAsync($"SELECT url, latency_seconds, send_date, visitParamExtractString(properties, 'ip') FROM {_db}.email_events WHERE event_id = 'evt-000000003'"))
            .Should().Be("https://shop.example/p/3?q=\"ü€😀\"\t0.75\t2026-03-17\t192.0.2.3\n");
        (await _server.QueryAsync($"SELECT toTypeName(persona), toTypeName(machine_open) FROM {_db}.email_events LIMIT 1")).Trim().Should().Be("Nullable(String)\tNullable(UInt8)");
    }

    [Fact]
    public async Task Given_test_email_hashes_when_inserted_then_they_are_64_hex_sha256_strings()
    {
        await RunAsync(Options(), EmailEventTables.EmailEvents, 500);

        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE match(recipient_email_hash, '^[0-9a-f]{{64}}$')")).Should().Be(500);
        (await _server.QueryAsync($"SELECT recipient_email_hash FROM {_db}.email_events WHERE event_id = 'evt-000000042'")).Trim()
            .Should().Be(EmailEventTables.Hash("user42@example.test"));
    }

    [Fact]
    public async Task Given_a_run_id_column_when_two_runs_share_a_table_then_each_counts_its_own_rows()
    {
        await RunAsync(Options(query: "create=true&run_column=doppel_run&run_id=run-a"), EmailEventTables.Narrow, 700);
        var second = await RunAsync(Options(query: "run_column=doppel_run&run_id=run-b"), EmailEventTables.Narrow, 300);

        second.Summary!.Rows.Should().Be(300);
        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE doppel_run = 'run-a'")).Should().Be(700);
        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE doppel_run = 'run-b'")).Should().Be(300);
    }

    [Fact]
    public async Task Given_another_writer_when_the_run_ends_then_the_before_after_count_check_fails_clearly()
    {
        var run = () => RunAsync(Options(), EmailEventTables.Narrow, 100, async _ =>
            await _server.QueryAsync($"INSERT INTO {_db}.email_events (event_id, event_type, timestamp, universal_id, recipient_email_hash, campaign_id, esp, score) VALUES ('x', 'open', now(), 'sf_x', 'h', 1, 'esp', 0)"));

        (await run.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
            .Be($"ClickHouse row count check failed for {_db}.email_events: sent 100 rows but count() went from 0 to 101 (+101). Another writer, or a retried insert that had already landed, changes the count; use ?run_column=<name> to count this run's rows exactly.");
    }

    [Fact]
    public async Task Given_a_proxy_that_answers_503_once_when_inserting_then_the_insert_is_retried_and_counts_match()
    {
        await using var proxy = await FlakyProxy.StartAsync(_server.Url, failInserts: 1);
        var options = ClickHouseSinkOptions.Parse($"clickhouse://127.0.0.1:{proxy.Port}/{_db}.email_events?create=true&batch_rows=400", _ => null)
            with { BackoffBase = TimeSpan.FromMilliseconds(50) };

        var sink = await RunAsync(options, EmailEventTables.Narrow, 1_000);

        proxy.InsertsSeen.Should().Be(4, "3 inserts, the first one twice");
        sink.Summary!.Retries.Should().Be(1);
        sink.Summary.Rows.Should().Be(1_000);
        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events")).Should().Be(1_000);
    }

    [Fact]
    public async Task Given_no_server_at_the_address_when_opening_then_the_error_names_the_address_and_the_fix()
    {
        var port = FreePort();
        var sink = new ClickHouseRowSink(ClickHouseSinkOptions.Parse($"clickhouse://127.0.0.1:{port}/db.t", _ => null));
        await using (sink)
        {
            var open = async () => await sink.OpenAsync([EmailEventTables.Narrow], default);

            (await open.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be(
                $"ClickHouse not available at http://127.0.0.1:{port}/: Connection refused. Start ClickHouse (for tests: .ci/services/clickhouse.sh) or pass --sink with the right address.");
        }
    }

    [Fact]
    public async Task Given_a_wrong_password_when_opening_then_the_error_says_the_user_was_rejected()
    {
        var sink = new ClickHouseRowSink(ClickHouseSinkOptions.Parse(_server.Sink($"{_db}.t").Replace("://", "://doppel:wrong@", StringComparison.Ordinal), _ => null));
        await using (sink)
        {
            var open = async () => await sink.OpenAsync([EmailEventTables.Narrow], default);

            (await open.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
                .StartWith($"ClickHouse at {_server.Url} rejected user 'doppel': ")
                .And.Contain("Wrong password")
                .And.EndWith("Check the user and password in the --sink URI or CLICKHOUSE_USER/CLICKHOUSE_PASSWORD.")
                .And.NotContain("wrong@");
        }
    }

    [Fact]
    public async Task Given_credentials_from_the_environment_when_inserting_then_they_are_used()
    {
        var env = new Dictionary<string, string?> { ["CLICKHOUSE_USER"] = "doppel", ["CLICKHOUSE_PASSWORD"] = "doppel-secret" };
        var options = ClickHouseSinkOptions.Parse(_server.Sink($"{_db}.email_events", "create=true"), name => env.GetValueOrDefault(name));

        var sink = await RunAsync(options, EmailEventTables.Narrow, 10);

        options.User.Should().Be("doppel");
        sink.Summary!.Rows.Should().Be(10);
    }

    [Fact]
    public async Task Given_a_missing_table_without_create_when_opening_then_the_error_says_how_to_create_it()
    {
        var open = () => RunAsync(Options(query: string.Empty), EmailEventTables.Narrow, 1);

        (await open.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
            .Be($"ClickHouse table {_db}.email_events does not exist. Create it (DDL in docs/sinks/clickhouse.md) or add ?create=true to the --sink URI.");
    }

    [Fact]
    public async Task Given_a_table_missing_a_column_when_opening_then_the_column_is_named()
    {
        await _server.QueryAsync($"CREATE DATABASE {_db}");
        await _server.QueryAsync($"CREATE TABLE {_db}.email_events (event_id String, timestamp DateTime) ENGINE = MergeTree() ORDER BY timestamp");

        var open = () => RunAsync(Options(query: string.Empty), EmailEventTables.Narrow, 1);

        (await open.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
            .StartWith($"ClickHouse table {_db}.email_events has no column(s) event_type, universal_id, recipient_email_hash, campaign_id, esp, score;");
    }

    [Fact]
    public async Task Given_a_timestamp_after_2105_when_writing_then_the_row_and_column_are_named()
    {
        var sink = new ClickHouseRowSink(Options());
        await using (sink)
        {
            await sink.OpenAsync([EmailEventTables.Narrow], default);
            var batch = EmailEventTables.Batches(EmailEventTables.Narrow, 3).Single();
            batch.Columns[2].Int64[1] = DataTypes.ToMicros(new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc));

            var write = async () => await sink.WriteAsync(batch, default);

            (await write.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
                .StartWith("Row 1 of table 'events8': timestamp column 'timestamp' is outside 1970-01-01 … 2105-12-31");
            await sink.AbortAsync(default);
        }

        (await _server.CountAsync($"EXISTS TABLE {_db}.email_events")).Should().Be(0, "abort drops a table the run created");
    }

    [Fact]
    public async Task Given_a_run_id_column_when_a_run_is_aborted_then_only_its_rows_are_deleted()
    {
        await RunAsync(Options(query: "create=true&run_column=doppel_run&run_id=keep"), EmailEventTables.Narrow, 50);
        var sink = new ClickHouseRowSink(Options(query: "run_column=doppel_run&run_id=undo&batch_rows=10"));
        await using (sink)
        {
            await sink.OpenAsync([EmailEventTables.Narrow], default);
            foreach (var batch in EmailEventTables.Batches(EmailEventTables.Narrow, 40))
            {
                await sink.WriteAsync(batch, default);
            }

            await sink.AbortAsync(default);
        }

        // ALTER … DELETE is a mutation: applied in the background, usually within a second.
        for (var i = 0; i < 50 && await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE doppel_run = 'undo'") > 0; i++)
        {
            await Task.Delay(100);
        }

        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE doppel_run = 'undo'")).Should().Be(0);
        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events WHERE doppel_run = 'keep'")).Should().Be(50);
    }

    [Fact]
    public async Task Given_a_uri_without_a_table_when_a_recipe_has_two_tables_then_each_goes_to_a_table_of_its_name()
    {
        var sink = new ClickHouseRowSink(ClickHouseSinkOptions.Parse(_server.Sink(_db, "create=true"), _ => null));
        await using (sink)
        {
            await sink.OpenAsync([EmailEventTables.EmailEvents, EmailEventTables.Narrow], default);
            foreach (var batch in EmailEventTables.Batches(EmailEventTables.EmailEvents, 30))
            {
                await sink.WriteAsync(batch, default);
            }

            foreach (var batch in EmailEventTables.Batches(EmailEventTables.Narrow, 20))
            {
                await sink.WriteAsync(batch, default);
            }

            await sink.CompleteAsync(default);
            sink.Summary!.Rows.Should().Be(50);
        }

        (await _server.CountAsync($"SELECT count() FROM {_db}.email_events")).Should().Be(30);
        (await _server.CountAsync($"SELECT count() FROM {_db}.events8")).Should().Be(20);
    }

    [Fact]
    public async Task Given_a_table_in_the_uri_and_two_recipe_tables_when_opening_then_source_table_is_asked_for()
    {
        var sink = new ClickHouseRowSink(ClickHouseSinkOptions.Parse(_server.Sink($"{_db}.x", "create=true"), _ => null));
        await using (sink)
        {
            var open = async () => await sink.OpenAsync([EmailEventTables.EmailEvents, EmailEventTables.Narrow], default);

            (await open.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Contain("?source_table=<name>");
        }
    }

    [Fact]
    public async Task Given_rows_of_an_8_column_table_when_inserted_then_the_throughput_is_reported()
    {
        var rows = Environment.GetEnvironmentVariable("DOPPEL_CLICKHOUSE_BENCH_ROWS") is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 200_000;

        var compress = Environment.GetEnvironmentVariable("DOPPEL_CLICKHOUSE_BENCH_COMPRESS") ?? "auto";

        var (sink, inSink) = await TimedRunAsync(Options(table: "events8", query: "create=true&compress=" + compress), EmailEventTables.Narrow, rows);

        _output.WriteLine($"ClickHouse: {sink.Summary}; time inside the sink {inSink.TotalSeconds:0.00} s = {rows / inSink.TotalSeconds:0} rows/s");
        sink.Summary!.Rows.Should().Be(rows);
        (await _server.CountAsync($"SELECT count() FROM {_db}.events8")).Should().Be(rows);
        (await _server.CountAsync($"SELECT uniqExact(event_id) FROM {_db}.events8")).Should().Be(rows);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
