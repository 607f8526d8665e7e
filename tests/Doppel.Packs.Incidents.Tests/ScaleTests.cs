using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>
/// Memory is bounded independently of the incident count: the peak RSS of a run (measured by
/// /usr/bin/time in a child process) barely changes between 5,000 and 60,000 incidents. The 1,000,000
/// incident figures are in docs/packs/incidents.md (scripts/bench-incidents.sh).
/// </summary>
public sealed class ScaleTests
{
    private static long PeakRssKb(int incidents, string format)
    {
        var dir = TempDir("scale");
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "peak_rss_kb=%M", "dotnet", Path.Combine(AppContext.BaseDirectory, "doppel.dll"), "generate", "incidents", "--out", dir, "--start-datetime", Start, "--quiet", "--threads", "2", "--incident-count", incidents.ToString(CultureInfo.InvariantCulture), "--output-format", format })
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/time (install the 'time' package)");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.Should().Be(0, err);
        ReadCsvCount(dir, format).Should().Be(incidents);
        Directory.Delete(dir, true);
        return long.Parse(Regex.Match(err, @"peak_rss_kb=(\d+)", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static long ReadCsvCount(string dir, string format) =>
        format == "csv" ? File.ReadLines(Path.Combine(dir, "incidents.csv")).LongCount() - 1 : new FileInfo(Path.Combine(dir, "incidents.parquet")).Length > 0 ? ManifestRows(dir) : 0;

    private static long ManifestRows(string dir)
    {
        using var m = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        return m.RootElement.GetProperty("tables").EnumerateArray().First(t => t.GetProperty("name").GetString() == "incidents").GetProperty("rows").GetInt64();
    }

    /// <remarks>
    /// CSV only: a Parquet writer buffers a row group per table (up to 131,072 rows or 64 MiB), so its
    /// memory rises until the first row groups fill and is flat after that, beyond what a fast test can
    /// reach; the 1,000,000-incident benchmark measures it.
    /// </remarks>
    [Fact]
    public void Peak_memory_does_not_grow_with_the_incident_count()
    {
        const string format = "csv";
        var small = PeakRssKb(5_000, format);
        var large = PeakRssKb(60_000, format);

        large.Should().BeLessThan(1L << 20, "well under 1 GiB");
        ((double)large / small).Should().BeLessThan(1.35, $"12× the incidents must not need much more memory (5,000: {small} KB, 60,000: {large} KB)");
    }
}
