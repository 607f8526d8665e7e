namespace Doppel.Formats.Parquet.Internal;

/// <summary>
/// Buffers one column's values for the current row group and writes them as a column chunk:
/// an optional dictionary page, then v1 data pages of about <see cref="ParquetWriterOptions.DataPageMaxBytes"/>.
/// </summary>
/// <remarks>
/// Values are kept dense (nulls are not stored); for an OPTIONAL column one definition level per row
/// (1 = value, 0 = null) records where the nulls are. Subclasses own value storage, encoding and statistics.
/// </remarks>
internal abstract class ColumnWriter(ParquetColumn column, ParquetWriterOptions options)
{
    /// <summary>Approximate bytes a dictionary page costs beyond its entries (page header), so tiny chunks stay PLAIN.</summary>
    protected const int DictionaryPageOverhead = 24;

    /// <summary>
    /// Values between checks of whether a dictionary still pays (parquet-mr checks after the first page). Checking at
    /// fixed value counts keeps the choice independent of how rows were batched.
    /// </summary>
    protected const int DictionaryCheckInterval = 32 * 1024;

    private byte[] _definitionLevels = [];

    public ParquetColumn Column { get; } = column;

    protected ParquetWriterOptions Options { get; } = options;

    /// <summary>Rows buffered in the current row group.</summary>
    protected int RowCount { get; private set; }

    /// <summary>Non-null values buffered in the current row group.</summary>
    protected int ValueCount { get; set; }

    protected int NullCount { get; private set; }

    /// <summary>Approximate memory held by buffered values (drives <see cref="ParquetWriterOptions.RowGroupMaxBytes"/>).</summary>
    public long BufferedBytes => ValueBytes + (Column.Nullable ? RowCount : 0);

    protected abstract long ValueBytes { get; }

    protected abstract PhysicalType PhysicalType { get; }

    /// <summary>Appends rows [start, start + count) of a batch column.</summary>
    public void Append(ParquetBatch.ColumnData data, int start, int count)
    {
        var nulls = data.Nulls.IsEmpty ? default : data.Nulls.Span.Slice(start, count);
        if (Column.Nullable)
        {
            EnsureCapacity(ref _definitionLevels, RowCount + count);
            var levels = _definitionLevels.AsSpan(RowCount, count);
            if (nulls.IsEmpty)
            {
                levels.Fill(1);
            }
            else
            {
                var nullsHere = 0;
                for (var i = 0; i < levels.Length; i++)
                {
                    var isNull = nulls[i];
                    levels[i] = isNull ? (byte)0 : (byte)1;
                    nullsHere += isNull ? 1 : 0;
                }

                NullCount += nullsHere;
            }
        }

        AppendValues(data, start, count, nulls);
        RowCount += count;
    }

    /// <summary>Writes the buffered rows as one column chunk and empties the buffers.</summary>
    public ColumnChunkInfo Flush(PageWriter pages, ByteBuffer body)
    {
        var useDictionary = ChooseDictionary();
        long compressed = 0;
        long uncompressed = 0;
        long? dictionaryOffset = null;
        if (useDictionary)
        {
            dictionaryOffset = pages.Position;
            body.Clear();
            var entries = WriteDictionary(body);
            var (c, u) = pages.WriteDictionaryPage(body.WrittenSpan, entries);
            compressed += c;
            uncompressed += u;
        }

        var dataOffset = pages.Position;
        var encoding = useDictionary ? Encoding.RleDictionary : Encoding.Plain;
        var pageCount = 0;
        var row = 0;
        var value = 0;
        do
        {
            var budget = PageValueBudget(value, useDictionary);
            int rowEnd;
            int valueEnd;
            if (Column.Nullable)
            {
                // Take rows until the page holds `budget` values, plus any nulls that directly follow them.
                var r = row;
                var v = value;
                var levels = _definitionLevels;
                while (r < RowCount && v - value < budget)
                {
                    v += levels[r++];
                }

                while (r < RowCount && levels[r] == 0)
                {
                    r++;
                }

                rowEnd = r;
                valueEnd = v;
            }
            else
            {
                valueEnd = (int)Math.Min((long)value + budget, ValueCount);
                rowEnd = valueEnd;
            }

            body.Clear();
            if (Column.Nullable)
            {
                // v1 data pages prefix the RLE-encoded definition levels with their byte length.
                var lengthPosition = body.Length;
                body.WriteInt32LittleEndian(0);
                RleHybridEncoder.Encode(_definitionLevels.AsSpan(row, rowEnd - row), 1, body);
                body.PatchInt32LittleEndian(lengthPosition, body.Length - lengthPosition - 4);
            }

            WriteValues(body, value, valueEnd - value, useDictionary);
            var (c, u) = pages.WriteDataPage(body.WrittenSpan, rowEnd - row, encoding);
            compressed += c;
            uncompressed += u;
            pageCount++;
            row = rowEnd;
            value = valueEnd;
        }
        while (row < RowCount);

        List<Encoding> encodings = useDictionary ? [Encoding.Plain, Encoding.RleDictionary] : [Encoding.Plain];
        if (Column.Nullable)
        {
            encodings.Insert(1, Encoding.Rle);
        }

        var info = new ColumnChunkInfo
        {
            Type = PhysicalType,
            Name = Column.Name,
            Codec = pages.Codec,
            NumValues = RowCount,
            TotalCompressedSize = compressed,
            TotalUncompressedSize = uncompressed,
            DataPageOffset = dataOffset,
            DictionaryPageOffset = dictionaryOffset,
            Encodings = encodings,
            DataPageCount = pageCount,
            DataPageEncoding = encoding,
            Statistics = ComputeStatistics(useDictionary, NullCount),
        };

        RowCount = 0;
        ValueCount = 0;
        NullCount = 0;
        ResetValues();
        return info;
    }

    protected abstract void AppendValues(ParquetBatch.ColumnData data, int start, int count, ReadOnlySpan<bool> nulls);

    /// <summary>Decides dictionary vs PLAIN for the buffered chunk (and converts to PLAIN storage if needed).</summary>
    protected abstract bool ChooseDictionary();

    /// <summary>Writes the PLAIN dictionary page body; returns the entry count.</summary>
    protected abstract int WriteDictionary(ByteBuffer body);

    /// <summary>How many values starting at dense index <paramref name="first"/> fit in one data page (at least 1).</summary>
    protected abstract int PageValueBudget(int first, bool useDictionary);

    protected abstract void WriteValues(ByteBuffer body, int first, int count, bool useDictionary);

    protected abstract ChunkStatistics ComputeStatistics(bool useDictionary, long nullCount);

    protected abstract void ResetValues();

    protected static void EnsureCapacity<T>(ref T[] array, int needed)
    {
        if (array.Length < needed)
        {
            var size = Math.Max(needed, (int)Math.Min((long)array.Length * 2, Array.MaxLength));
            Array.Resize(ref array, Math.Max(size, 64));
        }
    }

    /// <summary>
    /// The rule both dictionary writers follow after each value the dictionary takes: give the dictionary up at once
    /// when its PLAIN page passes <see cref="ParquetWriterOptions.DictionaryMaxBytes"/>, and at every
    /// <see cref="DictionaryCheckInterval"/>-th value when it no longer pays. <paramref name="nextCheck"/> is the
    /// writer's next check point; each check moves it on.
    /// </summary>
    protected bool DictionaryOutgrown(long dictionaryPlainBytes, int dictionaryCount, long plainBytes, ref int nextCheck)
    {
        if (dictionaryPlainBytes > Options.DictionaryMaxBytes)
        {
            return true;
        }

        if (ValueCount != nextCheck)
        {
            return false;
        }

        nextCheck += DictionaryCheckInterval;
        return !DictionaryPays(dictionaryPlainBytes, dictionaryCount, plainBytes);
    }

    /// <summary>The verdict at the end of a chunk: keep a dictionary that has entries, fits the size limit and pays.</summary>
    protected bool DictionaryWorthKeeping(long dictionaryPlainBytes, int dictionaryCount, long plainBytes) =>
        dictionaryCount > 0 && dictionaryPlainBytes <= Options.DictionaryMaxBytes && DictionaryPays(dictionaryPlainBytes, dictionaryCount, plainBytes);

    /// <summary>Dictionary page plus bit-packed indices must undercut the <paramref name="plainBytes"/> of PLAIN values.</summary>
    private bool DictionaryPays(long dictionaryPlainBytes, int dictionaryCount, long plainBytes)
    {
        var indexBytes = ((long)ValueCount * RleHybridEncoder.BitWidth(dictionaryCount - 1) / 8) + 1;
        return dictionaryPlainBytes + indexBytes + DictionaryPageOverhead < plainBytes;
    }

    /// <summary>Values per page when each takes <paramref name="bits"/> bits.</summary>
    protected int BudgetForBits(int bits) =>
        (int)Math.Clamp(Options.DataPageMaxBytes * 8L / Math.Max(1, bits), 1, int.MaxValue);
}
