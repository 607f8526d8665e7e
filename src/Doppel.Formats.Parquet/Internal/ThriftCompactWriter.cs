using System.Buffers.Binary;

namespace Doppel.Formats.Parquet.Internal;

/// <summary>
/// Writes Thrift compact-protocol structs (Apache Thrift doc/specs/thrift-compact-protocol.md), the encoding of
/// every Parquet header and of the footer. Fields must be written in ascending id order within a struct.
/// </summary>
internal sealed class ThriftCompactWriter(ByteBuffer output)
{
    // Compact-protocol type ids for field headers; list element ids are the same except bool (not used here).
    public const byte BooleanTrue = 1;
    public const byte BooleanFalse = 2;
    public const byte I16 = 4;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Struct = 12;

    private readonly Stack<short> _lastFieldIds = new();
    private short _lastFieldId;

    public ByteBuffer Output { get; } = output;

    public void BeginStruct()
    {
        _lastFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void EndStruct()
    {
        Output.WriteByte(0); // stop field
        _lastFieldId = _lastFieldIds.Pop();
    }

    public void FieldI32(short id, int value)
    {
        FieldHeader(id, I32);
        I32Value(value);
    }

    public void FieldI16(short id, short value)
    {
        FieldHeader(id, I16);
        I32Value(value);
    }

    public void FieldI64(short id, long value)
    {
        FieldHeader(id, I64);
        I64Value(value);
    }

    public void FieldBool(short id, bool value) => FieldHeader(id, value ? BooleanTrue : BooleanFalse);

    public void FieldBinary(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, Binary);
        BinaryValue(value);
    }

    public void FieldString(short id, string value)
    {
        FieldHeader(id, Binary);
        StringValue(value);
    }

    /// <summary>Starts a struct-valued field; close it with <see cref="EndStruct"/>.</summary>
    public void FieldStructBegin(short id)
    {
        FieldHeader(id, Struct);
        BeginStruct();
    }

    /// <summary>Writes an empty struct-valued field (e.g. a union member with no data such as StringType).</summary>
    public void FieldEmptyStruct(short id)
    {
        FieldStructBegin(id);
        EndStruct();
    }

    /// <summary>Starts a list-valued field; then write exactly <paramref name="count"/> elements.</summary>
    public void FieldListBegin(short id, byte elementType, int count)
    {
        FieldHeader(id, List);
        if (count < 15)
        {
            Output.WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            Output.WriteByte((byte)(0xF0 | elementType));
            Output.WriteVarint((uint)count);
        }
    }

    public void I32Value(int value) => Output.WriteVarint((uint)((value << 1) ^ (value >> 31)));

    public void I64Value(long value) => Output.WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    public void BinaryValue(ReadOnlySpan<byte> value)
    {
        Output.WriteVarint((uint)value.Length);
        Output.Write(value);
    }

    public void StringValue(string value)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> scratch = max <= 256 ? stackalloc byte[max] : new byte[max];
        var length = System.Text.Encoding.UTF8.GetBytes(value, scratch);
        BinaryValue(scratch[..length]);
    }

    private void FieldHeader(short id, byte type)
    {
        var delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            Output.WriteByte((byte)((delta << 4) | type));
        }
        else
        {
            Output.WriteByte(type);
            I32Value(id);
        }

        _lastFieldId = id;
    }

    /// <summary>Little-endian fixed-width bytes of a value, as Parquet statistics store it.</summary>
    public static byte[] Plain(long value, int width)
    {
        var bytes = new byte[width];
        if (width == 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        }

        return bytes;
    }
}
