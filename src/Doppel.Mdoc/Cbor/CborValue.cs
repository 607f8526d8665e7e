using System.Collections;
using System.Globalization;

namespace Doppel.Mdoc.Cbor;

/// <summary>The CBOR major types plus the float/simple split of major type 7 (RFC 8949 §3.1).</summary>
public enum CborKind
{
    /// <summary>Major types 0 and 1: an integer in [-2^64, 2^64 - 1].</summary>
    Integer,
    /// <summary>Major type 2.</summary>
    ByteString,
    /// <summary>Major type 3 (UTF-8).</summary>
    TextString,
    /// <summary>Major type 4.</summary>
    Array,
    /// <summary>Major type 5.</summary>
    Map,
    /// <summary>Major type 6: a tag number and its content.</summary>
    Tag,
    /// <summary>Major type 7 simple values: false, true, null, undefined and unassigned simple values.</summary>
    Simple,
    /// <summary>Major type 7 floating point (half, single or double precision).</summary>
    Float,
}

/// <summary>
/// An immutable CBOR data item (a small document model). Values built in code have no
/// <see cref="Encoded"/> bytes; values returned by <see cref="CborDecoder"/> carry the exact
/// bytes they were decoded from, which is what signatures and digests must be computed over
/// (ISO 18013-5 hashes bytes, never a re-encoding; domain reference §5.3).
/// </summary>
public abstract class CborValue
{
    private protected CborValue()
    {
    }

    /// <summary>The kind of data item.</summary>
    public abstract CborKind Kind { get; }

    /// <summary>The exact encoded bytes this value was decoded from; empty for values built in code.</summary>
    public ReadOnlyMemory<byte> Encoded { get; internal set; }

    /// <summary>The CBOR null value.</summary>
    public static CborSimple Null { get; } = new(22);

    /// <summary>The CBOR undefined value.</summary>
    public static CborSimple Undefined { get; } = new(23);

    /// <summary>The CBOR true value.</summary>
    public static CborSimple True { get; } = new(21);

    /// <summary>The CBOR false value.</summary>
    public static CborSimple False { get; } = new(20);

    /// <summary>Creates a text string.</summary>
    public static implicit operator CborValue(string value) => new CborTextString(value);

    /// <summary>Creates an integer.</summary>
    public static implicit operator CborValue(long value) => CborInteger.From(value);

    /// <summary>Creates an integer.</summary>
    public static implicit operator CborValue(int value) => CborInteger.From(value);

    /// <summary>Creates a boolean simple value.</summary>
    public static implicit operator CborValue(bool value) => value ? True : False;

    /// <summary>Creates a byte string (the array is not copied).</summary>
    public static implicit operator CborValue(byte[] value) => new CborByteString(value);

    /// <summary>Encodes <paramref name="value"/> once and returns it carrying those bytes, so later encodings reuse them verbatim.</summary>
    internal static T Freeze<T>(T value, CborEncodeOptions? options = null)
        where T : CborValue
    {
        value.Encoded = CborEncoder.Encode(value, options);
        return value;
    }

    /// <summary>Encodes this value with the default (preferred, definite-length) serialization.</summary>
    public byte[] ToBytes() => CborEncoder.Encode(this);

    /// <summary>Returns this value as a map or throws a <see cref="CborException"/> naming <paramref name="what"/>.</summary>
    public CborMap AsMap(string what) => this as CborMap ?? throw CborException.Shape(what, "a map", this);

    /// <summary>Returns this value as an array or throws a <see cref="CborException"/> naming <paramref name="what"/>.</summary>
    public CborArray AsArray(string what) => this as CborArray ?? throw CborException.Shape(what, "an array", this);

    /// <summary>Returns the contents of a byte string or throws a <see cref="CborException"/> naming <paramref name="what"/>.</summary>
    public ReadOnlyMemory<byte> AsBytes(string what) => (this as CborByteString)?.Value ?? throw CborException.Shape(what, "a byte string", this);

    /// <summary>Returns the contents of a text string or throws a <see cref="CborException"/> naming <paramref name="what"/>.</summary>
    public string AsText(string what) => (this as CborTextString)?.Value ?? throw CborException.Shape(what, "a text string", this);

    /// <summary>Returns an integer value that fits in <see cref="long"/> or throws a <see cref="CborException"/>.</summary>
    public long AsInt64(string what) =>
        this is CborInteger i && i.TryGetInt64(out var v) ? v : throw CborException.Shape(what, "an integer", this);

    /// <summary>Returns a tagged value with tag number <paramref name="tag"/> or throws a <see cref="CborException"/>.</summary>
    public CborValue Untag(ulong tag, string what) =>
        this is CborTag t && t.Tag == tag ? t.Content : throw CborException.Shape(what, "tag " + tag.ToString(CultureInfo.InvariantCulture), this);

    /// <summary>A short diagnostic-notation-like rendering for messages (RFC 8949 §8, abbreviated).</summary>
    public abstract override string ToString();
}

/// <summary>An integer (major type 0 or 1). The value is <c>Negative ? -1 - Magnitude : Magnitude</c>.</summary>
public sealed class CborInteger : CborValue
{
    /// <summary>Creates an integer from its encoded argument and sign.</summary>
    public CborInteger(ulong magnitude, bool negative)
    {
        Magnitude = magnitude;
        Negative = negative;
    }

    /// <inheritdoc />
    public override CborKind Kind => CborKind.Integer;

    /// <summary>The encoded argument: the value itself when non-negative, otherwise -1 - value.</summary>
    public ulong Magnitude { get; }

    /// <summary>True for major type 1 (negative integers).</summary>
    public bool Negative { get; }

    /// <summary>Creates an integer from a signed value.</summary>
    public static CborInteger From(long value) =>
        value >= 0 ? new CborInteger((ulong)value, negative: false) : new CborInteger((ulong)(-1 - value), negative: true);

    /// <summary>Gets the value when it fits in <see cref="long"/>.</summary>
    public bool TryGetInt64(out long value)
    {
        if (Magnitude > long.MaxValue)
        {
            value = 0;
            return false;
        }

        value = Negative ? -1 - (long)Magnitude : (long)Magnitude;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Negative ? "-" + ((System.Numerics.BigInteger)Magnitude + 1).ToString(CultureInfo.InvariantCulture) : Magnitude.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A byte string (major type 2).</summary>
public sealed class CborByteString(ReadOnlyMemory<byte> value) : CborValue
{
    /// <inheritdoc />
    public override CborKind Kind => CborKind.ByteString;

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Value { get; } = value;

    /// <inheritdoc />
    public override string ToString() =>
        Value.Length <= 16 ? "h'" + Convert.ToHexStringLower(Value.Span) + "'" : "h'" + Convert.ToHexStringLower(Value.Span[..16]) + "…' (" + Value.Length.ToString(CultureInfo.InvariantCulture) + " bytes)";
}

/// <summary>A UTF-8 text string (major type 3).</summary>
public sealed class CborTextString(string value) : CborValue
{
    /// <inheritdoc />
    public override CborKind Kind => CborKind.TextString;

    /// <summary>The text.</summary>
    public string Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    /// <inheritdoc />
    public override string ToString() => "\"" + Value + "\"";
}

/// <summary>An array (major type 4). Build with a collection initializer.</summary>
public sealed class CborArray : CborValue, IReadOnlyList<CborValue>
{
    private readonly List<CborValue> _items;

    /// <summary>Creates an empty array to fill with a collection initializer.</summary>
    public CborArray() => _items = [];

    /// <summary>Creates an array holding <paramref name="items"/>.</summary>
    public CborArray(IEnumerable<CborValue> items) => _items = [.. items];

    /// <inheritdoc />
    public override CborKind Kind => CborKind.Array;

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public CborValue this[int index] => _items[index];

    /// <summary>Appends an item (for collection initializers; arrays are not changed after encoding).</summary>
    public void Add(CborValue item) => _items.Add(item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public IEnumerator<CborValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>
/// A map (major type 5). Entries keep insertion order; the encoder writes them in that order
/// when <see cref="KeepOrder"/> is true (fixed ISO 18013-5 structures, whose field order is the
/// Annex D order) and otherwise sorts them by the bytewise order of their encoded keys
/// (RFC 8949 §4.2.1).
/// </summary>
public sealed class CborMap : CborValue, IReadOnlyList<KeyValuePair<CborValue, CborValue>>
{
    private readonly List<KeyValuePair<CborValue, CborValue>> _entries = [];

    /// <summary>Creates an empty map whose entries are sorted on encoding.</summary>
    public CborMap()
    {
    }

    /// <summary>Creates an empty map; <paramref name="keepOrder"/> keeps insertion order on encoding.</summary>
    public CborMap(bool keepOrder) => KeepOrder = keepOrder;

    /// <summary>When true the encoder keeps insertion order (unless told to sort every map).</summary>
    public bool KeepOrder { get; }

    /// <inheritdoc />
    public override CborKind Kind => CborKind.Map;

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public KeyValuePair<CborValue, CborValue> this[int index] => _entries[index];

    /// <summary>Appends an entry (for collection initializers).</summary>
    public void Add(CborValue key, CborValue value) =>
        _entries.Add(new(key ?? throw new ArgumentNullException(nameof(key)), value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>Finds the value of a text-string key.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CborValue? value)
    {
        foreach (var e in _entries)
        {
            if (e.Key is CborTextString t && string.Equals(t.Value, key, StringComparison.Ordinal))
            {
                value = e.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Finds the value of an integer key.</summary>
    public bool TryGetValue(long key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CborValue? value)
    {
        foreach (var e in _entries)
        {
            if (e.Key is CborInteger i && i.TryGetInt64(out var k) && k == key)
            {
                value = e.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Returns the value of a required text-string key or throws a <see cref="CborException"/> naming it.</summary>
    public CborValue Get(string key, string where) =>
        TryGetValue(key, out var v) ? v : throw new CborException($"{where}: required key \"{key}\" is missing");

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<CborValue, CborValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", _entries.Select(e => e.Key + ": " + e.Value)) + "}";
}

/// <summary>A tagged data item (major type 6).</summary>
public sealed class CborTag(ulong tag, CborValue content) : CborValue
{
    /// <summary>Tag 0: standard date/time string (RFC 3339), the ISO 18013-5 <c>tdate</c>.</summary>
    public const ulong DateTimeString = 0;

    /// <summary>Tag 24: encoded CBOR data item (a byte string holding CBOR).</summary>
    public const ulong EncodedCbor = 24;

    /// <summary>Tag 1004: RFC 8943 full-date string <c>YYYY-MM-DD</c>.</summary>
    public const ulong FullDate = 1004;

    /// <summary>Tag 18: COSE_Sign1 (RFC 9052 §4.2), optional in ISO 18013-5.</summary>
    public const ulong CoseSign1 = 18;

    /// <inheritdoc />
    public override CborKind Kind => CborKind.Tag;

    /// <summary>The tag number.</summary>
    public ulong Tag { get; } = tag;

    /// <summary>The tagged content.</summary>
    public CborValue Content { get; } = content ?? throw new ArgumentNullException(nameof(content));

    /// <summary>Tag 24 around the encoding of <paramref name="item"/> (ISO 18013-5 <c>#6.24(bstr .cbor X)</c>).</summary>
    public static CborTag Embed(CborValue item, CborEncodeOptions? options = null) => new(EncodedCbor, new CborByteString(CborEncoder.Encode(item, options)));

    /// <summary>Tag 1004 full-date (RFC 8943).</summary>
    public static CborTag Date(DateOnly date) => new(FullDate, new CborTextString(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>Tag 0 tdate in UTC with whole seconds and <c>Z</c> (as in the Annex D sample).</summary>
    public static CborTag DateTime(DateTimeOffset instant) =>
        new(DateTimeString, new CborTextString(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    public override string ToString() => Tag.ToString(CultureInfo.InvariantCulture) + "(" + Content + ")";
}

/// <summary>A simple value (major type 7): false (20), true (21), null (22), undefined (23) or another simple value.</summary>
public sealed class CborSimple : CborValue
{
    /// <summary>Creates a simple value; 24..31 are reserved and rejected (RFC 8949 §3.3).</summary>
    public CborSimple(byte value)
    {
        if (value is >= 24 and < 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Simple values 24..31 are reserved (RFC 8949 §3.3).");
        }

        Value = value;
    }

    /// <inheritdoc />
    public override CborKind Kind => CborKind.Simple;

    /// <summary>The simple value number.</summary>
    public byte Value { get; }

    /// <summary>True for the boolean true value.</summary>
    public bool IsTrue => Value == 21;

    /// <summary>True for null.</summary>
    public bool IsNull => Value == 22;

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        20 => "false",
        21 => "true",
        22 => "null",
        23 => "undefined",
        _ => "simple(" + Value.ToString(CultureInfo.InvariantCulture) + ")",
    };
}

/// <summary>A floating-point value; encoded in the shortest of half/single/double that keeps it exactly (preferred serialization, RFC 8949 §4.1).</summary>
public sealed class CborFloat(double value) : CborValue
{
    /// <inheritdoc />
    public override CborKind Kind => CborKind.Float;

    /// <summary>The value.</summary>
    public double Value { get; } = value;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
