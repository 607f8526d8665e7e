using System.Text;

namespace Doppel.Data;

/// <summary>One column of a <see cref="RowBatch"/>: typed values stored without per-value objects.</summary>
/// <remarks>Buffers are reused from batch to batch; a consumer must not keep references past the call it received them in.</remarks>
public sealed class ColumnBuffer
{
    public ColumnBuffer(ColumnSchema schema, int capacity)
    {
        Schema = schema;
        Capacity = capacity;
        Nulls = new bool[capacity];
        if (schema.Type.UsesInt64())
        {
            Int64 = new long[capacity];
        }
        else if (schema.Type == DataType.Float)
        {
            Float64 = new double[capacity];
        }
        else
        {
            Utf8 = new Utf8Column(capacity);
        }
    }

    public ColumnSchema Schema { get; }

    public string Name => Schema.Name;

    public DataType Type => Schema.Type;

    public int Capacity { get; }

    /// <summary>Values of int, bool (0/1), date (days since epoch) and timestamp (µs since epoch, UTC) columns.</summary>
    public long[] Int64 { get; } = [];

    public double[] Float64 { get; } = [];

    public Utf8Column Utf8 { get; } = Utf8Column.Empty;

    /// <summary>True where the value is null; the value slot then holds a default.</summary>
    public bool[] Nulls { get; }

    public bool IsNull(int index) => Nulls[index];

    public ReadOnlySpan<byte> GetUtf8(int index) => Utf8.Get(index);

    public string GetString(int index) => Encoding.UTF8.GetString(Utf8.Get(index));

    /// <summary>Clears the string arena before a batch is refilled.</summary>
    public void Reset()
    {
        Utf8.Reset();
        Array.Clear(Nulls);
    }
}

/// <summary>UTF-8 strings of a column as one growable byte arena plus start offsets.</summary>
public sealed class Utf8Column
{
    internal static readonly Utf8Column Empty = new(0);

    private byte[] _data;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private int _used;

    public Utf8Column(int capacity)
    {
        _data = new byte[Math.Max(16, capacity * 16)];
        _starts = new int[capacity];
        _lengths = new int[capacity];
    }

    public ReadOnlySpan<byte> Get(int index) => _data.AsSpan(_starts[index], _lengths[index]);

    /// <summary>The whole arena; values are slices given by <see cref="Start"/> and <see cref="Length"/>.</summary>
    public byte[] Data => _data;

    public int Start(int index) => _starts[index];

    /// <summary>Start offsets of every value in <see cref="Data"/> (for columnar writers).</summary>
    public int[] Starts => _starts;

    /// <summary>Byte lengths of every value.</summary>
    public int[] Lengths => _lengths;

    public int Length(int index) => _lengths[index];

    /// <summary>Value <paramref name="index"/> and whatever follows it in the arena, up to 16 bytes in all when there is room (for vector reads).</summary>
    public ReadOnlySpan<byte> Padded(int index) => _data.AsSpan(_starts[index], Math.Max(_lengths[index], Math.Min(16, _data.Length - _starts[index])));

    public void Reset() => _used = 0;

    /// <summary>The bytes of every value stored since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Used => _data.AsSpan(0, _used);

    public void Set(int index, ReadOnlySpan<byte> utf8)
    {
        var dest = Reserve(utf8.Length);
        utf8.CopyTo(dest);
        Commit(index, utf8.Length);
    }

    public void Set(int index, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var dest = Reserve(max);
        var written = Encoding.UTF8.GetBytes(value, dest);
        Commit(index, written);
    }

    /// <summary>Space for at most <paramref name="maxBytes"/> bytes; call <see cref="Commit"/> with the bytes actually written.</summary>
    public Span<byte> Reserve(int maxBytes)
    {
        if (_used + maxBytes > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + maxBytes));
        }

        return _data.AsSpan(_used, maxBytes);
    }

    public void Commit(int index, int length)
    {
        _starts[index] = _used;
        _lengths[index] = length;
        _used += length;
    }
}
