using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Doppel.Data;
using Doppel.Output;

namespace Doppel.Sinks.Http;

/// <summary>
/// Posts rows as JSON events to an HTTP API (the Connector API's <c>/api/mock/events/generate</c>),
/// rate-limited, retried, and with a dead-letter file for what finally fails.
/// </summary>
/// <remarks>
/// Each row becomes one JSON object (<see cref="RowJson"/>, <see cref="RowJsonStyle.Standard"/>).
/// <see cref="OpenAsync"/> checks the API is reachable and fails at once with an actionable message
/// if not. <see cref="CompleteAsync"/> waits for every event to be delivered or dead-lettered; it
/// throws a <see cref="DoppelException"/> when any event was dead-lettered. <see cref="Summary"/> is
/// set in both cases, and after <see cref="AbortAsync"/>.
/// </remarks>
public sealed class HttpRowSink : IRowSink
{
    private readonly HttpSinkOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Dictionary<string, TableState> _tables = new(StringComparer.Ordinal);
    private HttpDelivery? _delivery;
    private DeliveryBatcher? _batcher;
    private Utf8JsonWriter? _writer;

    public HttpRowSink(HttpSinkOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>What the run did; null until <see cref="CompleteAsync"/> or <see cref="AbortAsync"/> ran.</summary>
    public HttpSendSummary? Summary { get; private set; }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"HTTP POST {HttpDelivery.Redact(_options.Url)} (≤ {_options.RatePerSecond:0.##} requests/s, {_options.BatchSize} event(s) per request, dead letters to {_options.DeadLetterPath})");

    public async ValueTask OpenAsync(IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken)
    {
        if (_options.Table is { } only && !tables.Any(t => string.Equals(t.Name, only, StringComparison.Ordinal)))
        {
            throw new DoppelException(
                $"HTTP sink table '{only}' is not in the recipe (tables: {string.Join(", ", tables.Select(t => t.Name))}).",
                ExitCodes.UsageError);
        }

        foreach (var table in tables)
        {
            if (_options.Table is not null && !string.Equals(table.Name, _options.Table, StringComparison.Ordinal))
            {
                continue;
            }

            var keyIndex = _options.IdempotencyKeyColumn is null ? -1 : table.IndexOf(_options.IdempotencyKeyColumn);
            if (keyIndex >= 0 && table.Columns[keyIndex].Type is not (DataType.String or DataType.Int))
            {
                throw new DoppelException(
                    $"Idempotency key column '{table.Name}.{_options.IdempotencyKeyColumn}' is {table.Columns[keyIndex].Type.Name()}; it must be a string or int column.",
                    ExitCodes.UsageError);
            }

            _tables[table.Name] = new TableState(RowJson.EncodeNames(table), keyIndex);
        }

        await HttpDelivery.ProbeAsync(_options.Url, _options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
        _delivery = new HttpDelivery(_options, _options.DeadLetterPath);
        _batcher = new DeliveryBatcher(_options.BatchSize);
        _writer = new Utf8JsonWriter(_buffer, RowJson.WriterOptions);
        _delivery.Start();
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        if (_delivery is null || _batcher is null || _writer is null)
        {
            throw new InvalidOperationException("OpenAsync must be called before WriteAsync.");
        }

        if (!_tables.TryGetValue(batch.Table, out var table))
        {
            return; // not the table this sink sends
        }

        for (var row = 0; row < batch.Count; row++)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            RowJson.Write(_writer, batch, row, table.Names, RowJsonStyle.Standard);
            _writer.Flush();
            var key = KeyOf(batch, row, table.KeyIndex);
            if (_batcher.Add(_buffer.WrittenSpan.ToArray(), key) is { } item)
            {
                try
                {
                    await _delivery.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
                }
                catch (ChannelClosedException ex)
                {
                    throw new OperationCanceledException("The HTTP sink was aborted; no more events are accepted.", ex);
                }
            }
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_delivery is null || _batcher is null)
        {
            throw new InvalidOperationException("OpenAsync must be called before CompleteAsync.");
        }

        if (_batcher.Flush() is { } last)
        {
            await _delivery.EnqueueAsync(last, cancellationToken).ConfigureAwait(false);
        }

        var summary = await _delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
        Summary = summary;
        if (summary.Failed > 0)
        {
            throw new DoppelException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{summary.Failed} of {summary.Sent + summary.Failed} events could not be delivered to {HttpDelivery.Redact(_options.Url)}; they are in {summary.DeadLetterPath}. Re-send them with: doppel replay {summary.DeadLetterPath} --sink {HttpDelivery.Redact(_options.Url)}"),
                ExitCodes.RuntimeError);
        }
    }

    /// <summary>Stops sending; events not yet confirmed by the API go to the dead-letter file (already-sent events cannot be recalled).</summary>
    public async ValueTask AbortAsync(CancellationToken cancellationToken)
    {
        if (_delivery is not null)
        {
            Summary = await _delivery.AbortAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_delivery is not null)
        {
            await _delivery.DisposeAsync().ConfigureAwait(false);
            _delivery = null;
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
    }

    private static string KeyOf(RowBatch batch, int row, int keyIndex)
    {
        if (keyIndex >= 0)
        {
            var column = batch.Columns[keyIndex];
            if (!column.IsNull(row))
            {
                return column.Type == DataType.Int
                    ? column.Int64[row].ToString(CultureInfo.InvariantCulture)
                    : column.GetString(row);
            }
        }

        // No key column (or a null key): the row's identity is its table and 0-based index, a pure function of the plan.
        return string.Create(CultureInfo.InvariantCulture, $"{batch.Table}-{batch.FirstRowIndex + row}");
    }

    private sealed record TableState(JsonEncodedText[] Names, int KeyIndex);
}
