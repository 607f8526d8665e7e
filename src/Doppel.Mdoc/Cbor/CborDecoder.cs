using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Doppel.Mdoc.Cbor;

/// <summary>
/// A strict CBOR decoder (RFC 8949). It accepts exactly one well-formed, definite-length data
/// item and reports the first problem with its byte offset. Rejected always: truncation,
/// reserved additional-information values 28–30, indefinite lengths (ISO 18013-5 uses definite
/// lengths only), stray break bytes, two-byte simple values below 32, invalid UTF-8, duplicate map
/// keys, wrongly typed content of tags 0, 24 and 1004, nesting deeper than <see cref="MaxDepth"/>,
/// and trailing bytes. With <c>requireDeterministic</c> it also rejects non-shortest arguments,
/// non-shortest floats and unsorted map keys (RFC 8949 §4.2.1).
/// </summary>
public static class CborDecoder
{
    /// <summary>Maximum nesting of arrays, maps and tags.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes one data item that must span all of <paramref name="data"/>.</summary>
    /// <exception cref="CborException">The input is not a single well-formed data item.</exception>
    public static CborValue Decode(ReadOnlyMemory<byte> data, bool requireDeterministic = false)
    {
        var reader = new Reader(data, requireDeterministic);
        var value = reader.ReadItem(0);
        if (reader.Position != data.Length)
        {
            throw new CborException($"CBOR: {data.Length - reader.Position} trailing byte(s) after the data item, at offset {reader.Position}", reader.Position);
        }

        return value;
    }

    /// <summary>Decodes the CBOR held in a tag-24 item or a byte string (<c>bstr .cbor X</c>).</summary>
    public static CborValue DecodeEmbedded(CborValue tag24OrBytes, string what)
    {
        var bytes = tag24OrBytes is CborTag { Tag: CborTag.EncodedCbor } t ? t.Content.AsBytes(what) : tag24OrBytes.AsBytes(what);
        try
        {
            return Decode(bytes);
        }
        catch (CborException e)
        {
            throw new CborException(what + ": " + e.Message, e);
        }
    }

    private sealed class Reader(ReadOnlyMemory<byte> data, bool deterministic)
    {
        public int Position { get; private set; }

        public CborValue ReadItem(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Fail($"nesting deeper than {MaxDepth} levels");
            }

            var start = Position;
            var span = data.Span;
            if (Position >= span.Length)
            {
                throw Fail("truncated input: expected a data item" + (depth == 0 ? " but the input is empty" : string.Empty));
            }

            var initial = span[Position++];
            var major = initial >> 5;
            var ai = initial & 0x1f;

            if (major == 7)
            {
                var simple = ReadMajor7(ai, start);
                simple.Encoded = data[start..Position];
                return simple;
            }

            if (ai == 31)
            {
                throw Fail(major is 2 or 3 or 4 or 5
                    ? "indefinite-length item (major type " + major.ToString(CultureInfo.InvariantCulture) + ") is not allowed; ISO 18013-5 requires definite lengths"
                    : "additional information 31 is not valid for major type " + major.ToString(CultureInfo.InvariantCulture), start);
            }

            var argument = ReadArgument(ai, start);
            CborValue value;
            switch (major)
            {
                case 0:
                case 1:
                    value = new CborInteger(argument, negative: major == 1);
                    break;
                case 2:
                    value = new CborByteString(Take(argument, "byte string", start));
                    break;
                case 3:
                    var bytes = Take(argument, "text string", start);
                    try
                    {
                        value = new CborTextString(StrictUtf8.GetString(bytes.Span));
                    }
                    catch (DecoderFallbackException)
                    {
                        throw Fail("text string is not valid UTF-8", start);
                    }

                    break;
                case 4:
                    value = ReadArray(argument, depth, start);
                    break;
                case 5:
                    value = ReadMap(argument, depth, start);
                    break;
                default:
                    value = ReadTag(argument, depth, start);
                    break;
            }

            value.Encoded = data[start..Position];
            return value;
        }

        private CborArray ReadArray(ulong count, int depth, int start)
        {
            CheckCount(count, 1, "array", start);
            var items = new CborValue[(int)count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = ReadItem(depth + 1);
            }

            return new CborArray(items);
        }

        private CborMap ReadMap(ulong count, int depth, int start)
        {
            CheckCount(count, 2, "map", start);
            var map = new CborMap(keepOrder: true);
            var keys = new ReadOnlyMemory<byte>[(int)count];
            for (var i = 0; i < keys.Length; i++)
            {
                var keyStart = Position;
                var key = ReadItem(depth + 1);
                keys[i] = key.Encoded;
                if (deterministic && i > 0 && keys[i - 1].Span.SequenceCompareTo(keys[i].Span) >= 0)
                {
                    throw Fail("map keys are not in bytewise lexicographic order (RFC 8949 §4.2.1) at key " + key, keyStart);
                }

                map.Add(key, ReadItem(depth + 1));
            }

            if (!deterministic && keys.Length > 1)
            {
                var sorted = (ReadOnlyMemory<byte>[])keys.Clone();
                Array.Sort(sorted, static (x, y) => x.Span.SequenceCompareTo(y.Span));
                for (var i = 1; i < sorted.Length; i++)
                {
                    if (sorted[i].Span.SequenceEqual(sorted[i - 1].Span))
                    {
                        throw Fail("map has a duplicate key h'" + Convert.ToHexStringLower(sorted[i].Span) + "' (RFC 8949 §5.6)", start);
                    }
                }
            }

            return map;
        }

        private CborTag ReadTag(ulong tag, int depth, int start)
        {
            var content = ReadItem(depth + 1);
            var expected = tag switch
            {
                CborTag.EncodedCbor => CborKind.ByteString,
                CborTag.DateTimeString or CborTag.FullDate => CborKind.TextString,
                _ => content.Kind,
            };
            if (content.Kind != expected)
            {
                throw Fail($"tag {tag} must enclose a {(expected == CborKind.ByteString ? "byte string" : "text string")}, found {content}", start);
            }

            return new CborTag(tag, content);
        }

        private CborValue ReadMajor7(int ai, int start)
        {
            var span = data.Span;
            switch (ai)
            {
                case < 24:
                    return new CborSimple((byte)ai);
                case 24:
                    Need(1, "simple value", start);
                    var v = span[Position++];
                    if (v < 32)
                    {
                        throw Fail("two-byte simple value " + v.ToString(CultureInfo.InvariantCulture) + " is not well-formed (RFC 8949 §3.3)", start);
                    }

                    return new CborSimple(v);
                case 25:
                    Need(2, "half-precision float", start);
                    var h = BinaryPrimitives.ReadHalfBigEndian(span[Position..]);
                    Position += 2;
                    return new CborFloat((double)h);
                case 26:
                    Need(4, "single-precision float", start);
                    var f = BinaryPrimitives.ReadSingleBigEndian(span[Position..]);
                    Position += 4;
                    if (deterministic && (double)(Half)f == f)
                    {
                        throw Fail("float is not in its shortest form (RFC 8949 §4.2.1)", start);
                    }

                    return new CborFloat(f);
                case 27:
                    Need(8, "double-precision float", start);
                    var d = BinaryPrimitives.ReadDoubleBigEndian(span[Position..]);
                    Position += 8;
                    if (deterministic && (double)(float)d == d)
                    {
                        throw Fail("float is not in its shortest form (RFC 8949 §4.2.1)", start);
                    }

                    return new CborFloat(d);
                case 31:
                    throw Fail("unexpected break byte 0xff outside an indefinite-length item", start);
                default:
                    throw Fail("reserved additional information value " + ai.ToString(CultureInfo.InvariantCulture) + " (RFC 8949 §3)", start);
            }
        }

        private ulong ReadArgument(int ai, int start)
        {
            var span = data.Span;
            ulong value;
            switch (ai)
            {
                case < 24:
                    return (ulong)ai;
                case 24:
                    Need(1, "1-byte argument", start);
                    value = span[Position];
                    Position += 1;
                    if (deterministic && value < 24)
                    {
                        throw NotShortest(start);
                    }

                    return value;
                case 25:
                    Need(2, "2-byte argument", start);
                    value = BinaryPrimitives.ReadUInt16BigEndian(span[Position..]);
                    Position += 2;
                    if (deterministic && value <= byte.MaxValue)
                    {
                        throw NotShortest(start);
                    }

                    return value;
                case 26:
                    Need(4, "4-byte argument", start);
                    value = BinaryPrimitives.ReadUInt32BigEndian(span[Position..]);
                    Position += 4;
                    if (deterministic && value <= ushort.MaxValue)
                    {
                        throw NotShortest(start);
                    }

                    return value;
                case 27:
                    Need(8, "8-byte argument", start);
                    value = BinaryPrimitives.ReadUInt64BigEndian(span[Position..]);
                    Position += 8;
                    if (deterministic && value <= uint.MaxValue)
                    {
                        throw NotShortest(start);
                    }

                    return value;
                default:
                    throw Fail("reserved additional information value " + ai.ToString(CultureInfo.InvariantCulture) + " (RFC 8949 §3)", start);
            }
        }

        private ReadOnlyMemory<byte> Take(ulong length, string what, int start)
        {
            var remaining = data.Length - Position;
            if (length > (ulong)remaining)
            {
                throw Fail($"truncated input: {what} of length {length} needs {length} bytes but {remaining} remain", start);
            }

            var slice = data.Slice(Position, (int)length);
            Position += (int)length;
            return slice;
        }

        private void CheckCount(ulong count, int minBytesPerEntry, string what, int start)
        {
            // Every entry needs at least one byte: this bounds allocations from hostile lengths.
            var remaining = (ulong)(data.Length - Position);
            if (count > remaining / (ulong)minBytesPerEntry)
            {
                throw Fail($"truncated input: {what} declares {count} entries but only {remaining} bytes remain", start);
            }
        }

        private void Need(int bytes, string what, int start)
        {
            if (data.Length - Position < bytes)
            {
                throw Fail($"truncated input: {what} needs {bytes} bytes but {data.Length - Position} remain", start);
            }
        }

        private CborException NotShortest(int start) => Fail("integer or length is not in its shortest form (RFC 8949 §4.2.1)", start);

        private CborException Fail(string message, int? offset = null)
        {
            var at = offset ?? Position;
            return new CborException($"CBOR: {message} (at offset {at})", at);
        }
    }
}
