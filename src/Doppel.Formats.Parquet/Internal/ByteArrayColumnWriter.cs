using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Doppel.Formats.Parquet.Internal;

/// <summary>
/// BYTE_ARRAY columns holding UTF-8 (logical STRING). Raw values live in one byte buffer plus offsets; while
/// dictionary encoding is on, only distinct values (first-occurrence order) and one index per value are kept.
/// </summary>
internal sealed class ByteArrayColumnWriter : ColumnWriter
{
    private readonly ByteBuffer _data = new(); // raw values, back to back
    private int[] _offsets = [0];               // raw value i is _data[_offsets[i] .. _offsets[i + 1]]
    private bool _dictionaryActive;
    private readonly ByteBuffer _dictionaryData = new();
    private int[] _dictionaryOffsets = [0];
    private int[] _dictionaryHashes = [];
    private int _dictionaryCount;
    private int[] _indices = [];
    private int[] _table = new int[64];
    private long _plainBytes; // PLAIN size of all buffered values (4-byte length + bytes each)
    private int _nextCheck = DictionaryCheckInterval;

    public ByteArrayColumnWriter(ParquetColumn column, ParquetWriterOptions options)
        : base(column, options) => _dictionaryActive = options.EnableDictionary;

    protected override PhysicalType PhysicalType => PhysicalType.ByteArray;

    protected override long ValueBytes => _dictionaryActive
        ? _dictionaryData.Length + (8L * _dictionaryCount) + (4L * ValueCount) + (4L * _table.Length)
        : _data.Length + (4L * ValueCount);

    private long DictionaryPlainBytes => _dictionaryData.Length + (4L * _dictionaryCount);

    protected override void AppendValues(ParquetBatch.ColumnData data, int start, int count, ReadOnlySpan<bool> nulls)
    {
        var bytes = data.Utf8.Span;
        var starts = data.Starts.Span.Slice(start, count);
        var lengths = data.Lengths.Span.Slice(start, count);
        var i = 0;
        while (_dictionaryActive && i < count)
        {
            i = AppendToDictionary(bytes, starts, lengths, nulls, i);
        }

        if (i == count)
        {
            return;
        }

        EnsureCapacity(ref _offsets, ValueCount + count - i + 1);
        for (; i < count; i++)
        {
            if (nulls.IsEmpty || !nulls[i])
            {
                var value = bytes.Slice(starts[i], lengths[i]);
                _plainBytes += 4 + value.Length;
                _data.Write(value);
                _offsets[++ValueCount] = _data.Length;
            }
        }
    }

    /// <summary>Like the primitive writer: returns early when the dictionary is given up, at fixed value counts.</summary>
    private int AppendToDictionary(ReadOnlySpan<byte> bytes, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, ReadOnlySpan<bool> nulls, int from)
    {
        EnsureCapacity(ref _indices, ValueCount + starts.Length - from);
        for (var i = from; i < starts.Length; i++)
        {
            if (!nulls.IsEmpty && nulls[i])
            {
                continue;
            }

            var value = bytes.Slice(starts[i], lengths[i]);
            _plainBytes += 4 + value.Length;
            _indices[ValueCount++] = IndexOf(value);
            if (DictionaryOutgrown(DictionaryPlainBytes, _dictionaryCount, _plainBytes, ref _nextCheck))
            {
                Materialise();
                return i + 1;
            }
        }

        return starts.Length;
    }

    protected override bool ChooseDictionary()
    {
        if (_dictionaryActive && !DictionaryWorthKeeping(DictionaryPlainBytes, _dictionaryCount, _plainBytes))
        {
            Materialise();
        }

        return _dictionaryActive;
    }

    protected override int WriteDictionary(ByteBuffer body)
    {
        for (var i = 0; i < _dictionaryCount; i++)
        {
            WritePlain(body, DictionaryEntry(i));
        }

        return _dictionaryCount;
    }

    protected override int PageValueBudget(int first, bool useDictionary)
    {
        if (useDictionary)
        {
            return BudgetForBits(RleHybridEncoder.BitWidth(_dictionaryCount - 1));
        }

        // Whole values until the page reaches its byte target.
        long bytes = 0;
        var i = first;
        while (i < ValueCount && bytes < Options.DataPageMaxBytes)
        {
            bytes += 4 + _offsets[i + 1] - _offsets[i];
            i++;
        }

        return Math.Max(1, i - first);
    }

    protected override void WriteValues(ByteBuffer body, int first, int count, bool useDictionary)
    {
        if (useDictionary)
        {
            var bitWidth = RleHybridEncoder.BitWidth(_dictionaryCount - 1);
            body.WriteByte((byte)bitWidth);
            RleHybridEncoder.Encode(_indices.AsSpan(first, count), bitWidth, body);
            return;
        }

        var data = _data.WrittenSpan;
        var total = (4 * count) + _offsets[first + count] - _offsets[first];
        var target = body.GetSpan(total);
        var position = 0;
        for (var i = first; i < first + count; i++)
        {
            var value = data[_offsets[i].._offsets[i + 1]];
            BinaryPrimitives.WriteInt32LittleEndian(target[position..], value.Length);
            value.CopyTo(target[(position + 4)..]);
            position += 4 + value.Length;
        }

        body.Advance(position);
    }

    protected override ChunkStatistics ComputeStatistics(bool useDictionary, long nullCount)
    {
        var count = useDictionary ? _dictionaryCount : ValueCount;
        if (count == 0)
        {
            return new ChunkStatistics { NullCount = nullCount };
        }

        // UTF-8 sort order is unsigned byte-wise comparison (parquet.thrift ColumnOrder), which is what
        // SequenceCompareTo on bytes does.
        var min = Value(0, useDictionary);
        var max = min;
        for (var i = 1; i < count; i++)
        {
            var v = Value(i, useDictionary);
            if (v.SequenceCompareTo(min) < 0)
            {
                min = v;
            }
            else if (v.SequenceCompareTo(max) > 0)
            {
                max = v;
            }
        }

        var limit = Options.StatisticsMaxStringBytes;
        var minBytes = min.Length <= limit ? min.ToArray() : TruncateLowerBound(min, limit);
        var maxBytes = max.Length <= limit ? max.ToArray() : TruncateUpperBound(max, limit);
        if (maxBytes is null)
        {
            // No short upper bound exists (a prefix of U+10FFFF characters); omit min/max rather than lie.
            return new ChunkStatistics { NullCount = nullCount, DistinctCount = useDictionary ? _dictionaryCount : null };
        }

        return new ChunkStatistics
        {
            NullCount = nullCount,
            DistinctCount = useDictionary ? _dictionaryCount : null,
            Min = minBytes,
            Max = maxBytes,
            MinExact = min.Length <= limit,
            MaxExact = max.Length <= limit,
        };
    }

    protected override void ResetValues()
    {
        // Keep the buffers' capacity: the next row group needs about as much (memory stays bounded by one group).
        _data.Clear();
        _dictionaryData.Clear();
        _dictionaryActive = Options.EnableDictionary;
        _dictionaryCount = 0;
        _plainBytes = 0;
        Array.Clear(_table);
        _nextCheck = DictionaryCheckInterval;
    }

    /// <summary>The longest whole-character prefix of at most <paramref name="limit"/> bytes: never above the value.</summary>
    internal static byte[] TruncateLowerBound(ReadOnlySpan<byte> value, int limit) => value[..CharBoundary(value, limit)].ToArray();

    /// <summary>
    /// A short valid UTF-8 string that sorts above <paramref name="value"/>: a whole-character prefix whose last
    /// character is incremented (UTF-8 byte order equals code point order). Null if every character is U+10FFFF.
    /// </summary>
    internal static byte[]? TruncateUpperBound(ReadOnlySpan<byte> value, int limit)
    {
        var prefix = value[..CharBoundary(value, limit)];
        while (!prefix.IsEmpty)
        {
            var lastStart = CharBoundary(prefix, prefix.Length - 1);
            Rune.DecodeFromUtf8(prefix[lastStart..], out var last, out _);
            var next = last.Value + 1;
            if (next == 0xD800)
            {
                next = 0xE000; // skip the surrogate range, which UTF-8 cannot encode
            }

            if (next <= 0x10FFFF)
            {
                var result = new byte[lastStart + 4];
                prefix[..lastStart].CopyTo(result);
                var written = new Rune(next).EncodeToUtf8(result.AsSpan(lastStart));
                return result[..(lastStart + written)];
            }

            prefix = prefix[..lastStart];
        }

        return null;
    }

    /// <summary>The largest index &lt;= <paramref name="limit"/> that starts a character (is not a continuation byte).</summary>
    private static int CharBoundary(ReadOnlySpan<byte> value, int limit)
    {
        var cut = Math.Min(limit, value.Length);
        while (cut > 0 && cut < value.Length && (value[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return cut;
    }

    private static void WritePlain(ByteBuffer body, ReadOnlySpan<byte> value)
    {
        body.WriteInt32LittleEndian(value.Length);
        body.Write(value);
    }

    private ReadOnlySpan<byte> Value(int i, bool useDictionary) =>
        useDictionary ? DictionaryEntry(i) : _data.WrittenSpan[_offsets[i].._offsets[i + 1]];

    private ReadOnlySpan<byte> DictionaryEntry(int i) =>
        _dictionaryData.WrittenSpan[_dictionaryOffsets[i].._dictionaryOffsets[i + 1]];

    private int IndexOf(ReadOnlySpan<byte> value)
    {
        var hash = Hash(value);
        var mask = _table.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var entry = _table[slot];
            if (entry == 0)
            {
                return Insert(value, hash, slot);
            }

            if (_dictionaryHashes[entry - 1] == hash && DictionaryEntry(entry - 1).SequenceEqual(value))
            {
                return entry - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    private int Insert(ReadOnlySpan<byte> value, int hash, int slot)
    {
        var index = _dictionaryCount++;
        EnsureCapacity(ref _dictionaryHashes, _dictionaryCount);
        EnsureCapacity(ref _dictionaryOffsets, _dictionaryCount + 1);
        _dictionaryData.Write(value);
        _dictionaryOffsets[index + 1] = _dictionaryData.Length;
        _dictionaryHashes[index] = hash;
        _table[slot] = index + 1;
        if (_dictionaryCount * 2 > _table.Length)
        {
            _table = new int[_table.Length * 2];
            var mask = _table.Length - 1;
            for (var i = 0; i < _dictionaryCount; i++)
            {
                var s = _dictionaryHashes[i] & mask;
                while (_table[s] != 0)
                {
                    s = (s + 1) & mask;
                }

                _table[s] = i + 1;
            }
        }

        return index;
    }

    /// <summary>A fast, well-mixed hash of the bytes. Only the table layout depends on it, never the output.</summary>
    private static int Hash(ReadOnlySpan<byte> value)
    {
        var h = ((ulong)value.Length + 1) * 0x9E3779B97F4A7C15UL;
        ref var start = ref MemoryMarshal.GetReference(value);
        var i = 0;
        for (; i + 8 <= value.Length; i += 8)
        {
            h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 32;
        }

        ulong tail = 0;
        for (var shift = 0; i < value.Length; i++, shift += 8)
        {
            tail |= (ulong)value[i] << shift;
        }

        h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 29;
        h *= 0x9E3779B97F4A7C15UL;
        return (int)(h >> 33) ^ (int)BitOperations.RotateLeft(h, 7);
    }

    private void Materialise()
    {
        if (!_dictionaryActive)
        {
            return;
        }

        _data.Clear();
        EnsureCapacity(ref _offsets, ValueCount + 1);
        _offsets[0] = 0;
        for (var i = 0; i < ValueCount; i++)
        {
            _data.Write(DictionaryEntry(_indices[i]));
            _offsets[i + 1] = _data.Length;
        }

        _dictionaryActive = false;
        _dictionaryCount = 0;
        _dictionaryData.Clear();
        Array.Clear(_table);
    }
}
