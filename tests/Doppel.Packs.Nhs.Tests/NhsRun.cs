using System.Security.Cryptography;
using System.Text.Json;
using Doppel.Domain;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>The result of one in-process <c>doppel</c> run.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the CLI in process and reads the NHS pack's output back.</summary>
internal static class NhsRun
{
    public const string SftFiles = "uploads/overnight-stay/files";
    public const string SftChecksums = "uploads/overnight-stay/checksums";
    public const string GpFiles = "uploads/registered-patient/files";
    public const string GpChecksums = "uploads/registered-patient/checksums";

    /// <summary>Small sizes that keep every property visible: 2 SFT and 5 GP files of 50 valid + 12 invalid numbers, 30% overlap.</summary>
    public static readonly string[] Small =
    [
        "--set", "num_sft_files=2", "--set", "num_gp_files=5", "--set", "valid_nhs_per_file=50",
        "--set", "invalid_nhs_per_file=12", "--set", "gp_sft_overlap_ratio=0.3",
    ];

    public static async Task<CliResult> Cli(IReadOnlyDictionary<string, string?>? env, params string[] argv)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = await Doppel.Cli.Cli.RunAsync(argv, o, e, env ?? new Dictionary<string, string?>(), CancellationToken.None);
        return new CliResult(code, o.ToString(), e.ToString());
    }

    /// <summary>Generates the pack into a new temp directory (asserting success) and returns it.</summary>
    public static async Task<string> GenerateAsync(params string[] args)
    {
        var dir = TempDir();
        var r = await Cli(null, ["generate", "nhs", "--out", dir, "--quiet", .. args]);
        r.ExitCode.Should().Be(0, r.Stderr);
        return dir;
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "doppel-nhs-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Data files of a folder under the output, in name order.</summary>
    public static List<string> Files(string dir, string folder) =>
        Directory.Exists(Path.Combine(dir, folder)) ? Directory.GetFiles(Path.Combine(dir, folder)).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The rows of one of the pack's CSV files (no field of this pack needs quoting).</summary>
    public static List<Patient> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        lines[0].Should().Be("nhs_number,given_name,family_name,date_of_birth,sex,postcode");
        return lines.Skip(1).Select(l =>
        {
            l.Should().NotContain("\"");
            var f = l.Split(',');
            f.Should().HaveCount(6, l);
            return new Patient(f[0], f[1], f[2], f[3], f[4], f[5]);
        }).ToList();
    }

    public static List<(string Table, long Row, string Column, string Kind, string Value)> Faults(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "faults.jsonl")).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            var r = d.RootElement;
            return (r.GetProperty("table").GetString()!, r.GetProperty("row").GetInt64(), r.GetProperty("column").GetString()!, r.GetProperty("kind").GetString()!, r.GetProperty("value").GetString()!);
        }).ToList();

    /// <summary>Every file under a directory as relative path → SHA-256, for byte-for-byte comparisons.</summary>
    public static SortedDictionary<string, string> Hashes(string dir, Func<string, bool>? include = null)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(dir, f).Replace('\\', '/');
            if (include is null || include(rel))
            {
                using var s = File.OpenRead(f);
                d[rel] = Convert.ToHexStringLower(SHA256.HashData(s));
            }
        }

        return d;
    }
}

/// <summary>One row of an SFT or GP file.</summary>
internal sealed record Patient(string NhsNumber, string GivenName, string FamilyName, string DateOfBirth, string Sex, string Postcode)
{
    public bool IsValid => Domain.NhsNumber.IsValid(NhsNumber) && NhsNumber.Length == Domain.NhsNumber.Length;

    public (string, string, string, string, string) Person => (GivenName, FamilyName, DateOfBirth, Sex, Postcode);
}
