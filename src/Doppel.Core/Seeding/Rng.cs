using System.Runtime.CompilerServices;

namespace Doppel.Seeding;

/// <summary>
/// A small, fast, owned pseudo-random generator (SplitMix64 stream). Each cell gets its own
/// <see cref="Rng"/> from <see cref="SeedTree.Cell"/>, so values never depend on evaluation order,
/// thread count or shard split.
/// </summary>
/// <remarks>We own the algorithm so a .NET upgrade cannot change generated data (System.Random's sequence is not a contract).</remarks>
public struct Rng
{
    private ulong _state;

    public Rng(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return SeedTree.Finalize(_state);
    }

    /// <summary>A double uniformly distributed in [0, 1) with 53 bits of precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, bound) without modulo bias (Lemire's method).</summary>
    public ulong NextBelow(ulong bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        var x = NextULong();
        var m = Math.BigMul(x, bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                x = NextULong();
                m = Math.BigMul(x, bound, out low);
            }
        }

        return m;
    }

    /// <summary>A uniform integer in [0, bound).</summary>
    public int NextInt(int bound) => (int)NextBelow((ulong)bound);

    /// <summary>A uniform integer in [min, max] (both inclusive).</summary>
    public long NextLong(long min, long max)
    {
        if (max <= min)
        {
            return min;
        }

        var span = (ulong)(max - min);
        return span == ulong.MaxValue ? (long)NextULong() : min + (long)NextBelow(span + 1);
    }

    public bool NextBool(double probabilityTrue) => NextDouble() < probabilityTrue;

    /// <summary>A standard normal variate (Box–Muller; uses two uniforms so the stream length is fixed).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble(); // (0,1]
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
