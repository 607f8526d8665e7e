using System.Globalization;
using Doppel.Data;

namespace Doppel.Execution;

/// <summary>
/// One cell value during generation. Text is a slice of a per-worker <see cref="TextArena"/> or of an
/// existing string, so producing a value allocates nothing.
/// </summary>
public readonly struct Value
{
    private Value(DataType type, bool isNull, long i, double f, ReadOnlyMemory<char> s)
    {
        Type = type;
        IsNull = isNull;
        Int = i;
        Float = f;
        Text = s;
    }

    public DataType Type { get; }

    public bool IsNull { get; }

    /// <summary>int, bool (0/1), date (days since 1970-01-01), timestamp (µs since epoch, UTC).</summary>
    public long Int { get; }

    public double Float { get; }

    public ReadOnlyMemory<char> Text { get; }

    public bool Bool => Int != 0;

    public static Value Null(DataType type) => new(type, true, 0, 0, default);

    public static Value FromInt(long v) => new(DataType.Int, false, v, 0, default);

    public static Value FromFloat(double v) => new(DataType.Float, false, 0, v, default);

    public static Value FromBool(bool v) => new(DataType.Bool, false, v ? 1 : 0, 0, default);

    public static Value FromDate(long days) => new(DataType.Date, false, days, 0, default);

    public static Value FromTimestamp(long micros) => new(DataType.Timestamp, false, micros, 0, default);

    public static Value FromText(ReadOnlyMemory<char> s) => new(DataType.String, false, 0, 0, s);

    public static Value FromText(string s) => new(DataType.String, false, 0, 0, s.AsMemory());

    public static Value FromJson(ReadOnlyMemory<char> s) => new(DataType.Json, false, 0, 0, s);

    /// <summary>The number as a double whether stored as int or float.</summary>
    public double AsDouble => Type == DataType.Float ? Float : Int;

    public Value WithType(DataType type) => new(type, IsNull, Int, Float, Text);

    /// <summary>Renders the value as text (allocates; for previews, errors and tests, not hot paths).</summary>
    public override string ToString()
    {
        if (IsNull)
        {
            return "null";
        }

        return Type switch
        {
            DataType.Int => Int.ToString(CultureInfo.InvariantCulture),
            DataType.Float => Float.ToString("R", CultureInfo.InvariantCulture),
            DataType.Bool => Int != 0 ? "true" : "false",
            DataType.Date => DataTypes.FromDays(Int).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DataType.Timestamp => Formats.TextFormatting.FormatTimestamp(Int),
            _ => Text.ToString(),
        };
    }
}

/// <summary>
/// A per-worker stack of chars where generators write text. It is rewound to a mark after each row
/// (keeping the parent row's text alive while its children are generated), so text costs no allocation.
/// </summary>
public sealed class TextArena
{
    private char[] _buffer = new char[1 << 16];
    private int _used;

    public int Mark => _used;

    public void Rewind(int mark) => _used = mark;

    /// <summary>Space for up to <paramref name="max"/> chars; follow with <see cref="Commit"/>.</summary>
    public Span<char> Rent(int max)
    {
        if (_used + max > _buffer.Length)
        {
            // Values already handed out keep pointing at the old array, which stays alive through them.
            var bigger = new char[Math.Max(_buffer.Length * 2, max * 2)];
            _buffer = bigger;
            _used = 0;
        }

        return _buffer.AsSpan(_used, max);
    }

    public ReadOnlyMemory<char> Commit(int length)
    {
        var m = new ReadOnlyMemory<char>(_buffer, _used, length);
        _used += length;
        return m;
    }

    public ReadOnlyMemory<char> Copy(ReadOnlySpan<char> text)
    {
        var dest = Rent(text.Length);
        text.CopyTo(dest);
        return Commit(text.Length);
    }
}
