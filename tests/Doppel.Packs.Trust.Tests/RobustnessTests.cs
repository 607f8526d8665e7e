using System.Text.Json.Nodes;
using Doppel.Packs.Trust.Validation;

namespace Doppel.Packs.Trust.Tests;

public class RobustnessTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 1);

    private static string NewDir(string name) => Path.Combine(Path.GetTempPath(), "doppel-trust-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);

    [Theory]
    [InlineData("rsa")]
    [InlineData("rsa-pss")]
    public async Task Rsa_algorithms_validate_and_verify_with_openssl(string algorithm)
    {
        string dir = NewDir(algorithm);
        try
        {
            var options = new TrustOptions { Countries = 1, Passports = 6, Mdl = 0, Mdoc = 0, Dtc = 2, AsOf = AsOf, OutputDir = dir, Algorithm = algorithm };
            await TrustGenerator.GenerateAsync(options);
            TrustValidationReport report = TrustValidator.Validate(dir);
            report.IsValid.Should().BeTrue(report.ToText());
            var (code, output) = OpenSsl.Run("verify", "-attime", OpenSsl.AtTime(AsOf), "-CAfile", Path.Combine(dir, "pki/trust-anchors.pem"), "-CRLfile", Path.Combine(dir, "pki/crls.pem"), "-crl_check", "-purpose", "any", Path.Combine(dir, "pki/D/ds-q4.pem"));
            code.Should().Be(0, output);
            OpenSsl.Run("x509", "-in", Path.Combine(dir, "pki/D/ds-q4.pem"), "-noout", "-text").Output.Should().Contain(algorithm == "rsa" ? "sha256WithRSAEncryption" : "rsassaPss");

            // Deterministic RSA keys and deterministic PSS salts: a second run gives the same bytes.
            string again = dir + "-again";
            await TrustGenerator.GenerateAsync(options with { OutputDir = again });
            File.ReadAllBytes(Path.Combine(again, "manifest.json")).Should().Equal(File.ReadAllBytes(Path.Combine(dir, "manifest.json")));
            Directory.Delete(again, true);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("td1", 30)]
    [InlineData("td2", 36)]
    public async Task Id_card_formats_validate(string documentType, int lineLength)
    {
        string dir = NewDir(documentType);
        try
        {
            var options = TrustOptions.FromSettings(new Dictionary<string, string>
            {
                ["countries"] = "2", ["passports"] = "8", ["dtc"] = "2", ["as_of"] = "2025-06-01", ["output_dir"] = dir, ["document_type"] = documentType,
            }, new Dictionary<string, string?>());
            await TrustGenerator.GenerateAsync(options);
            TrustValidator.Validate(dir).IsValid.Should().BeTrue(TrustValidator.Validate(dir).ToText());
            JsonNode doc = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "trust.json")))!;
            doc["passports"]![0]!["mrz"]![0]!.GetValue<string>().Should().HaveLength(lineLength);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Explicit_ec_parameters_validate_but_openssl_3_refuses_them()
    {
        string dir = NewDir("explicit");
        try
        {
            await TrustGenerator.GenerateAsync(new TrustOptions { Countries = 2, Passports = 6, Dtc = 1, AsOf = AsOf, OutputDir = dir, ExplicitEcParameters = true });
            TrustValidationReport report = TrustValidator.Validate(dir);
            report.IsValid.Should().BeTrue(report.ToText());
            OpenSsl.Run("x509", "-in", Path.Combine(dir, "pki/D/csca-g2.pem"), "-noout", "-text").Output.Should().Contain("Field Type: prime-field");
            OpenSsl.Run("verify", "-attime", OpenSsl.AtTime(AsOf), "-CAfile", Path.Combine(dir, "pki/trust-anchors.pem"), Path.Combine(dir, "pki/D/ds-q4.pem"))
                .Output.Should().Contain("explicit ECC parameters");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_cancelled_run_leaves_nothing_under_the_final_name_and_keeps_a_previous_result()
    {
        string dir = NewDir("atomic");
        var options = new TrustOptions { Countries = 1, Passports = 2, Dtc = 0, AsOf = AsOf, OutputDir = dir };
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Func<Task> act = () => TrustGenerator.GenerateAsync(options, null, cancelled.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.Exists(dir).Should().BeFalse();
        Directory.GetDirectories(Path.GetDirectoryName(dir)!, "." + Path.GetFileName(dir) + "*").Should().BeEmpty("the temporary directory is removed");

        await TrustGenerator.GenerateAsync(options);
        byte[] manifest = File.ReadAllBytes(Path.Combine(dir, "manifest.json"));
        await act.Should().ThrowAsync<OperationCanceledException>();
        File.ReadAllBytes(Path.Combine(dir, "manifest.json")).Should().Equal(manifest);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_credential_issuer_fills_mdl_and_mdoc_and_is_named_in_the_manifest()
    {
        string dir = NewDir("issuer");
        try
        {
            var issuer = new FakeIssuer();
            await TrustGenerator.GenerateAsync(new TrustOptions { Countries = 2, Passports = 1, Mdl = 3, Mdoc = 2, Dtc = 0, AsOf = AsOf, OutputDir = dir, CredentialIssuer = issuer });
            JsonNode doc = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "trust.json")))!;
            doc["credentials"]!["mdl"]!.AsArray().Should().HaveCount(3);
            doc["credentials"]!["mdoc"]!.AsArray().Should().HaveCount(2);
            JsonNode manifest = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "manifest.json")))!;
            ((string?)manifest["credentialIssuer"]).Should().Be("fake");
            manifest["files"]!.AsArray().Should().Contain(f => (string)f!["path"]! == "credentials/mdl/0.cbor");
            issuer.Requests.Select(r => (r.Kind, r.Count, r.RelativeDirectory)).Should().Equal(("mdl", 3, "credentials/mdl"), ("mdoc", 2, "credentials/mdoc"));
            issuer.Requests[0].Countries.Select(c => c.Icao).Should().Equal("D", "FRA");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Without_passports_dtcs_carry_their_own_eMRTD_data_and_validate()
    {
        string dir = NewDir("nopassports");
        try
        {
            await TrustGenerator.GenerateAsync(new TrustOptions { Countries = 2, Passports = 0, Dtc = 3, AsOf = AsOf, OutputDir = dir });
            TrustValidator.Validate(dir).IsValid.Should().BeTrue();
            JsonNode doc = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "trust.json")))!;
            doc["passports"]!.AsArray().Should().BeEmpty();
            doc["credentials"]!["dtc"]!.AsArray().Should().HaveCount(3);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Validating_a_directory_without_data_fails_with_a_structure_finding()
    {
        string dir = NewDir("empty");
        Directory.CreateDirectory(dir);
        TrustValidationReport report = TrustValidator.Validate(dir);
        report.IsValid.Should().BeFalse();
        report.Findings.Should().ContainSingle(f => f.Code == "missing_document");
        Directory.Delete(dir);
    }

    private sealed class FakeIssuer : ICredentialIssuer
    {
        public List<CredentialRequest> Requests { get; } = [];

        public string Name => "fake";

        public IReadOnlyList<JsonObject> Issue(CredentialRequest request)
        {
            Requests.Add(request);
            var result = new List<JsonObject>();
            for (int i = 0; i < request.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(request.OutputDirectory, $"{i}.cbor"), [0xA0]);
                result.Add(new JsonObject { ["id"] = $"{request.Kind}-{i}", ["file"] = $"{request.RelativeDirectory}/{i}.cbor" });
            }

            return result;
        }
    }
}
