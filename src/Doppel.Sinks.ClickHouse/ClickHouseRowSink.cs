using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Doppel.Data;
using Doppel.Output;
using Doppel.Sinks.Http;

namespace Doppel.Sinks.ClickHouse;

/// <summary>What a ClickHouse run did; <see cref="ToString"/> is the one-line summary the CLI prints.</summary>
/// <param name="Rows">Rows inserted (and verified, unless verification was off).</param>
/// <param name="Inserts">INSERT statements that succeeded.</param>
/// <param name="Retries">Requests retried after a transient failure.</param>
/// <param name="BytesSent">Request body bytes of the inserts (compressed when gzip was used).</param>
/// <param name="Compressed">Whether bodies were gzipped.</param>
/// <param name="Duration">From the first insert to the end of the count check.</param>
public sealed record ClickHouseInsertSummary(long Rows, long Inserts, long Retries, long BytesSent, bool Compressed, TimeSpan Duration)
{
    public double RowsPerSecond => Duration > TimeSpan.Zero ? Rows / Duration.TotalSeconds : 0;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"inserted {Rows} rows in {Inserts} inserts ({BytesSent / 1048576.0:0.0} MiB{(Compressed ? " gzip" : string.Empty)}, {Retries} retried) in {Duration.TotalSeconds:0.0} s: {RowsPerSecond:0} rows/s");
}

/// <summary>
/// Inserts rows into ClickHouse over its HTTP interface as <c>INSERT … FORMAT JSONEachRow</c>, in
/// batches of <see cref="ClickHouseSinkOptions.BatchRows"/>, gzip-compressed, and checks the row count
/// at the end.
/// </summary>
/// <remarks>
/// <para>
/// Encoding of a batch overlaps with the previous batch's insert (one insert in flight). Rows are
/// written with <see cref="RowJson"/> in the <see cref="RowJsonStyle.ClickHouse"/> style; timestamps and
/// dates outside what 18.16 stores (1970-01-01 to 2105-12-31) are rejected with the row and column
/// rather than silently wrapped by the server.
/// </para>
/// <para>
/// ClickHouse has no transactions: each insert is atomic on its own. <see cref="AbortAsync"/> drops a
/// table this run created, or deletes this run's rows when a run-id column is used
/// (<c>ALTER TABLE … DELETE</c>); otherwise rows already inserted stay.
/// </para>
/// </remarks>
public sealed class ClickHouseRowSink : IRowSink
{
    // DateTime in 18.16 is UInt32 seconds, but its date tables stop at 2105; Date the same.
    internal const long MinMicros = 0;
    internal static readonly long MaxMicros = DataTypes.ToMicros(new DateTime(2106, 1, 1, 0, 0, 0, DateTimeKind.Utc)) - 1;
    internal static readonly long MaxDays = DataTypes.ToDays(new DateOnly(2105, 12, 31));

    private const int ChunkBytes = 64 * 1024;

    private readonly ClickHouseSinkOptions _options;
    private readonly ClickHouseHttp _http;
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _json = new(ChunkBytes * 2);
    private readonly Utf8JsonWriter _writer;
    private readonly string _runId;
    private Task? _inFlight;
    private bool _gzip;
    private long _inserts;
    private long _bytes;
    private long _started;
    private bool _finished;

    public ClickHouseRowSink(ClickHouseSinkOptions options)
    {
        options.Validate();
        _options = options;
        _http = new ClickHouseHttp(options);
        _writer = new Utf8JsonWriter(_json, RowJson.WriterOptions);
        _runId = options.RunId ?? Guid.NewGuid().ToString("N");
    }

    /// <summary>What the run did; null until <see cref="CompleteAsync"/> succeeded.</summary>
    public ClickHouseInsertSummary? Summary { get; private set; }

    /// <summary>The run id written to the run-id column (when one is configured).</summary>
    public string RunId => _runId;

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"ClickHouse {_options} (JSONEachRow over HTTP, {_options.BatchRows} rows per insert{(_options.RunIdColumn is null ? string.Empty : ", run id column " + _options.RunIdColumn)})");

    public async ValueTask OpenAsync(IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken)
    {
        foreach (var (source, target) in Route(tables))
        {
            _targets[source.Name] = new Target(source, _options.Database, target, RowJson.EncodeNames(source), InsertSql(source, target));
        }

        await _http.ProbeAsync(cancellationToken).ConfigureAwait(false);
        _gzip = _options.WantsCompression && await _http.AcceptsGzipAsync(cancellationToken).ConfigureAwait(false);

        foreach (var target in _targets.Values)
        {
            await PrepareAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        if (!_targets.TryGetValue(batch.Table, out var target))
        {
            return;
        }

        if (_started == 0)
        {
            _started = Stopwatch.GetTimestamp();
        }

        for (var row = 0; row < batch.Count; row++)
        {
            CheckRanges(batch, row);
            _writer.Reset(_json);
            _writer.WriteStartObject();
            RowJson.WriteProperties(_writer, batch, row, target.Names, RowJsonStyle.ClickHouse);
            if (_options.RunIdColumn is { } runColumn)
            {
                _writer.WriteString(runColumn, _runId);
            }

            _writer.WriteEndObject();
            _writer.Flush();
            _json.Write("\n"u8);
            target.BufferedRows++;
            if (_json.WrittenCount >= ChunkBytes)
            {
                target.Append(_json.WrittenSpan);
                _json.ResetWrittenCount();
            }

            if (target.BufferedRows >= _options.BatchRows)
            {
                target.Append(_json.WrittenSpan);
                _json.ResetWrittenCount();
                await FlushAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }

        // Keep a table's pending bytes with that table (the engine sends tables one after another).
        target.Append(_json.WrittenSpan);
        _json.ResetWrittenCount();
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var target in _targets.Values)
        {
            await FlushAsync(target, cancellationToken).ConfigureAwait(false);
        }

        await AwaitInFlightAsync().ConfigureAwait(false);
        long rows = 0;
        foreach (var target in _targets.Values)
        {
            rows += target.SentRows;
            if (_options.VerifyCount)
            {
                await VerifyAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }

        _finished = true;
        var duration = _started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_started);
        Summary = new ClickHouseInsertSummary(rows, _inserts, _http.Retries, _bytes, _gzip, duration);
    }

    /// <summary>Undoes what ClickHouse allows: drops tables this run created, or deletes this run's rows by run id.</summary>
    public async ValueTask AbortAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        try
        {
            await AwaitInFlightAsync().ConfigureAwait(false);
        }
        catch (DoppelException)
        {
            // The failure being aborted for; the caller already has it.
        }

        foreach (var target in _targets.Values)
        {
            if (target.CreatedByThisRun)
            {
                await _http.QueryAsync($"DROP TABLE IF EXISTS {target.QualifiedName}", cancellationToken).ConfigureAwait(false);
            }
            else if (_options.RunIdColumn is { } runColumn && target.SentRows > 0)
            {
                await _http.QueryAsync(
                    $"ALTER TABLE {target.QualifiedName} DELETE WHERE {ClickHouseDdl.Quote(runColumn)} = {ClickHouseDdl.Literal(_runId)}",
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_inFlight is not null)
        {
            await _inFlight.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        foreach (var target in _targets.Values)
        {
            target.Dispose();
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private IEnumerable<(TableSchema Source, string Target)> Route(IReadOnlyList<TableSchema> tables)
    {
        if (_options.Table is null)
        {
            return tables.Select(t => (t, t.Name));
        }

        var wanted = _options.SourceTable;
        var source = wanted is not null
            ? tables.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.Ordinal))
            : tables.Count == 1 ? tables[0] : tables.FirstOrDefault(t => string.Equals(t.Name, _options.Table, StringComparison.Ordinal));
        if (source is null)
        {
            throw new DoppelException(
                wanted is not null
                    ? $"ClickHouse source_table '{wanted}' is not in the recipe (tables: {string.Join(", ", tables.Select(t => t.Name))})."
                    : $"The recipe has several tables ({string.Join(", ", tables.Select(t => t.Name))}); name the one to send to {_options.Database}.{_options.Table} with ?source_table=<name>, or leave the table out of the URI to send each to a table of its own name.",
                ExitCodes.UsageError);
        }

        return [(source, _options.Table)];
    }

    private string InsertSql(TableSchema source, string table)
    {
        var columns = source.Columns.Select(c => ClickHouseDdl.Quote(c.Name));
        if (_options.RunIdColumn is { } runColumn)
        {
            if (source.IndexOf(runColumn) >= 0)
            {
                throw new DoppelException($"ClickHouse run_column '{runColumn}' is already a column of table '{source.Name}'; pick another name.", ExitCodes.UsageError);
            }

            columns = columns.Append(ClickHouseDdl.Quote(runColumn));
        }

        return $"INSERT INTO {ClickHouseDdl.Quote(_options.Database)}.{ClickHouseDdl.Quote(table)} ({string.Join(", ", columns)}) FORMAT JSONEachRow";
    }

    private async Task PrepareAsync(Target target, CancellationToken cancellationToken)
    {
        var exists = (await _http.QueryAsync($"EXISTS TABLE {target.QualifiedName}", cancellationToken).ConfigureAwait(false)).Trim() == "1";
        if (!exists && _options.CreateTable)
        {
            var schema = _options.RunIdColumn is { } runColumn
                ? target.Source with { Columns = [.. target.Source.Columns, new ColumnSchema(runColumn, DataType.String, false)] }
                : target.Source;
            await _http.QueryAsync(ClickHouseDdl.CreateDatabase(target.Database), cancellationToken).ConfigureAwait(false);
            await _http.QueryAsync(ClickHouseDdl.CreateTable(schema, target.Database, target.Table, _options.Engine), cancellationToken).ConfigureAwait(false);
            target.CreatedByThisRun = true;
        }
        else if (!exists)
        {
            throw new DoppelException(
                $"ClickHouse table {target.Database}.{target.Table} does not exist. Create it (DDL in docs/sinks/clickhouse.md) or add ?create=true to the --sink URI.",
                ExitCodes.RuntimeError);
        }

        // Every column we send must exist: a clear message here beats "Unknown field found while parsing JSONEachRow".
        var columnList = await _http.QueryAsync(
            $"SELECT name FROM system.columns WHERE database = {ClickHouseDdl.Literal(target.Database)} AND table = {ClickHouseDdl.Literal(target.Table)} FORMAT TabSeparated",
            cancellationToken).ConfigureAwait(false);
        var present = columnList.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var needed = target.Source.Columns.Select(c => c.Name);
        if (_options.RunIdColumn is { } run)
        {
            needed = needed.Append(run);
        }

        var missing = needed.Where(n => !present.Contains(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new DoppelException(
                $"ClickHouse table {target.Database}.{target.Table} has no column(s) {string.Join(", ", missing)}; add them or drop the table and pass ?create=true.",
                ExitCodes.RuntimeError);
        }

        if (_options.VerifyCount && _options.RunIdColumn is null)
        {
            target.CountBefore = await CountAsync(target, where: null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(Target target, CancellationToken cancellationToken)
    {
        target.Append(_json.WrittenSpan);
        _json.ResetWrittenCount();
        if (target.BufferedRows == 0)
        {
            return;
        }

        var (body, rows) = target.TakeBody();
        await AwaitInFlightAsync().ConfigureAwait(false);
        _inFlight = SendAsync(target, body, rows, cancellationToken);
    }

    private async Task SendAsync(Target target, MemoryStream body, long rows, CancellationToken cancellationToken)
    {
        // Compressing here, off the writing thread, overlaps it with encoding the next batch.
        var payload = body;
        if (_gzip)
        {
            payload = await Task.Run(() => Compress(body), cancellationToken).ConfigureAwait(false);
            await body.DisposeAsync().ConfigureAwait(false);
        }

        using (payload)
        {
            var data = new ReadOnlyMemory<byte>(payload.GetBuffer(), 0, (int)payload.Length);
            await _http.InsertAsync(target.InsertSql, data, _gzip, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytes, data.Length);
            Interlocked.Increment(ref _inserts);
            target.SentRows += rows;
        }
    }

    private static MemoryStream Compress(MemoryStream raw)
    {
        var compressed = new MemoryStream((int)Math.Max(1024, raw.Length / 4));
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw.GetBuffer(), 0, (int)raw.Length);
        }

        return compressed;
    }

    private async Task AwaitInFlightAsync()
    {
        if (_inFlight is { } task)
        {
            _inFlight = null;
            await task.ConfigureAwait(false);
        }
    }

    private async Task VerifyAsync(Target target, CancellationToken cancellationToken)
    {
        if (_options.RunIdColumn is { } runColumn)
        {
            var found = await CountAsync(target, $"{ClickHouseDdl.Quote(runColumn)} = {ClickHouseDdl.Literal(_runId)}", cancellationToken).ConfigureAwait(false);
            if (found != target.SentRows)
            {
                throw new DoppelException(
                    string.Create(CultureInfo.InvariantCulture, $"ClickHouse row count check failed for {target.Database}.{target.Table}: sent {target.SentRows} rows with {runColumn} = '{_runId}', the table holds {found}. A retried insert that had already landed duplicates rows; check the server log."),
                    ExitCodes.RuntimeError);
            }

            return;
        }

        var after = await CountAsync(target, where: null, cancellationToken).ConfigureAwait(false);
        if (after - target.CountBefore != target.SentRows)
        {
            throw new DoppelException(
                string.Create(CultureInfo.InvariantCulture, $"ClickHouse row count check failed for {target.Database}.{target.Table}: sent {target.SentRows} rows but count() went from {target.CountBefore} to {after} (+{after - target.CountBefore}). Another writer, or a retried insert that had already landed, changes the count; use ?run_column=<name> to count this run's rows exactly."),
                ExitCodes.RuntimeError);
        }
    }

    private async Task<long> CountAsync(Target target, string? where, CancellationToken cancellationToken)
    {
        var sql = $"SELECT count() FROM {target.QualifiedName}{(where is null ? string.Empty : " WHERE " + where)} FORMAT TabSeparated";
        var text = await _http.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        return long.Parse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static void CheckRanges(RowBatch batch, int row)
    {
        foreach (var column in batch.Columns)
        {
            if (column.Nulls[row])
            {
                if (!column.Schema.Nullable)
                {
                    throw new DoppelException($"Row {batch.FirstRowIndex + row} of table '{batch.Table}': column '{column.Name}' is null but not nullable.", ExitCodes.RuntimeError);
                }

                continue;
            }

            var bad = column.Type switch
            {
                DataType.Timestamp => column.Int64[row] is < MinMicros || column.Int64[row] > MaxMicros,
                DataType.Date => column.Int64[row] is < 0 || column.Int64[row] > MaxDays,
                _ => false,
            };
            if (bad)
            {
                throw new DoppelException(
                    string.Create(CultureInfo.InvariantCulture, $"Row {batch.FirstRowIndex + row} of table '{batch.Table}': {column.Type.Name()} column '{column.Name}' is outside 1970-01-01 … 2105-12-31, which ClickHouse {column.Type.Name()} columns cannot hold (the server would store a wrong value)."),
                    ExitCodes.RuntimeError);
            }
        }
    }

    /// <summary>One destination table: its insert statement and the body being filled.</summary>
    private sealed class Target(TableSchema source, string database, string table, JsonEncodedText[] names, string insertSql) : IDisposable
    {
        private MemoryStream? _body;

        public TableSchema Source { get; } = source;

        public string Database { get; } = database;

        public string Table { get; } = table;

        public string QualifiedName { get; } = ClickHouseDdl.Quote(database) + "." + ClickHouseDdl.Quote(table);

        public JsonEncodedText[] Names { get; } = names;

        public string InsertSql { get; } = insertSql;

        public bool CreatedByThisRun { get; set; }

        public long CountBefore { get; set; }

        public long BufferedRows { get; set; }

        public long SentRows { get; set; }

        public void Append(ReadOnlySpan<byte> json)
        {
            if (json.IsEmpty)
            {
                return;
            }

            _body ??= new MemoryStream(1 << 20);
            _body.Write(json);
        }

        /// <summary>Hands over the finished body and starts a new one.</summary>
        public (MemoryStream Body, long Rows) TakeBody()
        {
            var result = (_body!, BufferedRows);
            _body = null;
            BufferedRows = 0;
            return result;
        }

        public void Dispose() => _body?.Dispose();
    }
}
