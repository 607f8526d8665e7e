using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Doppel.Formats.Parquet.Internal;

/// <summary>A growable byte buffer that is reused across pages and row groups (no per-page allocation once warm).</summary>
internal sealed class ByteBuffer
{
    private byte[] _buffer;

    public ByteBuffer(int initialCapacity = 256) => _buffer = new byte[Math.Max(16, initialCapacity)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public byte[] RawBuffer => _buffer;

    public void Clear() => Length = 0;

    /// <summary>Drops a large buffer after use so an idle writer does not pin its peak size.</summary>
    public void Trim(int keepCapacity)
    {
        Length = 0;
        if (_buffer.Length > keepCapacity)
        {
            _buffer = new byte[keepCapacity];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (Length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[Length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    public void WriteInt32LittleEndian(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(GetSpan(4), value);
        Length += 4;
    }

    /// <summary>Unsigned LEB128.</summary>
    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    /// <summary>Returns at least <paramref name="sizeHint"/> writable bytes at the end; call <see cref="Advance"/> after writing.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - Length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Overwrites 4 bytes at <paramref name="position"/> (used to back-fill length prefixes).</summary>
    public void PatchInt32LittleEndian(int position, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    private void Grow(int sizeHint)
    {
        var needed = (long)Length + sizeHint;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException(
                "A Parquet page or column chunk would exceed 2 GB; lower ParquetWriterOptions.RowGroupMaxRows or RowGroupMaxBytes.");
        }

        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)size);
    }
}
