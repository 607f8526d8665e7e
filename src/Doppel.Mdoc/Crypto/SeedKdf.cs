using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Doppel.Mdoc.Crypto;

/// <summary>
/// Derives every random-looking value (keys, salts, serial numbers, holder data) from the
/// dataset seed and a label path, so each value is a pure function of seed + names + indices
/// and independent of generation order or thread count.
/// </summary>
internal static class SeedKdf
{
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("Doppel.Mdoc/v1");

    /// <summary>The seed as input keying material (8 bytes, little-endian).</summary>
    public static byte[] SeedMaterial(ulong seed)
    {
        var ikm = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(ikm, seed);
        return ikm;
    }

    /// <summary>HKDF-SHA-256 (RFC 5869) of the seed material with the label as info.</summary>
    public static byte[] Expand(ReadOnlySpan<byte> seedMaterial, string label, int length)
    {
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, seedMaterial, output, Salt, Encoding.UTF8.GetBytes(label));
        return output;
    }

    /// <summary>A 64-bit stream seed for <see cref="DetRandom"/>.</summary>
    public static ulong Stream(ReadOnlySpan<byte> seedMaterial, string label) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Expand(seedMaterial, "stream/" + label, 8));
}

/// <summary>A small owned PRNG (SplitMix64) for picking holder data; never shared between credentials.</summary>
internal struct DetRandom(ulong state)
{
    private ulong _state = state;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, maxExclusive) (Lemire's multiply-shift; bias below 2^-32 for small ranges).</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>Uniform in [min, maxInclusive].</summary>
    public int Next(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public bool Chance(double probability) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < probability;

    public void Fill(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i += 8)
        {
            var v = NextUInt64();
            for (var j = 0; j < 8 && i + j < destination.Length; j++)
            {
                destination[i + j] = (byte)(v >> (8 * j));
            }
        }
    }
}
