namespace Doppel.Formats.Parquet.Internal;

/// <summary>BOOLEAN columns: always PLAIN, i.e. bit-packed LSB first (Encodings.md, "Plain"); no dictionary.</summary>
internal sealed class BooleanColumnWriter(ParquetColumn column, ParquetWriterOptions options) : ColumnWriter(column, options)
{
    private bool[] _values = [];

    protected override PhysicalType PhysicalType => PhysicalType.Boolean;

    protected override long ValueBytes => ValueCount;

    protected override void AppendValues(ParquetBatch.ColumnData data, int start, int count, ReadOnlySpan<bool> nulls)
    {
        var source = data.Bool.Span.Slice(start, count);
        EnsureCapacity(ref _values, ValueCount + count);
        if (nulls.IsEmpty)
        {
            source.CopyTo(_values.AsSpan(ValueCount));
            ValueCount += count;
            return;
        }

        var n = ValueCount;
        for (var i = 0; i < source.Length; i++)
        {
            _values[n] = source[i];
            n += nulls[i] ? 0 : 1;
        }

        ValueCount = n;
    }

    protected override bool ChooseDictionary() => false;

    protected override int WriteDictionary(ByteBuffer body) => throw new InvalidOperationException("Boolean columns have no dictionary.");

    protected override int PageValueBudget(int first, bool useDictionary) => BudgetForBits(1);

    protected override void WriteValues(ByteBuffer body, int first, int count, bool useDictionary)
    {
        var values = _values.AsSpan(first, count);
        var bytes = body.GetSpan((count + 7) / 8);
        var full = count / 8;
        for (var b = 0; b < full; b++)
        {
            var group = values.Slice(b * 8, 8);
            var packed = 0;
            for (var j = 0; j < 8; j++)
            {
                packed |= (group[j] ? 1 : 0) << j;
            }

            bytes[b] = (byte)packed;
        }

        if (count % 8 != 0)
        {
            var packed = 0;
            for (var j = full * 8; j < count; j++)
            {
                packed |= (values[j] ? 1 : 0) << (j - (full * 8));
            }

            bytes[full] = (byte)packed;
        }

        body.Advance((count + 7) / 8);
    }

    protected override ChunkStatistics ComputeStatistics(bool useDictionary, long nullCount)
    {
        var values = _values.AsSpan(0, ValueCount);
        var anyTrue = values.Contains(true);
        var anyFalse = values.Contains(false);
        var found = ValueCount > 0;
        return new ChunkStatistics
        {
            NullCount = nullCount,
            Min = found ? [anyFalse ? (byte)0 : (byte)1] : null,
            Max = found ? [anyTrue ? (byte)1 : (byte)0] : null,
            DistinctCount = (anyTrue ? 1 : 0) + (anyFalse ? 1 : 0),
            WriteLegacy = true,
        };
    }

    protected override void ResetValues()
    {
    }
}
