using System.Numerics;
using System.Runtime.CompilerServices;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>
/// A keyed pseudo-random permutation of [0, n) for any n ≥ 1 (format-preserving encryption by a
/// balanced Feistel network with cycle walking). Use it to make values unique by construction:
/// map row index i to <c>Permute(i, n, key)</c> and unrank that.
/// </summary>
/// <remarks>
/// Not cryptographic: the round function is the SplitMix64 finalizer. The network works on
/// 2h bits with 2^2h ≥ n (so at most 4n), and cycle walking re-applies it until the value falls
/// below n: that is still a bijection of [0, n) and takes fewer than 4 rounds on average.
/// </remarks>
public static class FeistelPermutation
{
    /// <summary>The image of <paramref name="index"/> under the permutation of [0, <paramref name="domainSize"/>) selected by <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="domainSize"/> &lt; 1 or <paramref name="index"/> outside [0, domainSize).</exception>
    public static long Permute(long index, long domainSize, ulong key)
    {
        if (domainSize < 1)
        {
            DomainThrow.OutOfRange(nameof(domainSize), domainSize, "at least 1");
        }

        if ((ulong)index >= (ulong)domainSize)
        {
            DomainThrow.OutOfRange(nameof(index), index, $"0 to {domainSize - 1}");
        }

        if (domainSize == 1)
        {
            return 0;
        }

        var bits = 64 - BitOperations.LeadingZeroCount((ulong)(domainSize - 1));
        var halfBits = (bits + 1) / 2;
        var mask = (1UL << halfBits) - 1;

        // Round keys derived once per call; they depend only on the caller's key.
        var k0 = SeedTree.Finalize(key + 0x9E3779B97F4A7C15UL);
        var k1 = SeedTree.Finalize(k0 + 0x9E3779B97F4A7C15UL);
        var k2 = SeedTree.Finalize(k1 + 0x9E3779B97F4A7C15UL);
        var k3 = SeedTree.Finalize(k2 + 0x9E3779B97F4A7C15UL);

        var x = (ulong)index;
        do
        {
            var left = x >> halfBits;
            var right = x & mask;
            Round(ref left, ref right, k0, mask);
            Round(ref left, ref right, k1, mask);
            Round(ref left, ref right, k2, mask);
            Round(ref left, ref right, k3, mask);
            x = (left << halfBits) | right;
        }
        while (x >= (ulong)domainSize);

        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref ulong left, ref ulong right, ulong roundKey, ulong mask)
    {
        var f = SeedTree.Finalize(right ^ roundKey) & mask;
        var newRight = left ^ f;
        left = right;
        right = newRight;
    }
}
