using System.Buffers.Binary;
using Doppel.Formats.Parquet.Internal;

namespace Doppel.Formats.Parquet;

/// <summary>
/// Writes a Parquet file (flat schema, v1 data pages) to a stream, one <see cref="ParquetBatch"/> at a time.
/// </summary>
/// <remarks>
/// <para>Memory is bounded by one row group (see <see cref="ParquetWriterOptions.RowGroupMaxRows"/> and
/// <see cref="ParquetWriterOptions.RowGroupMaxBytes"/>), never by the total row count: each full row group is
/// encoded, compressed and written to the stream before more rows are buffered.</para>
/// <para>The output is deterministic: the same schema, options and values give byte-identical files on the
/// same runtime (no timestamps, dictionary order is first occurrence). The stream only needs to be writable;
/// the writer tracks offsets itself. It does not dispose the stream.</para>
/// <para><see cref="Close"/> (or <see cref="Dispose"/>) flushes the last row group and writes the footer. If a
/// write failed, the writer is broken: later calls throw and <see cref="Dispose"/> writes nothing more, so a
/// caller that writes to a temporary file should discard it. Not thread-safe.</para>
/// </remarks>
public sealed class ParquetFileWriter : IDisposable
{
    private const int SliceRows = 4096;
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly ParquetWriterOptions _options;
    private readonly PageWriter _pages;
    private readonly ColumnWriter[] _columns;
    private readonly List<RowGroupInfo> _rowGroups = [];
    private readonly ByteBuffer _body = new(64 * 1024);
    private int _bufferedRows;
    private State _state = State.Open;

    /// <summary>Starts a file: writes the leading magic bytes to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range or the stream is not writable.</exception>
    public ParquetFileWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The Parquet output stream is not writable.", nameof(output));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The Parquet writer needs a little-endian CPU.");
        }

        _options = options ?? ParquetWriterOptions.Default;
        _options.Validate();
        Schema = schema;
        _pages = new PageWriter(output, _options.Compression, _options.CompressionLevel);
        _columns = new ColumnWriter[schema.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = schema[i];
            _columns[i] = column.Type switch
            {
                ParquetType.Int32 or ParquetType.Date => new PrimitiveColumnWriter<int>(column, _options, PhysicalType.Int32),
                ParquetType.Int64 or ParquetType.TimestampMicrosUtc => new PrimitiveColumnWriter<long>(column, _options, PhysicalType.Int64),
                ParquetType.Double => new PrimitiveColumnWriter<double>(column, _options, PhysicalType.Double),
                ParquetType.Boolean => new BooleanColumnWriter(column, _options),
                _ => new ByteArrayColumnWriter(column, _options),
            };
        }

        _pages.WriteRaw(Magic);
    }

    private enum State
    {
        Open,
        Closed,
        Broken,
    }

    /// <summary>The schema every batch must match.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Rows accepted so far (written or buffered).</summary>
    public long RowCount { get; private set; }

    /// <summary>Row groups written so far.</summary>
    public int RowGroupCount => _rowGroups.Count;

    /// <summary>Bytes written to the stream so far.</summary>
    public long BytesWritten => _pages.Position;

    /// <summary>
    /// Appends the batch's rows. Values are copied into the current row group, which is written out whenever it
    /// fills up; the batch can be reused as soon as this returns.
    /// </summary>
    /// <exception cref="ArgumentException">The batch belongs to another schema or a column was not set.</exception>
    public void WriteBatch(ParquetBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        EnsureOpen();
        if (!ReferenceEquals(batch.Schema, Schema))
        {
            throw new ArgumentException("The Parquet batch was created for a different ParquetSchema instance than the writer.", nameof(batch));
        }

        batch.EnsureComplete();
        _state = State.Broken; // until the rows are in: a failure half-way leaves columns out of step
        var offset = 0;
        while (offset < batch.RowCount)
        {
            // Slices end on fixed row positions inside the row group, and the byte limit is checked only there,
            // so row-group boundaries (and thus the file) do not depend on how the caller sized its batches.
            var take = Math.Min(batch.RowCount - offset, _options.RowGroupMaxRows - _bufferedRows);
            take = Math.Min(take, SliceRows - (_bufferedRows % SliceRows));
            for (var c = 0; c < _columns.Length; c++)
            {
                _columns[c].Append(batch.Column(c), offset, take);
            }

            offset += take;
            _bufferedRows += take;
            RowCount += take;
            if (_bufferedRows >= _options.RowGroupMaxRows ||
                (_bufferedRows % SliceRows == 0 && BufferedBytes() >= _options.RowGroupMaxBytes))
            {
                WriteRowGroup();
            }
        }

        _state = State.Open;
    }

    /// <summary>Writes the buffered rows as a row group now (no-op when nothing is buffered).</summary>
    public void FlushRowGroup()
    {
        EnsureOpen();
        _state = State.Broken;
        WriteRowGroup();
        _pages.Flush();
        _state = State.Open;
    }

    /// <summary>Writes the last row group and the footer, then flushes the stream. Idempotent.</summary>
    public void Close()
    {
        if (_state != State.Open)
        {
            return;
        }

        _state = State.Broken;
        WriteRowGroup();
        var footer = new ByteBuffer(4096);
        FooterWriter.Write(footer, Schema, _rowGroups, _options.CreatedBy);
        _pages.WriteRaw(footer.WrittenSpan);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, footer.Length);
        Magic.CopyTo(tail[4..]);
        _pages.WriteRaw(tail);
        _pages.Flush();
        _state = State.Closed;
    }

    /// <summary>Calls <see cref="Close"/> unless a write already failed.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        finally
        {
            _pages.Dispose();
        }
    }

    private long BufferedBytes()
    {
        long total = 0;
        foreach (var column in _columns)
        {
            total += column.BufferedBytes;
        }

        return total;
    }

    private void WriteRowGroup()
    {
        if (_bufferedRows == 0)
        {
            return;
        }

        var chunks = new ColumnChunkInfo[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            chunks[c] = _columns[c].Flush(_pages, _body);
        }

        _rowGroups.Add(new RowGroupInfo { Columns = chunks, NumRows = _bufferedRows });
        _bufferedRows = 0;
        _body.Trim(4 << 20);
    }

    private void EnsureOpen()
    {
        if (_state == State.Closed)
        {
            throw new InvalidOperationException("The Parquet writer is closed; no more rows can be written.");
        }

        if (_state == State.Broken)
        {
            throw new InvalidOperationException("An earlier Parquet write failed; the file is incomplete and should be discarded.");
        }
    }
}
