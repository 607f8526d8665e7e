using System.Runtime.CompilerServices;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>
/// O(1) weighted choice of an index by Walker's alias method (Vose's construction). Build once from
/// the weights, then <see cref="Sample"/> costs one random draw and no allocation.
/// </summary>
/// <remarks>
/// A single 64-bit draw x gives both the column (high half of x·n) and the coin (low half): for a
/// uniform x the low half is uniform within each column up to n/2^64, far below any measurable bias.
/// </remarks>
public sealed class WeightedSampler
{
    private readonly ulong[] _threshold;
    private readonly int[] _alias;

    /// <summary>Builds a sampler; index i is drawn with probability weights[i] / sum(weights).</summary>
    /// <exception cref="ArgumentException">No weights, a negative or non-finite weight, or all weights zero.</exception>
    public WeightedSampler(ReadOnlySpan<double> weights)
    {
        var n = weights.Length;
        if (n == 0)
        {
            DomainThrow.Argument(nameof(weights), "WeightedSampler needs at least one weight.");
        }

        var total = 0.0;
        foreach (var w in weights)
        {
            if (!double.IsFinite(w) || w < 0)
            {
                DomainThrow.Argument(nameof(weights), $"Weights must be finite and non-negative; got {w.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            }

            total += w;
        }

        if (total <= 0)
        {
            DomainThrow.Argument(nameof(weights), "At least one weight must be positive.");
        }

        Count = n;
        _threshold = new ulong[n];
        _alias = new int[n];

        // Scaled probabilities: mean 1. Small (< 1) columns are topped up by large ones.
        var scaled = new double[n];
        var small = new int[n];
        var large = new int[n];
        int smallCount = 0, largeCount = 0;
        for (var i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            if (scaled[i] < 1.0)
            {
                small[smallCount++] = i;
            }
            else
            {
                large[largeCount++] = i;
            }
        }

        while (smallCount > 0 && largeCount > 0)
        {
            var s = small[--smallCount];
            var l = large[--largeCount];
            _threshold[s] = ToThreshold(scaled[s]);
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            if (scaled[l] < 1.0)
            {
                small[smallCount++] = l;
            }
            else
            {
                large[largeCount++] = l;
            }
        }

        // Leftovers are 1 up to rounding error: they always keep their own column.
        while (largeCount > 0)
        {
            var l = large[--largeCount];
            _threshold[l] = ulong.MaxValue;
            _alias[l] = l;
        }

        while (smallCount > 0)
        {
            var s = small[--smallCount];
            _threshold[s] = ulong.MaxValue;
            _alias[s] = s;
        }
    }

    /// <summary>Number of weights (indices are 0..Count-1).</summary>
    public int Count { get; }

    /// <summary>Draws an index with probability proportional to its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Sample(ref Rng rng)
    {
        var x = rng.NextULong();
        var column = (int)Math.BigMul(x, (ulong)_threshold.Length, out var coin);
        return coin < _threshold[column] ? column : _alias[column];
    }

    private static ulong ToThreshold(double probability)
    {
        // coin < threshold has probability threshold / 2^64.
        if (probability >= 1.0)
        {
            return ulong.MaxValue;
        }

        var scaled = probability * 18446744073709551616.0;
        return scaled <= 0.0 ? 0UL : scaled >= 18446744073709551615.0 ? ulong.MaxValue : (ulong)scaled;
    }
}
