using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Doppel.Formats.Parquet.Internal;

/// <summary>
/// INT32 (Int32, Date), INT64 (Int64, TimestampMicrosUtc) and DOUBLE columns. Generic over the value type so the
/// JIT emits one specialised, non-virtual loop per type.
/// </summary>
/// <remarks>
/// While dictionary encoding is on, only dictionary entries (first-occurrence order, so output is deterministic)
/// and one index per value are kept. Entries are keyed by bit pattern: -0.0, +0.0 and NaN payloads stay distinct
/// and round-trip exactly. When the dictionary stops paying it is expanded back to raw values ("materialised").
/// </remarks>
internal sealed class PrimitiveColumnWriter<T> : ColumnWriter
    where T : unmanaged, INumber<T>
{
    private readonly PhysicalType _physicalType;
    private T[] _values = [];
    private bool _dictionaryActive;
    private T[] _dictionary = [];
    private int _dictionaryCount;
    private int[] _indices = [];
    private int[] _table = new int[64]; // open addressing: dictionary index + 1, 0 = empty
    private int _tableShift = 64 - 6;
    private int _nextCheck = DictionaryCheckInterval;

    public PrimitiveColumnWriter(ParquetColumn column, ParquetWriterOptions options, PhysicalType physicalType)
        : base(column, options)
    {
        _physicalType = physicalType;
        _dictionaryActive = options.EnableDictionary;
    }

    protected override PhysicalType PhysicalType => _physicalType;

    private static int Size => Unsafe.SizeOf<T>();

    protected override long ValueBytes => _dictionaryActive
        ? ((long)_dictionaryCount * Size) + (4L * ValueCount) + (4L * _table.Length)
        : ValuesPlainBytes;

    protected override void AppendValues(ParquetBatch.ColumnData data, int start, int count, ReadOnlySpan<bool> nulls)
    {
        var source = Source(data).Slice(start, count);
        var i = 0;
        while (_dictionaryActive && i < source.Length)
        {
            i = AppendToDictionary(source, nulls, i);
        }

        if (i < source.Length)
        {
            AppendRaw(source[i..], nulls.IsEmpty ? nulls : nulls[i..]);
        }
    }

    private void AppendRaw(ReadOnlySpan<T> source, ReadOnlySpan<bool> nulls)
    {
        EnsureCapacity(ref _values, ValueCount + source.Length);
        if (nulls.IsEmpty)
        {
            source.CopyTo(_values.AsSpan(ValueCount));
            ValueCount += source.Length;
            return;
        }

        var values = _values;
        var n = ValueCount;
        for (var i = 0; i < source.Length; i++)
        {
            values[n] = source[i];
            n += nulls[i] ? 0 : 1; // branch-free: a null's slot is overwritten by the next value
        }

        ValueCount = n;
    }

    /// <summary>
    /// Adds values from <paramref name="from"/> on; stops early (returning the next index) when the dictionary is
    /// given up. The checks run at fixed value counts, so the outcome does not depend on how rows were batched.
    /// </summary>
    private int AppendToDictionary(ReadOnlySpan<T> source, ReadOnlySpan<bool> nulls, int from)
    {
        EnsureCapacity(ref _indices, ValueCount + source.Length - from);
        var indices = _indices;
        for (var i = from; i < source.Length; i++)
        {
            if (!nulls.IsEmpty && nulls[i])
            {
                continue;
            }

            indices[ValueCount++] = IndexOf(source[i]);
            if (DictionaryOutgrown(DictionaryPlainBytes, _dictionaryCount, ValuesPlainBytes, ref _nextCheck))
            {
                Materialise();
                return i + 1;
            }
        }

        return source.Length;
    }

    protected override bool ChooseDictionary()
    {
        if (_dictionaryActive && !DictionaryWorthKeeping(DictionaryPlainBytes, _dictionaryCount, ValuesPlainBytes))
        {
            Materialise();
        }

        return _dictionaryActive;
    }

    protected override int WriteDictionary(ByteBuffer body)
    {
        body.Write(MemoryMarshal.AsBytes(_dictionary.AsSpan(0, _dictionaryCount)));
        return _dictionaryCount;
    }

    protected override int PageValueBudget(int first, bool useDictionary) =>
        BudgetForBits(useDictionary ? RleHybridEncoder.BitWidth(_dictionaryCount - 1) : Size * 8);

    protected override void WriteValues(ByteBuffer body, int first, int count, bool useDictionary)
    {
        if (useDictionary)
        {
            var bitWidth = RleHybridEncoder.BitWidth(_dictionaryCount - 1);
            body.WriteByte((byte)bitWidth);
            RleHybridEncoder.Encode(_indices.AsSpan(first, count), bitWidth, body);
        }
        else
        {
            // PLAIN is the little-endian in-memory layout (checked by ParquetFileWriter's constructor).
            body.Write(MemoryMarshal.AsBytes(_values.AsSpan(first, count)));
        }
    }

    protected override ChunkStatistics ComputeStatistics(bool useDictionary, long nullCount)
    {
        var candidates = useDictionary ? _dictionary.AsSpan(0, _dictionaryCount) : _values.AsSpan(0, ValueCount);
        var isDouble = typeof(T) == typeof(double);
        var found = false;
        var min = T.Zero;
        var max = T.Zero;
        var nanEntries = 0;
        foreach (var v in candidates)
        {
            if (isDouble && T.IsNaN(v))
            {
                nanEntries++;
                continue;
            }

            if (!found)
            {
                min = max = v;
                found = true;
            }
            else if (v < min)
            {
                min = v;
            }
            else if (v > max)
            {
                max = v;
            }
        }

        long? nanCount = null;
        if (isDouble)
        {
            nanCount = useDictionary && nanEntries > 0 ? CountNaNIndices() : nanEntries;

            // parquet.thrift ColumnOrder, TYPE_ORDER rules for floating point: a zero min is written as -0.0 and a
            // zero max as +0.0, so readers never exclude the other zero.
            if (found && T.IsZero(min))
            {
                min = -T.Zero;
            }

            if (found && T.IsZero(max))
            {
                max = T.Zero;
            }
        }

        return new ChunkStatistics
        {
            NullCount = nullCount,
            NanCount = nanCount,

            // Distinct count is exact when a dictionary was kept; for doubles bit patterns differ from values (±0, NaNs).
            DistinctCount = useDictionary && !isDouble ? _dictionaryCount : null,
            Min = found ? PlainBytes(min) : null,
            Max = found ? PlainBytes(max) : null,
            WriteLegacy = !isDouble,
        };
    }

    protected override void ResetValues()
    {
        _dictionaryActive = Options.EnableDictionary;
        _dictionaryCount = 0;
        Array.Clear(_table);
        _nextCheck = DictionaryCheckInterval;
    }

    private static ReadOnlySpan<T> Source(ParquetBatch.ColumnData data)
    {
        if (typeof(T) == typeof(int))
        {
            var span = data.Int32.Span;
            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<int, T>(ref MemoryMarshal.GetReference(span)), span.Length);
        }

        if (typeof(T) == typeof(long))
        {
            var span = data.Int64.Span;
            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<long, T>(ref MemoryMarshal.GetReference(span)), span.Length);
        }

        var doubles = data.Double.Span;
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<double, T>(ref MemoryMarshal.GetReference(doubles)), doubles.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(T value) => Size == 4 ? Unsafe.As<T, uint>(ref value) : Unsafe.As<T, ulong>(ref value);

    private static byte[] PlainBytes(T value) => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref value, 1)).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(T value)
    {
        var bits = Bits(value);
        var mask = _table.Length - 1;
        var slot = (int)((bits * 0x9E3779B97F4A7C15UL) >> _tableShift);
        while (true)
        {
            var entry = _table[slot];
            if (entry == 0)
            {
                return Insert(value, slot);
            }

            if (Bits(_dictionary[entry - 1]) == bits)
            {
                return entry - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    private int Insert(T value, int slot)
    {
        EnsureCapacity(ref _dictionary, _dictionaryCount + 1);
        var index = _dictionaryCount++;
        _dictionary[index] = value;
        _table[slot] = index + 1;
        if (_dictionaryCount * 2 > _table.Length)
        {
            Rehash(_table.Length * 2);
        }

        return index;
    }

    private void Rehash(int capacity)
    {
        _table = new int[capacity];
        _tableShift = 64 - BitOperations.Log2((uint)capacity);
        var mask = capacity - 1;
        for (var i = 0; i < _dictionaryCount; i++)
        {
            var slot = (int)((Bits(_dictionary[i]) * 0x9E3779B97F4A7C15UL) >> _tableShift);
            while (_table[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _table[slot] = i + 1;
        }
    }

    /// <summary>The buffered values as PLAIN: fixed-size entries.</summary>
    private long ValuesPlainBytes => (long)ValueCount * Size;

    /// <summary>The dictionary as a PLAIN page.</summary>
    private long DictionaryPlainBytes => (long)_dictionaryCount * Size;

    private void Materialise()
    {
        if (!_dictionaryActive)
        {
            return;
        }

        EnsureCapacity(ref _values, ValueCount);
        for (var i = 0; i < ValueCount; i++)
        {
            _values[i] = _dictionary[_indices[i]];
        }

        _dictionaryActive = false;
        _dictionaryCount = 0;
        Array.Clear(_table);
    }

    private long CountNaNIndices()
    {
        long count = 0;
        foreach (var index in _indices.AsSpan(0, ValueCount))
        {
            count += T.IsNaN(_dictionary[index]) ? 1 : 0;
        }

        return count;
    }
}
