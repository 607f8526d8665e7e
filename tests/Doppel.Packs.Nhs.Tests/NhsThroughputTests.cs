using System.Diagnostics;
using System.Globalization;
using Doppel.Domain;
using Xunit.Abstractions;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>
/// NHS-number generation rate (valid numbers per second, one thread). Runs small by default (a check
/// that also prints the rate); for the figure in docs/packs/nhs.md use a Release build and
/// <c>DOPPEL_NHS_BENCH_N=5000000 dotnet test -c Release --filter Category=Throughput --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Throughput")]
public sealed class NhsThroughputTests(ITestOutputHelper output)
{
    private static readonly long N = long.TryParse(Environment.GetEnvironmentVariable("DOPPEL_NHS_BENCH_N"), CultureInfo.InvariantCulture, out var n) ? n : 300_000;

    [Fact]
    public void Valid_numbers_per_second_unique_by_person_index_and_per_gp_row()
    {
        var layout = new NhsLayout { SftFiles = 1, GpFiles = 20, ValidPerFile = 2000, InvalidPerFile = 300, OverlapRatio = 0.4, Seed = 42 };
        var key = layout.NumberKey;
        Span<char> dest = stackalloc char[NhsNumber.Length];
        var count = Math.Min(N, NhsNumber.Capacity(NhsRange.Test999));
        long checksum = 0;

        var sw = Stopwatch.StartNew();
        for (long p = 0; p < count; p++)
        {
            NhsNumber.WriteUnique(p, key, dest);
            checksum += dest[9];
        }

        var unique = count / sw.Elapsed.TotalSeconds;

        // A whole GP row's number: shuffle, overlap mapping, then the number (invalid rows skipped).
        var fileRows = layout.GpFiles * layout.RowsPerFile;
        var passes = Math.Max(1, (N + fileRows - 1) / fileRows);
        long valid = 0;
        sw.Restart();
        for (var pass = 0; pass < passes; pass++)
        {
            for (long r = 0; r < fileRows; r++)
            {
                var person = layout.PersonOf(NhsFamily.Gp, r / layout.RowsPerFile, r % layout.RowsPerFile);
                if (person >= 0)
                {
                    NhsNumber.WriteUnique(person, key, dest);
                    checksum += dest[9];
                    valid++;
                }
            }
        }

        var perRow = valid / sw.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NhsNumber.WriteUnique: {unique:N0} valid numbers/s ({count:N0}); GP rows → numbers: {perRow:N0} valid numbers/s ({valid:N0} of {passes * fileRows:N0} rows)"));

        checksum.Should().BePositive();
        valid.Should().Be(passes * layout.GpFiles * layout.ValidPerFile, "exactly VALID_NHS_PER_FILE valid rows per file");
        NhsNumber.IsValid(dest).Should().BeTrue();
    }
}
