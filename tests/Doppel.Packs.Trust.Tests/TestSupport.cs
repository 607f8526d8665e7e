using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Packs.Trust.Tests;

internal static class OpenSsl
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr);
    }

    public static string AtTime(DateOnly asOf) =>
        new DateTimeOffset(asOf.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Strips the 77 tag of an EF.SOD into a temp file openssl can read as CMS DER.</summary>
    public static string SodAsCms(string sodPath)
    {
        byte[] sod = File.ReadAllBytes(sodPath);
        int header = sod[1] switch
        {
            0x81 => 3,
            0x82 => 4,
            0x83 => 5,
            _ => 2,
        };
        string path = Path.Combine(Path.GetTempPath(), "doppel-sod-" + Guid.NewGuid().ToString("N") + ".p7");
        File.WriteAllBytes(path, sod[header..]);
        return path;
    }
}

/// <summary>The seed's small example (countries 3, passports 20, mdl 10, mdoc 10, dtc 5), generated once per test run.</summary>
public sealed class SmallExampleFixture : IAsyncLifetime
{
    public static readonly DateOnly AsOf = new(2025, 6, 1);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "doppel-trust-tests", "small-" + Guid.NewGuid().ToString("N")[..8]);

    public TrustResult Result { get; private set; } = null!;

    public JsonNode Document { get; private set; } = null!;

    public TrustOptions Options => new()
    {
        Countries = 3, Passports = 20, Mdl = 10, Mdoc = 10, Dtc = 5, AsOf = AsOf, OutputDir = Dir, InvalidRate = 0.3,
    };

    public async Task InitializeAsync()
    {
        Result = await TrustGenerator.GenerateAsync(Options);
        Document = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Dir, "trust.json")))!;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }

    public string PathOf(string relative) => Path.Combine(Dir, relative);
}
