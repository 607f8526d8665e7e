using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Doppel.Packs.Trust;

/// <summary>
/// Seed derivation for the trust pack: every random value is a pure function of
/// (run seed, label, index). Labels name the thing being generated ("passport", "key/DEU/csca-g2"),
/// so adding a new kind of value never shifts existing ones.
/// </summary>
internal static class Seeds
{
    private static readonly byte[] Domain = "doppel.trust/v1"u8.ToArray();

    /// <summary>Fills <paramref name="output"/> with HMAC-SHA256-based bytes (HKDF-expand style counter mode).</summary>
    public static void Derive(long seed, string label, long index, Span<byte> output)
    {
        Span<byte> key = stackalloc byte[Domain.Length + 8];
        Domain.CopyTo(key);
        BinaryPrimitives.WriteInt64LittleEndian(key[Domain.Length..], seed);

        int labelBytes = Encoding.UTF8.GetByteCount(label);
        byte[] message = new byte[labelBytes + 1 + 8 + 4];
        Encoding.UTF8.GetBytes(label, message);
        message[labelBytes] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(labelBytes + 1), index);

        Span<byte> block = stackalloc byte[32];
        for (int counter = 0, written = 0; written < output.Length; counter++)
        {
            BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(labelBytes + 9), counter);
            HMACSHA256.HashData(key, message, block);
            int take = Math.Min(32, output.Length - written);
            block[..take].CopyTo(output[written..]);
            written += take;
        }
    }

    public static byte[] Derive(long seed, string label, long index, int length)
    {
        byte[] bytes = new byte[length];
        Derive(seed, label, index, bytes);
        return bytes;
    }
}

/// <summary>
/// xoshiro256** generator owned by the pack (System.Random's sequence is not a stable contract).
/// A value type: each generated entity creates its own from <see cref="Seeds"/>, nothing is shared.
/// </summary>
internal struct Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public static Rng For(long seed, string label, long index)
    {
        Span<byte> state = stackalloc byte[32];
        Seeds.Derive(seed, label, index, state);
        var rng = new Rng
        {
            _s0 = BinaryPrimitives.ReadUInt64LittleEndian(state),
            _s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]),
            _s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]),
            _s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]),
        };
        if ((rng._s0 | rng._s1 | rng._s2 | rng._s3) == 0)
        {
            rng._s0 = 1; // the all-zero state is a fixed point
        }

        return rng;
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, maxExclusive) (multiply-shift; bias is below 2^-32 for our ranges).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
