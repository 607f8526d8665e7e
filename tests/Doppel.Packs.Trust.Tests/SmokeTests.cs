using Doppel.Packs.Trust.Validation;

namespace Doppel.Packs.Trust.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Small_example_generates()
    {
        string dir = Path.Combine(Path.GetTempPath(), "doppel-trust-smoke");
        var options = new TrustOptions { Countries = 4, Passports = 20, Mdl = 10, Mdoc = 10, Dtc = 5, AsOf = new DateOnly(2025, 6, 1), OutputDir = dir };
        TrustResult result = await TrustGenerator.GenerateAsync(options);
        result.Passports.Should().Be(20);
        var report = TrustValidator.Validate(dir);
        File.WriteAllText("/tmp/report.txt", report.ToText() + report.ToJson());
        report.IsValid.Should().BeTrue(report.ToText());
    }
}
