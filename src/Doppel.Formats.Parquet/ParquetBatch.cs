using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Doppel.Formats.Parquet;

/// <summary>
/// Columnar values for a run of rows, handed to <see cref="ParquetFileWriter.WriteBatch"/>.
/// </summary>
/// <remarks>
/// <para>Call <see cref="Reset"/> with the row count, then one <c>Set…</c> method per column. The batch
/// references the caller's memory (it does not copy it) until the next <see cref="Reset"/>; the writer
/// copies what it needs during <see cref="ParquetFileWriter.WriteBatch"/>, so the caller may refill its
/// arrays as soon as that call returns. A batch can be reused for any number of writes.</para>
/// <para>Nulls are given as a mask: <c>isNull[i] == true</c> marks row <c>i</c> null and its value slot is
/// ignored. An empty mask means "no nulls". A mask with a null for a non-nullable column is an error.</para>
/// <para>Every <c>Set…</c> method validates its input (lengths, type, range, UTF-8) and throws an
/// <see cref="ArgumentException"/> naming the column and row.</para>
/// </remarks>
public sealed class ParquetBatch
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ColumnData[] _data;

    /// <summary>Creates an empty batch (0 rows) for a schema.</summary>
    public ParquetBatch(ParquetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _data = new ColumnData[schema.Count];
        for (var i = 0; i < _data.Length; i++)
        {
            _data[i] = new ColumnData();
        }
    }

    /// <summary>Creates a batch for a schema and calls <see cref="Reset"/> with <paramref name="rowCount"/>.</summary>
    public ParquetBatch(ParquetSchema schema, int rowCount)
        : this(schema)
    {
        Reset(rowCount);
    }

    /// <summary>The schema every <c>Set…</c> call is checked against.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Number of rows in the batch.</summary>
    public int RowCount { get; private set; }

    /// <summary>Starts a new batch of <paramref name="rowCount"/> rows and forgets every column set before.</summary>
    public void Reset(int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        RowCount = rowCount;
        for (var i = 0; i < _data.Length; i++)
        {
            _data[i].Clear();
        }
    }

    /// <summary>Sets an <see cref="ParquetType.Int32"/> or <see cref="ParquetType.Date"/> (days since 1970-01-01) column.</summary>
    public void SetInt32(int column, ReadOnlyMemory<int> values, ReadOnlyMemory<bool> isNull = default)
    {
        var data = Begin(column, values.Length, isNull, "SetInt32", ParquetType.Int32, ParquetType.Date);
        data.Int32 = values;
    }

    /// <summary>
    /// Sets an <see cref="ParquetType.Int64"/> or <see cref="ParquetType.TimestampMicrosUtc"/> (µs since the Unix epoch) column.
    /// Also accepts <see cref="ParquetType.Int32"/> and <see cref="ParquetType.Date"/> columns (values must fit in 32 bits)
    /// and <see cref="ParquetType.Boolean"/> columns (values must be 0 or 1), so an engine that keeps all integers in
    /// <c>long[]</c> needs no conversion of its own.
    /// </summary>
    public void SetInt64(int column, ReadOnlyMemory<long> values, ReadOnlyMemory<bool> isNull = default)
    {
        var data = Begin(
            column, values.Length, isNull, "SetInt64",
            ParquetType.Int64, ParquetType.TimestampMicrosUtc, ParquetType.Int32, ParquetType.Date, ParquetType.Boolean);
        var type = Schema[column].Type;
        if (type is ParquetType.Int64 or ParquetType.TimestampMicrosUtc)
        {
            data.Int64 = values;
            return;
        }

        // Narrow into a batch-owned buffer once, so the writer only ever sees the native representation.
        var source = values.Span;
        var nulls = isNull.Span;
        if (type == ParquetType.Boolean)
        {
            var target = Grow(ref data.OwnedBools, RowCount);
            for (var i = 0; i < source.Length; i++)
            {
                var v = source[i];
                if (v is not (0 or 1) && (nulls.IsEmpty || !nulls[i]))
                {
                    throw Error(column, i, $"value {Str(v)} is not a boolean; use 0 or 1");
                }

                target[i] = v == 1;
            }

            data.Bool = target.AsMemory(0, source.Length);
            return;
        }

        var ints = Grow(ref data.OwnedInts, RowCount);
        for (var i = 0; i < source.Length; i++)
        {
            var v = source[i];
            if (v is < int.MinValue or > int.MaxValue)
            {
                if (!nulls.IsEmpty && nulls[i])
                {
                    v = 0;
                }
                else
                {
                    throw Error(column, i, $"value {Str(v)} does not fit the column's 32-bit type {type}");
                }
            }

            ints[i] = (int)v;
        }

        data.Int32 = ints.AsMemory(0, source.Length);
    }

    /// <summary>Sets a <see cref="ParquetType.Double"/> column.</summary>
    public void SetDouble(int column, ReadOnlyMemory<double> values, ReadOnlyMemory<bool> isNull = default)
    {
        var data = Begin(column, values.Length, isNull, "SetDouble", ParquetType.Double);
        data.Double = values;
    }

    /// <summary>Sets a <see cref="ParquetType.Boolean"/> column.</summary>
    public void SetBoolean(int column, ReadOnlyMemory<bool> values, ReadOnlyMemory<bool> isNull = default)
    {
        var data = Begin(column, values.Length, isNull, "SetBoolean", ParquetType.Boolean);
        data.Bool = values;
    }

    /// <summary>
    /// Sets a <see cref="ParquetType.String"/> column from one UTF-8 buffer: value <c>i</c> is
    /// <c>utf8[starts[i] .. starts[i] + lengths[i]]</c>. Values may overlap or repeat; each must be valid UTF-8.
    /// </summary>
    public void SetUtf8(int column, ReadOnlyMemory<byte> utf8, ReadOnlyMemory<int> starts, ReadOnlyMemory<int> lengths, ReadOnlyMemory<bool> isNull = default)
    {
        var data = Begin(column, starts.Length, isNull, "SetUtf8", ParquetType.String);
        if (lengths.Length != RowCount)
        {
            throw Error(column, -1, $"lengths has {lengths.Length} entries but the batch has {RowCount} rows");
        }

        SetValidatedUtf8(data, column, utf8, starts, lengths, isNull.Span);
    }

    /// <summary>
    /// Sets a <see cref="ParquetType.String"/> column from one UTF-8 buffer and <c>RowCount + 1</c> offsets:
    /// value <c>i</c> is <c>utf8[offsets[i] .. offsets[i + 1]]</c> (the Arrow layout).
    /// </summary>
    public void SetUtf8(int column, ReadOnlyMemory<byte> utf8, ReadOnlyMemory<int> offsets, ReadOnlyMemory<bool> isNull = default)
    {
        var data = Begin(column, offsets.Length - 1, isNull, "SetUtf8", ParquetType.String);
        var span = offsets.Span;
        var lengths = Grow(ref data.OwnedLengths, RowCount);
        var nulls = isNull.Span;
        for (var i = 0; i < RowCount; i++)
        {
            var length = span[i + 1] - span[i];
            if (length < 0 && (nulls.IsEmpty || !nulls[i]))
            {
                throw Error(column, i, $"offsets decrease ({Str(span[i])} then {Str(span[i + 1])})");
            }

            lengths[i] = Math.Max(length, 0);
        }

        SetValidatedUtf8(data, column, utf8, offsets[..RowCount], lengths.AsMemory(0, RowCount), nulls);
    }

    /// <summary>Sets a <see cref="ParquetType.String"/> column from .NET strings; a null string is a null value.</summary>
    /// <remarks>Convenient but slower than <see cref="SetUtf8(int, ReadOnlyMemory{byte}, ReadOnlyMemory{int}, ReadOnlyMemory{int}, ReadOnlyMemory{bool})"/>: each value is transcoded.</remarks>
    public void SetStrings(int column, ReadOnlySpan<string?> values)
    {
        var data = Begin(column, values.Length, default, "SetStrings", ParquetType.String);
        var source = values;
        var nulls = Grow(ref data.OwnedNulls, RowCount);
        var starts = Grow(ref data.OwnedStarts, RowCount);
        var lengths = Grow(ref data.OwnedLengths, RowCount);
        var bytes = data.OwnedUtf8 ?? [];
        var used = 0;
        var anyNull = false;
        for (var i = 0; i < source.Length; i++)
        {
            var s = source[i];
            nulls[i] = s is null;
            starts[i] = used;
            lengths[i] = 0;
            if (s is null)
            {
                anyNull = true;
                continue;
            }

            var max = StrictUtf8.GetMaxByteCount(s.Length);
            if (bytes.Length - used < max)
            {
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + max));
            }

            try
            {
                lengths[i] = StrictUtf8.GetBytes(s, bytes.AsSpan(used));
            }
            catch (EncoderFallbackException)
            {
                throw Error(column, i, "the string contains an unpaired surrogate and cannot be written as UTF-8");
            }

            used += lengths[i];
        }

        data.OwnedUtf8 = bytes;
        if (anyNull && !Schema[column].Nullable)
        {
            throw Error(column, Array.IndexOf(nulls, true), "the value is null but the column is not nullable");
        }

        data.Nulls = anyNull ? nulls.AsMemory(0, RowCount) : default;
        data.Utf8 = bytes.AsMemory(0, used);
        data.Starts = starts.AsMemory(0, RowCount);
        data.Lengths = lengths.AsMemory(0, RowCount);
    }

    internal ColumnData Column(int column) => _data[column];

    /// <summary>Throws unless every column has been set.</summary>
    internal void EnsureComplete()
    {
        for (var i = 0; i < _data.Length; i++)
        {
            if (!_data[i].IsSet && RowCount > 0)
            {
                throw new ArgumentException(
                    $"Parquet batch: column '{Schema[i].Name}' ({Schema[i].Type}) was not set; call a Set… method for every column after Reset.");
            }
        }
    }

    private void SetValidatedUtf8(ColumnData data, int column, ReadOnlyMemory<byte> utf8, ReadOnlyMemory<int> starts, ReadOnlyMemory<int> lengths, ReadOnlySpan<bool> nulls)
    {
        var bytes = utf8.Span;
        var s = starts.Span;
        var l = lengths.Span;
        for (var i = 0; i < RowCount; i++)
        {
            if (!nulls.IsEmpty && nulls[i])
            {
                continue;
            }

            var start = s[i];
            var length = l[i];
            if (start < 0 || length < 0 || start > bytes.Length - length)
            {
                throw Error(column, i, $"the value's bytes [{Str(start)}, +{Str(length)}) lie outside the {Str(bytes.Length)}-byte buffer");
            }

            if (!Utf8.IsValid(bytes.Slice(start, length)))
            {
                throw Error(column, i, "the value is not valid UTF-8");
            }
        }

        data.Utf8 = utf8;
        data.Starts = starts;
        data.Lengths = lengths;
    }

    private ColumnData Begin(int column, int length, ReadOnlyMemory<bool> isNull, string method, params ReadOnlySpan<ParquetType> accepted)
    {
        if ((uint)column >= (uint)_data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Parquet batch: column index {column} is outside 0..{_data.Length - 1}.");
        }

        var schemaColumn = Schema[column];
        if (!accepted.Contains(schemaColumn.Type))
        {
            throw new ArgumentException($"Parquet batch: column '{schemaColumn.Name}' is {schemaColumn.Type}; {method} cannot set it.");
        }

        if (length != RowCount)
        {
            throw Error(column, -1, $"{method} got {length} values but the batch has {RowCount} rows");
        }

        if (!isNull.IsEmpty)
        {
            if (isNull.Length != RowCount)
            {
                throw Error(column, -1, $"the null mask has {isNull.Length} entries but the batch has {RowCount} rows");
            }

            var firstNull = isNull.Span.IndexOf(true);
            if (firstNull >= 0 && !schemaColumn.Nullable)
            {
                throw Error(column, firstNull, "the value is null but the column is not nullable");
            }

            if (firstNull < 0)
            {
                isNull = default; // no nulls: lets the writer take its bulk-copy path
            }
        }

        var data = _data[column];
        data.Clear();
        data.IsSet = true;
        data.Nulls = isNull;
        return data;
    }

    private ArgumentException Error(int column, int row, string problem)
    {
        var where = row >= 0 ? $" row {Str(row)}" : "";
        return new ArgumentException($"Parquet batch: column '{Schema[column].Name}'{where}: {problem}.");
    }

    private static T[] Grow<T>(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[Math.Max(length, 16)];
        }

        return buffer;
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One column's values in its native representation, plus buffers the batch owns for conversions.</summary>
    internal sealed class ColumnData
    {
        public bool IsSet;
        public ReadOnlyMemory<bool> Nulls;
        public ReadOnlyMemory<int> Int32;
        public ReadOnlyMemory<long> Int64;
        public ReadOnlyMemory<double> Double;
        public ReadOnlyMemory<bool> Bool;
        public ReadOnlyMemory<byte> Utf8;
        public ReadOnlyMemory<int> Starts;
        public ReadOnlyMemory<int> Lengths;
        public int[]? OwnedInts;
        public bool[]? OwnedBools;
        public bool[]? OwnedNulls;
        public byte[]? OwnedUtf8;
        public int[]? OwnedStarts;
        public int[]? OwnedLengths;

        public void Clear()
        {
            IsSet = false;
            Nulls = default;
            Int32 = default;
            Int64 = default;
            Double = default;
            Bool = default;
            Utf8 = default;
            Starts = default;
            Lengths = default;
        }
    }
}
