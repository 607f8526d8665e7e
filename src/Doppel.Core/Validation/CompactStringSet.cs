using System.Buffers;
using System.Numerics;
using System.Text;

namespace Doppel.Validation;

/// <summary>
/// An exact set of strings kept as UTF-8 in large chunks behind an open-addressing index: about a third of the
/// memory of a <see cref="HashSet{T}"/> of strings (an NHS number costs ~24 bytes instead of ~70), so validating
/// unique and referenced columns of large tables stays affordable. Nothing is approximate: equal hashes are
/// confirmed by comparing the bytes.
/// </summary>
internal sealed class CompactStringSet
{
    private const int ChunkSize = 1 << 20;
    private readonly List<byte[]> _chunks = [];
    private int _used;
    private const int OffsetBits = 20;
    private const int LocationBits = 40;
    private const ulong LocationMask = (1UL << LocationBits) - 1;

    // One ulong per slot: 0 = empty; else the hash's top 24 bits over (1 + location), location = chunk << 20 | offset.
    private ulong[] _slots = new ulong[1 << 10];

    public long Count { get; private set; }

    /// <summary>Adds <paramref name="value"/>; false when it was already there.</summary>
    public bool Add(string value) => Find(value, insert: true);

    public bool Contains(string value) => !Find(value, insert: false);

    /// <summary>Looks <paramref name="value"/> up, adding it when <paramref name="insert"/> is set.</summary>
    /// <returns>For insert: true when added. For lookup: true when absent.</returns>
    private bool Find(string value, bool insert)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, bytes);
            var utf8 = bytes[..length];
            var hash = Hash(utf8);
            var tag = hash & ~LocationMask;
            var mask = _slots.Length - 1;
            for (var i = (int)(hash & (ulong)mask); ; i = (i + 1) & mask)
            {
                var slot = _slots[i];
                if (slot == 0)
                {
                    if (!insert)
                    {
                        return true;
                    }

                    _slots[i] = tag | (Store(utf8) + 1);
                    if (++Count * 10 > _slots.Length * 7L)
                    {
                        Grow();
                    }

                    return true;
                }

                if ((slot & ~LocationMask) == tag && Stored((slot & LocationMask) - 1).SequenceEqual(utf8))
                {
                    return false;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Appends length-prefixed bytes to the current chunk (a new one when full; a large value gets a chunk of its own).</summary>
    private ulong Store(ReadOnlySpan<byte> utf8)
    {
        var need = utf8.Length + 5;
        if (_chunks.Count == 0 || _used + need > ChunkSize)
        {
            _chunks.Add(new byte[Math.Max(ChunkSize, need)]);
            _used = 0;
        }

        var chunk = _chunks[^1];
        var at = _used;
        var n = 0;
        for (var len = (uint)utf8.Length; ; len >>= 7)
        {
            chunk[at + n++] = (byte)(len < 0x80 ? len : (len & 0x7F) | 0x80);
            if (len < 0x80)
            {
                break;
            }
        }

        utf8.CopyTo(chunk.AsSpan(at + n));
        _used = at + n + utf8.Length; // past ChunkSize only in an oversized chunk, which then takes nothing more
        return ((ulong)(_chunks.Count - 1) << OffsetBits) | (uint)at;
    }

    private ReadOnlySpan<byte> Stored(ulong location)
    {
        var chunk = _chunks[(int)(location >> OffsetBits)];
        var at = (int)(location & ((1UL << OffsetBits) - 1));
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = chunk[at++];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return chunk.AsSpan(at, length);
    }

    private void Grow()
    {
        // Only the hash's top bits are kept, so each value is hashed again from its bytes for its new slot.
        var slots = new ulong[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (var slot in _slots)
        {
            if (slot == 0)
            {
                continue;
            }

            var i = (int)(Hash(Stored((slot & LocationMask) - 1)) & (ulong)mask);
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }

        _slots = slots;
    }

    /// <summary>A 64-bit hash of the bytes (8 at a time, multiply-rotate, SplitMix finalizer); only for this table, not persisted.</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)bytes.Length;
        while (bytes.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BitConverter.ToUInt64(bytes)) * 0xBF58476D1CE4E5B9UL, 31);
            bytes = bytes[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            tail |= (ulong)bytes[i] << (8 * i);
        }

        return Seeding.SeedTree.Finalize(h ^ (tail * 0x94D049BB133111EBUL));
    }
}
