using System.Runtime.CompilerServices;
using System.Text;

namespace Doppel.Seeding;

/// <summary>
/// Derives every seed from names, never from positions: cell seed = f(recipe seed, table name,
/// column name, row index). Adding a column or table, changing thread count or shard split
/// shifts no existing value.
/// </summary>
public static class SeedTree
{
    /// <summary>A stable 64-bit hash of a name (FNV-1a over UTF-8, then finalized). Never string.GetHashCode: that is randomised per process.</summary>
    public static ulong HashName(string name)
    {
        var h = 0xCBF29CE484222325UL;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(name) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(name, buffer)] : Encoding.UTF8.GetBytes(name);
        foreach (var b in bytes)
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }

        return Finalize(h);
    }

    /// <summary>Combines a parent seed with a child key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong seed, ulong key) => Finalize(seed ^ Finalize(key + 0x632BE59BD9B4E019UL));

    public static ulong Combine(ulong seed, string name) => Combine(seed, HashName(name));

    /// <summary>Seed of a table's column: f(recipe seed, table, column).</summary>
    public static ulong Column(ulong recipeSeed, string table, string column) => Combine(Combine(recipeSeed, table), column);

    /// <summary>The random stream of one cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Rng Cell(ulong columnSeed, long rowIndex) => new(Combine(columnSeed, (ulong)rowIndex));

    /// <summary>The SplitMix64 / MurmurHash3 finalizer: a bijective 64-bit mix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
