using System.Globalization;
using Doppel.Data;
using Doppel.Output;

namespace Doppel.Sinks.PostgreSql.Tests;

public sealed class PostgresRowSinkTests : IAsyncLifetime
{
    private static readonly TableSchema AllTypes = new("all_types",
    [
        new("id", DataType.Int, false),
        new("name", DataType.String, true),
        new("score", DataType.Float, true),
        new("active", DataType.Bool, true),
        new("born", DataType.Date, true),
        new("seen_at", DataType.Timestamp, true),
        new("doc", DataType.Json, true),
    ]);

    private static readonly TableSchema Parents = new("parents", [new("parent_id", DataType.Int, false), new("label", DataType.String, false)]);
    private static readonly TableSchema Children = new("children", [new("child_id", DataType.String, false), new("parent_id", DataType.Int, false)]);

    private readonly string _schema = TestDatabase.NewSchema("sink");

    public Task InitializeAsync() => TestDatabase.EnsureReachableAsync();

    public Task DisposeAsync() => TestDatabase.DropSchemaAsync(_schema);

    private static readonly object?[][] AllTypesRows =
    [
        [1L, "plain ascii", 1.5, true, new DateOnly(2024, 2, 29), new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234560), "{\"a\": 1, \"b\": [true, null]}"],
        [2L, "ünïcödé – 日本語 – emoji 🚒🔥 – combining é – \"quotes\" 'single' \\ back\\slash\ttab\nnewline", -0.0, false, new DateOnly(1900, 1, 1), new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), "{\"name\": \"Zoë 🚑\"}"],
        [3L, null, null, null, null, null, null],
        [4L, "", double.MaxValue, true, new DateOnly(9999, 12, 31), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc), "[]"],
        [long.MaxValue, new string('x', 5000), double.Epsilon, false, new DateOnly(1970, 1, 1), new DateTime(2038, 1, 19, 3, 14, 8, DateTimeKind.Utc), "\"just a string\""],
    ];

    private static async Task RunAsync(IRowSink sink, IReadOnlyList<TableSchema> tables, params RowBatch[] batches)
    {
        await using (sink)
        {
            await sink.OpenAsync(tables, CancellationToken.None);
            foreach (var b in batches)
            {
                await sink.WriteAsync(b, CancellationToken.None);
            }

            await sink.CompleteAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Every_type_round_trips_including_nulls_and_unicode()
    {
        var sink = new PostgresRowSink(TestDatabase.Options(_schema));

        await RunAsync(sink, [AllTypes], Batches.Of(AllTypes, 0, AllTypesRows[..2]), Batches.Of(AllTypes, 2, AllTypesRows[2..]));

        var types = await TestDatabase.RowsAsync(
            $"SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{_schema}\".all_types'::regclass AND attnum > 0 ORDER BY attnum");
        types.Select(r => $"{r[0]} {r[1]}").Should().Equal(
            "id bigint", "name text", "score double precision", "active boolean", "born date", "seen_at timestamp with time zone", "doc jsonb");

        var rows = await TestDatabase.RowsAsync($"SELECT id, name, score, active, born, seen_at, doc::text FROM \"{_schema}\".all_types ORDER BY id");
        rows.Should().HaveCount(AllTypesRows.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = AllTypesRows[i];
            rows[i][0].Should().Be(expected[0]);
            rows[i][1].Should().Be(expected[1]);
            rows[i][2].Should().Be(expected[2]);
            rows[i][3].Should().Be(expected[3]);
            var born = rows[i][4] switch { DateTime dt => DateOnly.FromDateTime(dt), DateOnly d => d, _ => (DateOnly?)null };
            born.Should().Be((DateOnly?)expected[4]);
            rows[i][5].Should().Be(expected[5]);
            ((DateTime?)rows[i][5])?.Kind.Should().Be(DateTimeKind.Utc);
        }

        // jsonb normalises whitespace; compare documents, not text.
        var docs = await TestDatabase.RowsAsync($"SELECT doc = '{{\"a\": 1, \"b\": [true, null]}}'::jsonb, doc->>'name', doc IS NULL FROM \"{_schema}\".all_types ORDER BY id");
        docs[0][0].Should().Be(true);
        docs[1][1].Should().Be("Zoë 🚑");
        docs[2][2].Should().Be(true);
        var micros = await TestDatabase.ScalarAsync($"SELECT extract(microseconds FROM seen_at)::bigint FROM \"{_schema}\".all_types WHERE id = 1");
        micros.Should().Be(59_123_456L, "timestamps keep microsecond precision");
        sink.Results.Should().ContainSingle().Which.Should().Be(new TableLoadResult($"{_schema}.all_types", 5, 5));
    }

    [Fact]
    public async Task Rerunning_the_same_data_is_idempotent_and_changed_rows_are_updated()
    {
        var batch = Batches.Of(AllTypes, 0, AllTypesRows);
        await RunAsync(new PostgresRowSink(TestDatabase.Options(_schema)), [AllTypes], batch);
        var first = await TestDatabase.HashAsync(_schema, "all_types");

        var again = new PostgresRowSink(TestDatabase.Options(_schema));
        await RunAsync(again, [AllTypes], Batches.Of(AllTypes, 0, AllTypesRows));

        (await TestDatabase.HashAsync(_schema, "all_types")).Should().Be(first);
        again.Results.Single().RowsWritten.Should().Be(0, "identical rows are not rewritten");

        var changed = AllTypesRows.Select(r => (object?[])r.Clone()).ToArray();
        changed[0][1] = "renamed";
        var third = new PostgresRowSink(TestDatabase.Options(_schema));
        await RunAsync(third, [AllTypes], Batches.Of(AllTypes, 0, changed));

        third.Results.Single().RowsWritten.Should().Be(1);
        (await TestDatabase.ScalarAsync($"SELECT name FROM \"{_schema}\".all_types WHERE id = 1")).Should().Be("renamed");
        (await TestDatabase.CountAsync(_schema, "all_types")).Should().Be(AllTypesRows.Length);
    }

    [Fact]
    public async Task Abort_after_writing_leaves_existing_tables_exactly_as_they_were()
    {
        await RunAsync(new PostgresRowSink(TestDatabase.Options(_schema)), [Parents], Batches.Of(Parents, 0, [1L, "one"], [2L, "two"]));
        var before = await TestDatabase.HashAllAsync(_schema, ["parents", "children"]);

        await using (var sink = new PostgresRowSink(TestDatabase.Options(_schema)))
        {
            await sink.OpenAsync([Parents, Children], CancellationToken.None);
            await sink.WriteAsync(Batches.Of(Parents, 0, [1L, "changed"], [3L, "three"]), CancellationToken.None);
            await sink.WriteAsync(Batches.Of(Children, 0, ["c1", 1L]), CancellationToken.None);
            await sink.AbortAsync(CancellationToken.None);
            await sink.AbortAsync(CancellationToken.None); // idempotent
        }

        (await TestDatabase.HashAllAsync(_schema, ["parents", "children"])).Should().Be(before);
        (await TestDatabase.TableExistsAsync(_schema, "children")).Should().BeFalse("the CREATE TABLE was rolled back too");
    }

    [Fact]
    public async Task Disposing_without_complete_rolls_back()
    {
        await using (var sink = new PostgresRowSink(TestDatabase.Options(_schema)))
        {
            await sink.OpenAsync([Parents], CancellationToken.None);
            await sink.WriteAsync(Batches.Of(Parents, 0, [1L, "one"]), CancellationToken.None);
        }

        (await TestDatabase.ScalarAsync($"SELECT to_regnamespace('\"{_schema}\"') IS NULL")).Should().Be(true);
    }

    [Fact]
    public async Task Tables_may_interleave_and_are_merged_parents_first()
    {
        // Foreign key from children to parents: merging in run order must satisfy it.
        await RunAsync(new PostgresRowSink(TestDatabase.Options(_schema)), [Parents, Children], Batches.Of(Parents, 0, [1L, "one"]), Batches.Of(Children, 0, ["c0", 1L]));
        await using (var c = await TestDatabase.ConnectAsync())
        {
            await using var cmd = new Npgsql.NpgsqlCommand($"ALTER TABLE \"{_schema}\".children ADD FOREIGN KEY (parent_id) REFERENCES \"{_schema}\".parents (parent_id)", c);
            await cmd.ExecuteNonQueryAsync();
        }

        var sink = new PostgresRowSink(TestDatabase.Options(_schema));
        await RunAsync(
            sink,
            [Parents, Children],
            Batches.Of(Parents, 0, [2L, "two"]),
            Batches.Of(Children, 0, ["c1", 2L]),
            Batches.Of(Parents, 1, [3L, "three"]),
            Batches.Of(Children, 1, ["c2", 3L]));

        (await TestDatabase.CountAsync(_schema, "parents")).Should().Be(3);
        (await TestDatabase.CountAsync(_schema, "children")).Should().Be(3);
        sink.Results.Select(r => (r.Target, r.RowsStaged)).Should().Equal(($"{_schema}.parents", 2L), ($"{_schema}.children", 2L));
    }

    [Fact]
    public async Task Rebuilt_foreign_key_that_no_longer_holds_fails_and_is_kept()
    {
        await RunAsync(new PostgresRowSink(TestDatabase.Options(_schema)), [Parents, Children], Batches.Of(Parents, 0, [1L, "one"]), Batches.Of(Children, 0, ["c0", 1L]));
        await using (var c = await TestDatabase.ConnectAsync())
        {
            await using var cmd = new Npgsql.NpgsqlCommand($"ALTER TABLE \"{_schema}\".children ADD CONSTRAINT children_parent_fk FOREIGN KEY (parent_id) REFERENCES \"{_schema}\".parents (parent_id)", c);
            await cmd.ExecuteNonQueryAsync();
        }

        var before = await TestDatabase.HashAllAsync(_schema, ["parents", "children"]);
        var options = TestDatabase.Options(_schema) with { RebuildForeignKeys = true };

        var act = () => RunAsync(new PostgresRowSink(options), [Parents, Children], Batches.Of(Parents, 0, [2L, "two"]), Batches.Of(Children, 0, ["orphan", 99L]));

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
            .StartWith($"PostgreSQL load failed while re-validating foreign key children_parent_fk of {_schema}.children: insert or update on table \"children\" violates foreign key constraint \"children_parent_fk\"")
            .And.Contain("(parent_id)=(99)");
        (await TestDatabase.HashAllAsync(_schema, ["parents", "children"])).Should().Be(before);
        (await TestDatabase.ScalarAsync($"SELECT count(*) FROM pg_constraint WHERE conname = 'children_parent_fk' AND connamespace = '\"{_schema}\"'::regnamespace")).Should().Be(1L);
    }

    [Fact]
    public async Task Composite_keys_are_used_for_the_upsert()
    {
        var lines = new TableSchema("lines", [new("order_id", DataType.Int, false), new("line_no", DataType.Int, false), new("qty", DataType.Int, false)]);
        var options = TestDatabase.Options(_schema) with { Keys = new Dictionary<string, IReadOnlyList<string>> { ["lines"] = ["order_id", "line_no"] } };

        await RunAsync(new PostgresRowSink(options), [lines], Batches.Of(lines, 0, [1L, 1L, 5L], [1L, 2L, 6L], [2L, 1L, 7L]));
        await RunAsync(new PostgresRowSink(options), [lines], Batches.Of(lines, 0, [1L, 2L, 60L], [3L, 1L, 8L]));

        var rows = await TestDatabase.RowsAsync($"SELECT order_id, line_no, qty FROM \"{_schema}\".lines ORDER BY 1, 2");
        rows.Select(r => string.Join('/', r)).Should().Equal("1/1/5", "1/2/60", "2/1/7", "3/1/8");
    }

    [Fact]
    public async Task Duplicate_natural_keys_in_one_run_fail_with_the_key_and_roll_back()
    {
        var sink = new PostgresRowSink(TestDatabase.Options(_schema));
        await sink.OpenAsync([Parents], CancellationToken.None);
        await sink.WriteAsync(Batches.Of(Parents, 0, [7L, "a"], [7L, "b"]), CancellationToken.None);

        var act = async () => await sink.CompleteAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
            .Be($"PostgreSQL load failed while upserting {_schema}.parents: the natural key (parent_id) of table 'parents' repeats in this run: 7 occurs 2 times; make the key unique or choose another with key.parents=<columns>; nothing was committed");
        await sink.DisposeAsync();
        (await TestDatabase.ScalarAsync($"SELECT to_regnamespace('\"{_schema}\"') IS NULL")).Should().Be(true);
    }

    [Fact]
    public async Task Existing_target_without_a_unique_key_is_rejected_at_open()
    {
        await using (var c = await TestDatabase.ConnectAsync())
        {
            await using var cmd = new Npgsql.NpgsqlCommand($"CREATE SCHEMA \"{_schema}\"; CREATE TABLE \"{_schema}\".parents (parent_id bigint, label text)", c);
            await cmd.ExecuteNonQueryAsync();
        }

        await using var sink = new PostgresRowSink(TestDatabase.Options(_schema));
        var act = async () => await sink.OpenAsync([Parents], CancellationToken.None);

        await act.Should().ThrowAsync<DoppelException>()
            .WithMessage($"Target table {_schema}.parents has no unique index on (parent_id), which the upsert needs; add one or choose the key with key.parents=<columns>");
    }

    [Fact]
    public async Task Missing_target_without_create_tables_is_a_clear_error()
    {
        await using var sink = new PostgresRowSink(TestDatabase.Options(_schema) with { CreateTables = false });
        var act = async () => await sink.OpenAsync([Parents], CancellationToken.None);

        await act.Should().ThrowAsync<DoppelException>().WithMessage($"Target table {_schema}.parents does not exist; create it or use create_tables=true");
    }

    [Fact]
    public async Task Key_that_is_not_a_column_is_a_usage_error_with_a_suggestion()
    {
        var options = TestDatabase.Options(_schema) with { Keys = new Dictionary<string, IReadOnlyList<string>> { ["parents"] = ["parentid"] } };
        await using var sink = new PostgresRowSink(options);
        var act = async () => await sink.OpenAsync([Parents], CancellationToken.None);

        (await act.Should().ThrowAsync<DoppelException>().WithMessage("Key column 'parentid' of table 'parents' is not one of its columns (did you mean 'parent_id'?)"))
            .Which.ExitCode.Should().Be(ExitCodes.UsageError);
    }

    [Fact]
    public async Task Invalid_json_is_reported_with_the_table_and_nothing_is_committed()
    {
        var docs = new TableSchema("docs", [new("id", DataType.Int, false), new("doc", DataType.Json, true)]);
        var sink = new PostgresRowSink(TestDatabase.Options(_schema));
        await sink.OpenAsync([docs], CancellationToken.None);

        var act = async () =>
        {
            await sink.WriteAsync(Batches.Of(docs, 0, [1L, "{not json"]), CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        };

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Contain("invalid input syntax for type json").And.Contain("nothing was committed");
        await sink.AbortAsync(CancellationToken.None);
        await sink.DisposeAsync();
        (await TestDatabase.ScalarAsync($"SELECT to_regnamespace('\"{_schema}\"') IS NULL")).Should().Be(true);
    }

    [Fact]
    public async Task Unreachable_server_gives_the_documented_one_line_error()
    {
        var options = PostgresSinkOptions.FromUri("postgres://nobody:pw@127.0.0.1:1/nowhere?connect_timeout=3", _ => null);
        await using var sink = new PostgresRowSink(options);

        var act = async () => await sink.OpenAsync([Parents], CancellationToken.None);

        var ex = (await act.Should().ThrowAsync<DoppelException>()).Which;
        ex.Message.Should().StartWith("Cannot connect to PostgreSQL at 127.0.0.1:1/nowhere: ").And.EndWith("; check --sink / DATABASE_URL");
        ex.Message.Should().Contain("refused").And.NotContain("\n").And.NotContain("pw");
        ex.ExitCode.Should().Be(ExitCodes.RuntimeError);
    }

    [Fact]
    public async Task Wrong_database_name_reports_the_server_reason()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = "doppel_no_such_db" };
        await using var sink = new PostgresRowSink(PostgresSinkOptions.FromUri(b.ConnectionString, _ => null));

        var act = async () => await sink.OpenAsync([Parents], CancellationToken.None);

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should()
            .Be(string.Create(CultureInfo.InvariantCulture, $"Cannot connect to PostgreSQL at {b.Host}:{b.Port}/doppel_no_such_db: database \"doppel_no_such_db\" does not exist [SQLSTATE 3D000]; check --sink / DATABASE_URL"));
    }

    [Fact]
    public async Task Cancellation_mid_copy_then_abort_leaves_the_database_as_it_was()
    {
        await RunAsync(new PostgresRowSink(TestDatabase.Options(_schema)), [Parents], Batches.Of(Parents, 0, [1L, "one"]));
        var before = await TestDatabase.HashAsync(_schema, "parents");
        using var cts = new CancellationTokenSource();

        await using (var sink = new PostgresRowSink(TestDatabase.Options(_schema)))
        {
            await sink.OpenAsync([Parents], CancellationToken.None);
            await sink.WriteAsync(Batches.Of(Parents, 0, [2L, "two"]), cts.Token);
            await cts.CancelAsync();
            var act = async () => await sink.WriteAsync(Batches.Of(Parents, 1, [3L, "three"]), cts.Token);
            await act.Should().ThrowAsync<OperationCanceledException>();
            await sink.AbortAsync(CancellationToken.None);
        }

        (await TestDatabase.HashAsync(_schema, "parents")).Should().Be(before);
    }

    [Fact]
    public async Task Nul_character_in_text_fails_naming_the_table()
    {
        var sink = new PostgresRowSink(TestDatabase.Options(_schema));
        await sink.OpenAsync([Parents], CancellationToken.None);

        var act = async () =>
        {
            await sink.WriteAsync(Batches.Of(Parents, 0, [1L, "bad\0value"]), CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        };

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Contain("0x00").And.Contain("nothing was committed");
        await sink.DisposeAsync();
        (await TestDatabase.ScalarAsync($"SELECT to_regnamespace('\"{_schema}\"') IS NULL")).Should().Be(true);
    }

    [Fact]
    public async Task Batches_must_belong_to_an_opened_table_with_the_same_columns()
    {
        await using var sink = new PostgresRowSink(TestDatabase.Options(_schema));
        await sink.OpenAsync([Parents], CancellationToken.None);

        var unknown = async () => await sink.WriteAsync(Batches.Of(Children, 0, ["c", 1L]), CancellationToken.None);
        var reshaped = async () => await sink.WriteAsync(Batches.Of(new TableSchema("parents", [new("label", DataType.String, false), new("parent_id", DataType.Int, false)]), 0, ["x", 1L]), CancellationToken.None);

        await unknown.Should().ThrowAsync<InvalidOperationException>().WithMessage("Table 'children' was not passed to OpenAsync.");
        await reshaped.Should().ThrowAsync<InvalidOperationException>().WithMessage("A batch of table 'parents' has columns that differ*");
    }
}
