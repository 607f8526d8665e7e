using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Doppel.Mdoc.Cbor;

/// <summary>Options for <see cref="CborEncoder"/>.</summary>
public sealed record CborEncodeOptions
{
    /// <summary>The default: preferred serialization, order-keeping maps written as built.</summary>
    public static CborEncodeOptions Default { get; } = new();

    /// <summary>Sort every map, including <see cref="CborMap.KeepOrder"/> maps, by encoded key bytes (RFC 8949 §4.2.1 core deterministic encoding).</summary>
    public static CborEncodeOptions CoreDeterministic { get; } = new() { SortAllMaps = true };

    /// <summary>
    /// When true every map is written with its keys in bytewise lexicographic order of their
    /// encodings, as RFC 8949 §4.2.1 requires. When false (default), maps created with
    /// <c>keepOrder: true</c> keep the order they were built in; ISO 18013-5 Annex D uses the
    /// CDDL field order for IssuerSignedItem and the MSO, and a verifier hashes bytes as received,
    /// so both orders verify.
    /// </summary>
    public bool SortAllMaps { get; init; }

    /// <summary>
    /// When false (default) a value that came from <see cref="CborDecoder"/> (or was built with
    /// known bytes) is written as its original <see cref="CborValue.Encoded"/> bytes, so signed and
    /// digested structures survive a decode/encode cycle byte for byte. When true it is re-encoded
    /// with these options (to canonicalize foreign input).
    /// </summary>
    public bool ReencodeDecoded { get; init; }
}

/// <summary>
/// Encodes <see cref="CborValue"/> trees with preferred serialization (RFC 8949 §4.1):
/// shortest-form integer arguments and lengths, definite lengths only, shortest exact float
/// width, and maps sorted by the bytewise order of their encoded keys (§4.2.1) unless a map
/// asks to keep its order. Duplicate keys in a sorted map are rejected.
/// </summary>
public static class CborEncoder
{
    /// <summary>Encodes <paramref name="value"/> to a new array.</summary>
    public static byte[] Encode(CborValue value, CborEncodeOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(value, buffer, options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes <paramref name="value"/> into <paramref name="output"/>.</summary>
    public static void Encode(CborValue value, IBufferWriter<byte> output, CborEncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        Write(value, output, options ?? CborEncodeOptions.Default, depth: 0);
    }

    /// <summary>Writes an initial byte and argument in its shortest form (RFC 8949 §3, §4.2.1 rule 1).</summary>
    internal static void WriteHead(IBufferWriter<byte> output, int major, ulong argument)
    {
        var mt = (byte)(major << 5);
        if (argument < 24)
        {
            var s = output.GetSpan(1);
            s[0] = (byte)(mt | (byte)argument);
            output.Advance(1);
        }
        else if (argument <= byte.MaxValue)
        {
            var s = output.GetSpan(2);
            s[0] = (byte)(mt | 24);
            s[1] = (byte)argument;
            output.Advance(2);
        }
        else if (argument <= ushort.MaxValue)
        {
            var s = output.GetSpan(3);
            s[0] = (byte)(mt | 25);
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)argument);
            output.Advance(3);
        }
        else if (argument <= uint.MaxValue)
        {
            var s = output.GetSpan(5);
            s[0] = (byte)(mt | 26);
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)argument);
            output.Advance(5);
        }
        else
        {
            var s = output.GetSpan(9);
            s[0] = (byte)(mt | 27);
            BinaryPrimitives.WriteUInt64BigEndian(s[1..], argument);
            output.Advance(9);
        }
    }

    private static void Write(CborValue value, IBufferWriter<byte> output, CborEncodeOptions options, int depth)
    {
        if (depth > CborDecoder.MaxDepth)
        {
            throw new CborException($"CBOR: nesting deeper than {CborDecoder.MaxDepth} levels cannot be encoded");
        }

        if (!value.Encoded.IsEmpty && !options.ReencodeDecoded)
        {
            output.Write(value.Encoded.Span);
            return;
        }

        switch (value)
        {
            case CborInteger i:
                WriteHead(output, i.Negative ? 1 : 0, i.Magnitude);
                break;
            case CborByteString b:
                WriteHead(output, 2, (ulong)b.Value.Length);
                output.Write(b.Value.Span);
                break;
            case CborTextString t:
                var count = Encoding.UTF8.GetByteCount(t.Value);
                WriteHead(output, 3, (ulong)count);
                var span = output.GetSpan(count);
                Encoding.UTF8.GetBytes(t.Value, span);
                output.Advance(count);
                break;
            case CborArray a:
                WriteHead(output, 4, (ulong)a.Count);
                foreach (var item in a)
                {
                    Write(item, output, options, depth + 1);
                }

                break;
            case CborMap m:
                WriteMap(m, output, options, depth);
                break;
            case CborTag tag:
                WriteHead(output, 6, tag.Tag);
                Write(tag.Content, output, options, depth + 1);
                break;
            case CborSimple simple:
                WriteHead(output, 7, simple.Value);
                break;
            case CborFloat f:
                WriteFloat(output, f.Value);
                break;
            default:
                throw new ArgumentException("Unknown CBOR value type " + value.GetType().Name, nameof(value));
        }
    }

    private static void WriteMap(CborMap map, IBufferWriter<byte> output, CborEncodeOptions options, int depth)
    {
        WriteHead(output, 5, (ulong)map.Count);
        if (map.KeepOrder && !options.SortAllMaps)
        {
            foreach (var e in map)
            {
                Write(e.Key, output, options, depth + 1);
                Write(e.Value, output, options, depth + 1);
            }

            return;
        }

        // §4.2.1: sort by the bytewise lexicographic order of the deterministic encodings of the keys.
        var keys = new (byte[] Key, CborValue Value)[map.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (Encode(map[i].Key, options), map[i].Value);
        }

        Array.Sort(keys, static (x, y) => x.Key.AsSpan().SequenceCompareTo(y.Key));
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0 && keys[i].Key.AsSpan().SequenceEqual(keys[i - 1].Key))
            {
                throw new CborException("CBOR: duplicate map key " + map[i].Key + " cannot be encoded (RFC 8949 §5.6)");
            }

            output.Write(keys[i].Key);
            Write(keys[i].Value, output, options, depth + 1);
        }
    }

    private static void WriteFloat(IBufferWriter<byte> output, double value)
    {
        if (double.IsNaN(value))
        {
            // §4.2.2: NaN is written as the half-precision quiet NaN 0xf97e00.
            var n = output.GetSpan(3);
            n[0] = 0xf9;
            n[1] = 0x7e;
            n[2] = 0x00;
            output.Advance(3);
            return;
        }

        var half = (Half)value;
        if ((double)half == value)
        {
            var s = output.GetSpan(3);
            s[0] = 0xf9;
            BinaryPrimitives.WriteHalfBigEndian(s[1..], half);
            output.Advance(3);
        }
        else if ((double)(float)value == value)
        {
            var s = output.GetSpan(5);
            s[0] = 0xfa;
            BinaryPrimitives.WriteSingleBigEndian(s[1..], (float)value);
            output.Advance(5);
        }
        else
        {
            var s = output.GetSpan(9);
            s[0] = 0xfb;
            BinaryPrimitives.WriteDoubleBigEndian(s[1..], value);
            output.Advance(9);
        }
    }
}
