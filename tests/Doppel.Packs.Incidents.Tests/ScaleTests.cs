using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>
/// Memory is bounded independently of the incident count. A run of 150,000 incidents (about 750,000
/// rows, 120 MB of CSV) must succeed in a child process whose GC heap is capped at 48 MiB: anything that
/// kept rows or tables in memory would run out. The 1,000,000-incident figures (peak RSS, rows/s) are in
/// docs/packs/incidents.md (scripts/bench-incidents.sh).
/// </summary>
public sealed class ScaleTests
{
    [Fact]
    public void A_large_run_fits_in_a_small_fixed_heap()
    {
        const int incidents = 150_000;
        var dir = TempDir("scale");
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "peak_rss_kb=%M", "dotnet", Path.Combine(AppContext.BaseDirectory, "doppel.dll"), "generate", "incidents", "--out", dir, "--start-datetime", Start, "--quiet", "--threads", "2", "--incident-count", incidents.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_GCHeapHardLimit"] = "0x3000000"; // 48 MiB
        using var p = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/time (install the 'time' package)");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();

        p.ExitCode.Should().Be(0, err);
        File.ReadLines(Path.Combine(dir, "incidents.csv")).LongCount().Should().Be(incidents + 1);
        new DirectoryInfo(dir).GetFiles().Sum(f => f.Length).Should().BeGreaterThan(100L << 20, "the output is larger than the heap cap");
        var rss = long.Parse(Regex.Match(err, @"peak_rss_kb=(\d+)", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value, CultureInfo.InvariantCulture);
        rss.Should().BeLessThan(512L << 10, "peak RSS well under 1 GiB");
        Directory.Delete(dir, true);
    }
}
