using System.Net.Sockets;
using System.Text;
using Doppel.Data;
using Doppel.Output;
using Npgsql;
using NpgsqlTypes;

namespace Doppel.Sinks.PostgreSql;

/// <summary>
/// Loads a run into PostgreSQL in one transaction: rows are streamed by binary COPY into session-local
/// staging tables, then an <see cref="ILoadPlan"/> upserts them into the target tables and the
/// transaction commits. Any failure, or <see cref="AbortAsync"/>, rolls everything back.
/// </summary>
/// <remarks>
/// <para>Why staging: COPY cannot upsert, and resolving codes to surrogate keys is one set-based join per
/// table instead of a lookup per row. Staging tables are <c>TEMP … ON COMMIT DROP</c>, so they never
/// outlive the transaction and are invisible to other sessions.</para>
/// <para>Only one COPY can be in progress on a connection, so the sink finishes a table's COPY when a
/// batch of another table arrives; a table that comes back later simply gets a second COPY.</para>
/// <para>Idempotence: the upserts update only rows whose content differs, so re-running the same data
/// changes nothing. Not transactional in PostgreSQL: sequence values consumed by a rolled-back or
/// conflicting insert are not returned, so surrogate ids of new rows may have gaps.</para>
/// </remarks>
public sealed class PostgresRowSink : IRowSink
{
    private readonly PostgresSinkOptions _options;
    private readonly ILoadPlan _plan;
    private readonly Dictionary<string, TableState> _tables = new(StringComparer.Ordinal);
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private LoadContext? _context;
    private NpgsqlBinaryImporter? _importer;
    private TableState? _copying;
    private char[] _chars = new char[1024];
    private SinkState _state = SinkState.Created;

    /// <summary>Creates a sink; nothing connects until <see cref="OpenAsync"/>.</summary>
    /// <param name="options">Connection and plan options, usually from <see cref="PostgresSinkOptions.FromUri"/>.</param>
    /// <param name="plan">The load plan; <see langword="null"/> uses <see cref="PostgresSinkOptions.CreatePlan"/>.</param>
    public PostgresRowSink(PostgresSinkOptions options, ILoadPlan? plan = null)
    {
        _options = options;
        _plan = plan ?? options.CreatePlan();
    }

    private enum SinkState
    {
        Created,
        Open,
        Completed,
        Aborted,
    }

    /// <summary>Per-target outcomes, available after <see cref="CompleteAsync"/>.</summary>
    public IReadOnlyList<TableLoadResult> Results => _context?.Results ?? [];

    /// <summary>Durations of the plan's checks and merge steps, available after <see cref="CompleteAsync"/>.</summary>
    public IReadOnlyList<LoadStepTiming> Timings => _context?.Timings ?? [];

    public string Describe() => _options.Describe() + (_plan.Name == _options.Plan ? "" : " [plan " + _plan.Name + "]");

    public async ValueTask OpenAsync(IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken)
    {
        if (_state != SinkState.Created)
        {
            throw new InvalidOperationException("OpenAsync must be called once, before any other call.");
        }

        _connection = await ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
        _state = SinkState.Open;
        try
        {
            await RaiseTempBuffersAsync(_connection, cancellationToken).ConfigureAwait(false);
            _transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            _context = new LoadContext(_connection, _options);

            // JIT compiling the wide check and upsert queries costs seconds (measured: 3.5 s of a 3.7 s check
            // on 20k rows) and never pays back on these set-based scans. A larger work_mem keeps the hash
            // joins of children against incidents in memory. LOCAL: both end with the transaction.
            await _context.ExecuteAsync("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'", cancellationToken).ConfigureAwait(false);
            var staging = await _plan.PrepareAsync(_context, tables, cancellationToken).ConfigureAwait(false);
            foreach (var stage in staging)
            {
                await _context.ExecuteAsync(CreateStagingSql(stage), cancellationToken).ConfigureAwait(false);
            }

            foreach (var table in tables)
            {
                var stage = staging.FirstOrDefault(s => string.Equals(s.Table, table.Name, StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"Load plan '{_plan.Name}' returned no staging table for '{table.Name}'.");
                if (!_tables.TryAdd(table.Name, new TableState(table, stage)))
                {
                    throw new DoppelException($"Table '{table.Name}' appears twice in the run; PostgreSQL needs unique table names", ExitCodes.UsageError);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await AbortAsync(CancellationToken.None).ConfigureAwait(false);
            if (Wrap(ex, "preparing the load") is { } wrapped)
            {
                throw wrapped;
            }

            throw;
        }
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        EnsureOpen();
        if (!_tables.TryGetValue(batch.Table, out var table))
        {
            throw new InvalidOperationException($"Table '{batch.Table}' was not passed to OpenAsync.");
        }

        table.CheckBatch(batch);
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            if (!ReferenceEquals(_copying, table))
            {
                await FinishCopyAsync(cancellationToken).ConfigureAwait(false);
                _importer = await _connection!.BeginBinaryImportAsync(table.CopySql, cancellationToken).ConfigureAwait(false);
                _copying = table;
            }

            await WriteRowsAsync(_importer!, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or SocketException)
        {
            throw Wrap(ex, $"copying rows of table '{batch.Table}'")!;
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        try
        {
            await FinishCopyAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in _tables.Values)
            {
                // Autovacuum never analyzes temp tables; without statistics the merge joins are planned blind.
                if (_context!.Staged(table.Schema.Name) > 0)
                {
                    await _context.ExecuteAsync("ANALYZE pg_temp." + PgSql.Quote(table.Staging.Name), cancellationToken).ConfigureAwait(false);
                }
            }

            var foreignKeys = _options.RebuildForeignKeys
                ? await DropForeignKeysAsync(_context!, cancellationToken).ConfigureAwait(false)
                : [];
            await _plan.MergeAsync(_context!, cancellationToken).ConfigureAwait(false);
            foreach (var (table, name, definition) in foreignKeys)
            {
                await _context!.ExecuteStepAsync(
                    $"re-validating foreign key {name} of {table}",
                    $"ALTER TABLE {table} ADD CONSTRAINT {PgSql.Quote(name)} {definition}",
                    null,
                    cancellationToken).ConfigureAwait(false);
            }

            await _transaction!.CommitAsync(cancellationToken).ConfigureAwait(false);
            _state = SinkState.Completed;
        }
        catch (Exception ex)
        {
            await AbortAsync(CancellationToken.None).ConfigureAwait(false);
            if (ex is not OperationCanceledException && Wrap(ex, "merging staged rows") is { } wrapped)
            {
                throw wrapped;
            }

            throw;
        }
    }

    /// <summary>Cancels any COPY in progress and rolls the transaction back. Safe to call more than once.</summary>
    public async ValueTask AbortAsync(CancellationToken cancellationToken)
    {
        if (_state != SinkState.Open)
        {
            return;
        }

        _state = SinkState.Aborted;
        try
        {
            if (_importer is not null)
            {
                // Disposing an importer that was not completed cancels the COPY on the server.
                await _importer.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // The connection may be broken; the rollback below (or the server, on disconnect) undoes the work.
        }
        finally
        {
            _importer = null;
            _copying = null;
        }

        try
        {
            if (_transaction is not null && _connection?.State == System.Data.ConnectionState.Open)
            {
                await _transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // A broken connection cannot roll back, but PostgreSQL aborts the transaction when the session ends.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AbortAsync(CancellationToken.None).ConfigureAwait(false);
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Opens a connection, turning every kind of failure into the documented one-line error.</summary>
    internal static async ValueTask<NpgsqlConnection> ConnectAsync(PostgresSinkOptions options, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException or ArgumentException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DoppelException(
                $"Cannot connect to PostgreSQL at {options.Address}: {PostgresErrors.ConnectReason(ex)}; check --sink / DATABASE_URL",
                ExitCodes.RuntimeError,
                ex);
        }
    }

    /// <summary>
    /// Drops every foreign key declared on a table of the target schema and returns what re-creates it.
    /// Definitions come from <c>pg_get_constraintdef</c> under the same search_path they are re-added with.
    /// </summary>
    private static async ValueTask<List<(string Table, string Name, string Definition)>> DropForeignKeysAsync(LoadContext context, CancellationToken ct)
    {
        var keys = new List<(string, string, string)>();
        await using (var cmd = new NpgsqlCommand(
            """
            SELECT format('%I.%I', n.nspname, r.relname), c.conname::text, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
            WHERE c.contype = 'f' AND n.nspname = @schema
            ORDER BY 1, 2
            """,
            context.Connection))
        {
            cmd.Parameters.AddWithValue("schema", context.Schema);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        foreach (var (table, name, _) in keys)
        {
            await context.ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT {PgSql.Quote(name)}", ct).ConfigureAwait(false);
        }

        return keys;
    }

    /// <summary>
    /// Lets staging tables stay in session memory instead of spilling through the 8 MB default; a ceiling,
    /// not an allocation. PostgreSQL only allows it before the session first touches a temp table, which a
    /// pooled connection may already have done; then the default stays and the load is merely slower.
    /// </summary>
    private static async ValueTask RaiseTempBuffersAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using var cmd = new NpgsqlCommand("SET temp_buffers = '256MB'", connection);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // Already fixed for this session; see above.
        }
    }

    private async ValueTask WriteRowsAsync(NpgsqlBinaryImporter importer, RowBatch batch, CancellationToken ct)
    {
        var columns = batch.Columns;
        for (var row = 0; row < batch.Count; row++)
        {
            await importer.StartRowAsync(ct).ConfigureAwait(false);
            for (var c = 0; c < columns.Length; c++)
            {
                var col = columns[c];
                if (col.Nulls[row])
                {
                    await importer.WriteNullAsync(ct).ConfigureAwait(false);
                    continue;
                }

                switch (col.Type)
                {
                    case DataType.String:
                        await importer.WriteAsync(Chars(col.Utf8, row), NpgsqlDbType.Text, ct).ConfigureAwait(false);
                        break;
                    case DataType.Json:
                        await importer.WriteAsync(Chars(col.Utf8, row), NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
                        break;
                    case DataType.Int:
                        await importer.WriteAsync(col.Int64[row], NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                        break;
                    case DataType.Float:
                        await importer.WriteAsync(col.Float64[row], NpgsqlDbType.Double, ct).ConfigureAwait(false);
                        break;
                    case DataType.Bool:
                        await importer.WriteAsync(col.Int64[row] != 0, NpgsqlDbType.Boolean, ct).ConfigureAwait(false);
                        break;
                    case DataType.Date:
                        await importer.WriteAsync(DataTypes.FromDays(col.Int64[row]), NpgsqlDbType.Date, ct).ConfigureAwait(false);
                        break;
                    case DataType.Timestamp:
                        await importer.WriteAsync(DataTypes.FromMicros(col.Int64[row]), NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                        break;
                    default:
                        throw new InvalidOperationException($"Unsupported data type {col.Type} in column '{col.Name}'.");
                }
            }
        }
    }

    /// <summary>The UTF-8 value decoded into a reused char buffer: text goes out without a string per value.</summary>
    /// <remarks>Safe to reuse because every write is awaited before the next value is decoded.</remarks>
    private ReadOnlyMemory<char> Chars(Utf8Column column, int row)
    {
        var bytes = column.Get(row);
        if (bytes.Length > _chars.Length)
        {
            _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
        }

        var n = Encoding.UTF8.GetChars(bytes, _chars);
        return _chars.AsMemory(0, n);
    }

    private async ValueTask FinishCopyAsync(CancellationToken ct)
    {
        if (_importer is null)
        {
            return;
        }

        var rows = await _importer.CompleteAsync(ct).ConfigureAwait(false);
        await _importer.DisposeAsync().ConfigureAwait(false);
        _context!.AddStaged(_copying!.Schema.Name, (long)rows);
        _importer = null;
        _copying = null;
    }

    private void EnsureOpen()
    {
        if (_state != SinkState.Open)
        {
            throw new InvalidOperationException($"The PostgreSQL sink is {_state.ToString().ToLowerInvariant()}, not open.");
        }
    }

    /// <summary>The one-line <see cref="DoppelException"/> for a database failure, or <see langword="null"/> to rethrow as is.</summary>
    private DoppelException? Wrap(Exception ex, string doing) => ex switch
    {
        PostgresException pg => new DoppelException($"PostgreSQL load failed while {doing}: {PostgresErrors.Describe(pg)}; nothing was committed", ExitCodes.RuntimeError, ex),
        NpgsqlException or IOException or SocketException => new DoppelException(
            $"PostgreSQL load failed while {doing} at {_options.Address}: {PostgresErrors.ConnectReason(ex)}; nothing was committed",
            ExitCodes.RuntimeError,
            ex),
        _ => null,
    };

    private static string CreateStagingSql(StagingTable stage)
    {
        var columns = string.Join(", ", stage.Columns.Select(c => PgSql.Quote(c.Name) + " " + c.PgType));
        return $"CREATE TEMP TABLE {PgSql.Quote(stage.Name)} ({columns}) ON COMMIT DROP";
    }

    /// <summary>A run table, its staging table and the COPY command for its columns.</summary>
    private sealed class TableState
    {
        public TableState(TableSchema schema, StagingTable staging)
        {
            Schema = schema;
            Staging = staging;
            CopySql = $"COPY pg_temp.{PgSql.Quote(staging.Name)} ({PgSql.QuoteList(schema.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        }

        public TableSchema Schema { get; }

        public StagingTable Staging { get; }

        public string CopySql { get; }

        /// <summary>Batches must have the columns announced at open, in the same order: COPY relies on it.</summary>
        public void CheckBatch(RowBatch batch)
        {
            if (ReferenceEquals(batch.Schema, Schema))
            {
                return;
            }

            var expected = Schema.Columns;
            var actual = batch.Schema.Columns;
            var same = expected.Count == actual.Count;
            for (var i = 0; same && i < expected.Count; i++)
            {
                same = string.Equals(expected[i].Name, actual[i].Name, StringComparison.Ordinal) && expected[i].Type == actual[i].Type;
            }

            if (!same)
            {
                throw new InvalidOperationException($"A batch of table '{Schema.Name}' has columns that differ from the schema passed to OpenAsync.");
            }
        }
    }
}
