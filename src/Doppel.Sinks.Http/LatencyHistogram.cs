using System.Diagnostics;

namespace Doppel.Sinks.Http;

/// <summary>Request latencies in log-spaced buckets (2 % wide): percentiles in constant memory, lock-free recording.</summary>
internal sealed class LatencyHistogram
{
    private const double Growth = 1.02;
    private const int Buckets = 1400; // 1 µs · 1.02^1400 ≈ 10^12 µs: any latency we will see
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[Buckets];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Record(long stopwatchTicks)
    {
        var micros = Math.Max(1.0, stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency);
        var index = Math.Min(Buckets - 1, (int)(Math.Log(micros) / LogGrowth));
        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The latency in milliseconds below which <paramref name="fraction"/> of the requests fall (bucket midpoint; 0 when empty).</summary>
    public double PercentileMs(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Pow(Growth, i + 0.5) / 1000.0;
            }
        }

        return Math.Pow(Growth, Buckets) / 1000.0;
    }
}
