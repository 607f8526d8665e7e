using Doppel.Seeding;

namespace Doppel.Generators;

/// <summary>Samplers over an owned <see cref="Rng"/>; each draws a fixed or bounded number of uniforms (no rejection loops).</summary>
public static class Distributions
{
    /// <summary>Poisson: Knuth's product method below mean 30, a rounded normal approximation above.</summary>
    public static long Poisson(ref Rng rng, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean < 30)
        {
            var limit = Math.Exp(-mean);
            var k = 0L;
            var p = rng.NextDouble();
            while (p > limit)
            {
                k++;
                p *= rng.NextDouble();
            }

            return k;
        }

        return Math.Max(0, (long)Math.Round(mean + (Math.Sqrt(mean) * rng.NextGaussian())));
    }

    public static double Exponential(ref Rng rng, double mean) => -mean * Math.Log(1.0 - rng.NextDouble());

    public static double Normal(ref Rng rng, double mean, double stddev) => mean + (stddev * rng.NextGaussian());

    public static double LogNormal(ref Rng rng, double mu, double sigma) => Math.Exp(mu + (sigma * rng.NextGaussian()));
}

/// <summary>Zipf over ranks 1..n with exponent s, by inverse CDF (a table for n ≤ 2^20, a continuous approximation above).</summary>
public sealed class ZipfSampler
{
    private readonly double[]? _cdf;
    private readonly long _n;
    private readonly double _s;

    public ZipfSampler(long n, double s)
    {
        _n = Math.Max(1, n);
        _s = s;
        if (_n <= 1 << 20)
        {
            _cdf = new double[_n];
            var sum = 0.0;
            for (var k = 1; k <= _n; k++)
            {
                sum += 1.0 / Math.Pow(k, s);
                _cdf[k - 1] = sum;
            }

            for (var k = 0; k < _n; k++)
            {
                _cdf[k] /= sum;
            }
        }
    }

    /// <summary>A 0-based rank: 0 is the most frequent.</summary>
    public long Sample(ref Rng rng)
    {
        var u = rng.NextDouble();
        if (_cdf is not null)
        {
            var i = Array.BinarySearch(_cdf, u);
            return Math.Min(_n - 1, i >= 0 ? i : ~i);
        }

        // Continuous approximation: invert the integral of x^-s over [1, n+1].
        double x;
        if (Math.Abs(_s - 1.0) < 1e-9)
        {
            x = Math.Exp(u * Math.Log(_n + 1.0));
        }
        else
        {
            var a = 1.0 - _s;
            x = Math.Pow(1 + (u * (Math.Pow(_n + 1.0, a) - 1)), 1 / a);
        }

        return Math.Clamp((long)x - 1, 0, _n - 1);
    }
}

/// <summary>O(1) weighted sampling by Walker's alias method.</summary>
public sealed class AliasTable
{
    private readonly double[] _prob;
    private readonly int[] _alias;

    public AliasTable(IReadOnlyList<double> weights)
    {
        var n = weights.Count;
        if (n == 0)
        {
            throw new ArgumentException("at least one weight is needed", nameof(weights));
        }

        _prob = new double[n];
        _alias = new int[n];
        var total = weights.Sum();
        if (total <= 0)
        {
            throw new ArgumentException("weights must sum to more than zero", nameof(weights));
        }

        var scaled = weights.Select(w => w * n / total).ToArray();
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = n - 1; i >= 0; i--)
        {
            (scaled[i] < 1 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            var s = small.Pop();
            var l = large.Pop();
            _prob[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }

        while (large.Count > 0)
        {
            _prob[large.Pop()] = 1;
        }

        while (small.Count > 0)
        {
            _prob[small.Pop()] = 1;
        }
    }

    public int Count => _prob.Length;

    public int Sample(ref Rng rng)
    {
        var i = rng.NextInt(_prob.Length);
        return rng.NextDouble() < _prob[i] ? i : _alias[i];
    }
}
