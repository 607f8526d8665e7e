using Doppel.Seeding;

namespace Doppel.Domain.Tests;

internal delegate int SpanWriter(ref Rng rng, Span<char> dest);

internal static class TestUtil
{
    /// <summary>Runs a span writer once and returns its output as a string.</summary>
    public static string Write(ref Rng rng, SpanWriter writer)
    {
        Span<char> buffer = stackalloc char[128];
        var n = writer(ref rng, buffer);
        return new string(buffer[..n]);
    }

    /// <summary>Bytes allocated on this thread while running <paramref name="body"/> (after one warm-up run).</summary>
    public static long AllocatedBytes(Action body)
    {
        body();
        var before = GC.GetAllocatedBytesForCurrentThread();
        body();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
