using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Doppel.Packs.Trust.Validation;

namespace Doppel.Packs.Trust.Tests;

public class GeneratorTests(SmallExampleFixture fx) : IClassFixture<SmallExampleFixture>
{
    private JsonArray Passports => fx.Document["passports"]!.AsArray();

    private IEnumerable<JsonNode> Faults => File.ReadLines(fx.PathOf("faults.jsonl")).Select(l => JsonNode.Parse(l)!);

    [Fact]
    public void The_small_example_has_the_seeds_json_shape_and_counts()
    {
        fx.Result.Passports.Should().Be(20);
        fx.Result.Countries.Should().Be(3);
        fx.Result.Dtc.Should().Be(5);
        fx.Document["certificates"]!.AsObject().Select(kv => kv.Key).Should().Contain(["csca", "ds", "crls", "masterLists"]);
        fx.Document["credentials"]!["mdl"]!.AsArray().Should().BeEmpty("no credential issuer is configured");
        fx.Document["credentials"]!["mdoc"]!.AsArray().Should().BeEmpty();
        fx.Document["credentials"]!["dtc"]!.AsArray().Should().HaveCount(5);
        fx.Document["metadata"]!["generatedAt"]!.GetValue<string>().Should().Be("2025-06-01T00:00:00Z");
        fx.Document["metadata"]!["countries"]!.AsArray().Select(c => (string)c!["code"]!).Should().Equal("D", "FRA", "NLD");
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(fx.PathOf("manifest.json")))!;
        ((string)manifest["asOf"]!).Should().Be("2025-06-01");
        ((long)manifest["seed"]!).Should().Be(42);
        ((string?)manifest["credentialIssuer"]).Should().BeNull();
        manifest["files"]!.AsArray().Should().Contain(f => (string)f!["path"]! == "trust.json");
    }

    [Fact]
    public void The_validator_passes_valid_data_and_confirms_every_labelled_negative_case()
    {
        TrustValidationReport report = TrustValidator.Validate(fx.Dir);
        report.IsValid.Should().BeTrue(report.ToText());
        report.Faults.Select(f => f.ExpectedCode).Should().Contain(TrustFault.All);
        report.Faults.Should().OnlyContain(f => f.Confirmed);
        report.Unexpected.Should().BeEmpty();
        report.ToText().Should().Contain("Result: PASS");
        JsonNode.Parse(report.ToJson())!["valid"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Every_fault_in_faults_jsonl_is_flagged_on_its_passport()
    {
        foreach (JsonNode fault in Faults)
        {
            JsonNode passport = Passports.Single(p => (string)p!["id"]! == (string)fault["id"]!)!;
            ((string)passport["expectedFailure"]!).Should().Be((string)fault["fault"]!);
            passport["valid"]!.GetValue<bool>().Should().BeFalse();
        }

        Passports.Count(p => p!["valid"]!.GetValue<bool>()).Should().Be(20 - Faults.Count());
    }

    [Fact]
    public void Openssl_verifies_valid_signers_and_rejects_expired_revoked_and_unknown_ones()
    {
        string at = OpenSsl.AtTime(SmallExampleFixture.AsOf);
        string anchors = fx.PathOf("pki/trust-anchors.pem");
        string crls = fx.PathOf("pki/crls.pem");
        foreach (JsonNode? ds in fx.Document["certificates"]!["ds"]!.AsArray())
        {
            var (code, output) = OpenSsl.Run("verify", "-attime", at, "-CAfile", anchors, "-CRLfile", crls, "-crl_check", "-purpose", "any", fx.PathOf((string)ds!["pem"]!));
            switch ((string)ds["status"]!)
            {
                case "valid":
                    code.Should().Be(0, output);
                    break;
                case "expired":
                    output.Should().Contain("certificate has expired");
                    break;
                default:
                    output.Should().Contain("certificate revoked");
                    break;
            }
        }

        foreach (string pem in Directory.GetFiles(fx.PathOf("faults/pki"), "ds-rogue.pem", SearchOption.AllDirectories))
        {
            var (code, output) = OpenSsl.Run("verify", "-attime", at, "-CAfile", anchors, "-purpose", "any", pem);
            code.Should().NotBe(0);
            output.Should().Contain("unable to get local issuer certificate");
        }

        foreach (string pem in new[] { "masterListSigners", "dtcSigners" }.SelectMany(k => fx.Document["certificates"]![k]!.AsArray()).Select(c => fx.PathOf((string)c!["pem"]!)))
        {
            OpenSsl.Run("verify", "-attime", at, "-CAfile", anchors, "-CRLfile", crls, "-crl_check", "-purpose", "any", pem).ExitCode.Should().Be(0);
        }
    }

    [Fact]
    public void Openssl_cms_verifies_valid_SODs_and_master_lists_and_rejects_the_wrong_key_and_unknown_CSCA_cases()
    {
        string at = OpenSsl.AtTime(SmallExampleFixture.AsOf);
        string anchors = fx.PathOf("pki/trust-anchors.pem");
        foreach (JsonNode? p in Passports)
        {
            string cms = OpenSsl.SodAsCms(fx.PathOf((string)p!["files"]!["sod"]!));
            string lds = cms + ".lds";
            var (code, output) = OpenSsl.Run("cms", "-verify", "-inform", "DER", "-in", cms, "-CAfile", anchors, "-attime", at, "-purpose", "any", "-out", lds);
            string? fault = (string?)p["expectedFailure"];
            switch (fault)
            {
                case TrustFault.SodSignatureInvalid:
                    output.Should().Contain("verification failure");
                    break;
                case TrustFault.UnknownCsca:
                    output.Should().Contain("unable to get local issuer certificate");
                    break;
                case TrustFault.DsExpired:
                    output.Should().Contain("certificate has expired");
                    break;
                default:
                    code.Should().Be(0, $"{p["id"]} ({fault ?? "valid"}): {output}");
                    // The signed LDSSecurityObject holds SHA-256(DG1) unless DG1 was tampered with after signing.
                    byte[] dg1Hash = SHA256.HashData(File.ReadAllBytes(fx.PathOf((string)p["files"]!["dg1"]!)));
                    bool contains = File.ReadAllBytes(lds).AsSpan().IndexOf(dg1Hash) >= 0;
                    contains.Should().Be(fault != TrustFault.DgHashMismatch);
                    break;
            }
        }

        foreach (string ml in Directory.GetFiles(fx.PathOf("masterlists")))
        {
            var (code, output) = OpenSsl.Run("cms", "-verify", "-inform", "DER", "-in", ml, "-CAfile", anchors, "-attime", at, "-purpose", "any", "-out", "/dev/null");
            code.Should().Be(0, output);
            OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", ml).Output.Should().Contain("eContentType: undefined (2.23.136.1.1.2)");
        }
    }

    [Fact]
    public void Openssl_reads_the_CRLs_with_the_revoked_DS_serial()
    {
        foreach (JsonNode? crl in fx.Document["certificates"]!["crls"]!.AsArray())
        {
            var (code, text) = OpenSsl.Run("crl", "-inform", "DER", "-in", fx.PathOf((string)crl!["file"]!), "-noout", "-text");
            code.Should().Be(0, text);
            text.Should().Contain("Version 2").And.Contain("X509v3 CRL Number").And.Contain("Authority Key Identifier");
            foreach (JsonNode? revoked in crl["revoked"]!.AsArray())
            {
                text.Should().Contain(((string)revoked!["serial"]!).ToUpperInvariant());
            }
        }
    }

    [Fact]
    public void Chip_files_have_the_LDS_shape()
    {
        string dir = fx.PathOf("passports/000001");
        File.ReadAllBytes(Path.Combine(dir, "EF.COM")).Should().Equal(Convert.FromHexString("60145F0104303130385F36063034303030305C026175"));
        byte[] dg1 = File.ReadAllBytes(Path.Combine(dir, "EF.DG1"));
        dg1[..5].Should().Equal(0x61, 0x5B, 0x5F, 0x1F, 0x58);
        byte[] dg2 = File.ReadAllBytes(Path.Combine(dir, "EF.DG2"));
        dg2[0].Should().Be(0x75);
        int soi = dg2.AsSpan().IndexOf(new byte[] { 0xFF, 0xD8, 0xFF });
        soi.Should().BePositive();
        dg2[^2..].Should().Equal(0xFF, 0xD9);
        dg2.AsSpan().IndexOf("FAC\0010\0"u8).Should().BePositive();
        File.ReadAllBytes(Path.Combine(dir, "EF.SOD"))[0].Should().Be(0x77);
    }

    [Fact]
    public void Dtc_type_2_signatures_verify_with_openssl_as_detached_CMS()
    {
        JsonNode dtc = fx.Document["credentials"]!["dtc"]!.AsArray().First(d => (int)d!["type"]! == 2)!;
        var parsed = Dtc.DtcBuilder.Parse(File.ReadAllBytes(fx.PathOf((string)dtc["file"]!)));
        string tbs = Path.GetTempFileName();
        string signature = Path.GetTempFileName();
        File.WriteAllBytes(tbs, parsed.Tbs!);
        File.WriteAllBytes(signature, parsed.SignerInfo!);
        var (code, output) = OpenSsl.Run("cms", "-verify", "-inform", "DER", "-in", signature, "-binary", "-content", tbs, "-CAfile", fx.PathOf("pki/trust-anchors.pem"),
            "-attime", OpenSsl.AtTime(SmallExampleFixture.AsOf), "-purpose", "any", "-out", "/dev/null");
        code.Should().Be(0, output);
    }

    [Fact]
    public async Task Same_seed_and_as_of_give_identical_bytes_and_another_seed_differs()
    {
        string again = fx.Dir + "-again";
        string other = fx.Dir + "-other";
        try
        {
            await TrustGenerator.GenerateAsync(fx.Options with { OutputDir = again });
            File.ReadAllBytes(Path.Combine(again, "manifest.json")).Should().Equal(File.ReadAllBytes(fx.PathOf("manifest.json")));
            File.ReadAllBytes(Path.Combine(again, "trust.json")).Should().Equal(File.ReadAllBytes(fx.PathOf("trust.json")));
            await TrustGenerator.GenerateAsync(fx.Options with { OutputDir = other, Seed = 43 });
            File.ReadAllBytes(Path.Combine(other, "trust.json")).Should().NotEqual(File.ReadAllBytes(fx.PathOf("trust.json")));
        }
        finally
        {
            foreach (string d in new[] { again, other }.Where(Directory.Exists))
            {
                Directory.Delete(d, true);
            }
        }
    }

    [Fact]
    public void Tampering_with_a_valid_passport_is_reported_as_unexpected()
    {
        string copy = fx.Dir + "-tampered";
        CopyDirectory(fx.Dir, copy);
        try
        {
            JsonNode valid = Passports.First(p => p!["valid"]!.GetValue<bool>())!;
            string dg2 = Path.Combine(copy, (string)valid["files"]!["dg2"]!);
            byte[] bytes = File.ReadAllBytes(dg2);
            bytes[^10] ^= 0x55;
            File.WriteAllBytes(dg2, bytes);
            TrustValidationReport report = TrustValidator.Validate(copy);
            report.IsValid.Should().BeFalse();
            report.Unexpected.Should().Contain(f => f.Subject == (string)valid["id"]! && f.Code == TrustFault.DgHashMismatch);
            report.Unexpected.Should().Contain(f => f.Code == "file_hash", "the manifest sha256 no longer matches");
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
