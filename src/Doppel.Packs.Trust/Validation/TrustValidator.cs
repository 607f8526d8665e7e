using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs.Trust.Dtc;
using Doppel.Packs.Trust.Lds;
using Doppel.Packs.Trust.Mrz;
using Doppel.Packs.Trust.Pki;

namespace Doppel.Packs.Trust.Validation;

/// <summary>One failed check on one subject (a passport, certificate, CRL, master list, DTC or file).</summary>
/// <param name="Subject">Identifier from trust.json (e.g. "passport-000013", "D/ds-q2") or a file path.</param>
/// <param name="Code">Machine-readable failure code; negative-case labels use the codes of <see cref="TrustFault"/>.</param>
/// <param name="Message">Human-readable detail.</param>
public sealed record TrustFinding(string Subject, string Code, string Message);

/// <summary>Pass/fail counts of one check family.</summary>
public sealed record TrustCheck(string Name, int Passed, int Failed);

/// <summary>A labelled negative case and whether the validator reported its label.</summary>
public sealed record TrustFaultConfirmation(string Subject, string ExpectedCode, bool Confirmed, IReadOnlyList<string> ReportedCodes);

/// <summary>Validation report (text via <see cref="ToText"/>, JSON via <see cref="ToJson"/>).</summary>
public sealed class TrustValidationReport
{
    internal TrustValidationReport(string directory, DateOnly asOf, IReadOnlyList<TrustCheck> checks, IReadOnlyList<TrustFinding> findings, IReadOnlyList<TrustFaultConfirmation> faults, IReadOnlyList<TrustFinding> unexpected)
    {
        Directory = directory;
        AsOf = asOf;
        Checks = checks;
        Findings = findings;
        Faults = faults;
        Unexpected = unexpected;
    }

    public string Directory { get; }

    public DateOnly AsOf { get; }

    public IReadOnlyList<TrustCheck> Checks { get; }

    /// <summary>Every failure found, expected or not.</summary>
    public IReadOnlyList<TrustFinding> Findings { get; }

    /// <summary>Each labelled negative case of faults.jsonl and whether it was reported with its label.</summary>
    public IReadOnlyList<TrustFaultConfirmation> Faults { get; }

    /// <summary>Failures on subjects that are not labelled negative cases (or with another code than the label).</summary>
    public IReadOnlyList<TrustFinding> Unexpected { get; }

    /// <summary>True when valid data passes and every labelled negative case fails for its label.</summary>
    public bool IsValid => Unexpected.Count == 0 && Faults.All(f => f.Confirmed);

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Trust data set {Directory} (as_of {AsOf:yyyy-MM-dd})\n");
        foreach (TrustCheck check in Checks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {check.Name,-28} {check.Passed,7} passed {check.Failed,6} failed\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Negative cases: {Faults.Count(f => f.Confirmed)}/{Faults.Count} reported with their label\n");
        foreach (TrustFaultConfirmation f in Faults.Where(f => !f.Confirmed))
        {
            sb.Append(CultureInfo.InvariantCulture, $"  NOT CONFIRMED {f.Subject}: expected {f.ExpectedCode}, got [{string.Join(", ", f.ReportedCodes)}]\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Unexpected failures: {Unexpected.Count}\n");
        foreach (TrustFinding u in Unexpected.Take(50))
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {u.Subject}: {u.Code}: {u.Message}\n");
        }

        sb.Append(IsValid ? "Result: PASS\n" : "Result: FAIL\n");
        return sb.ToString();
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["directory"] = Directory,
            ["asOf"] = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["valid"] = IsValid,
            ["checks"] = new JsonArray(Checks.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["passed"] = c.Passed, ["failed"] = c.Failed }).ToArray()),
            ["faults"] = new JsonArray(Faults.Select(f => (JsonNode?)new JsonObject
            {
                ["subject"] = f.Subject,
                ["expected"] = f.ExpectedCode,
                ["confirmed"] = f.Confirmed,
                ["reported"] = new JsonArray(f.ReportedCodes.Select(c => (JsonNode?)c).ToArray()),
            }).ToArray()),
            ["unexpected"] = Findings2Json(Unexpected),
            ["findings"] = Findings2Json(Findings),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonArray Findings2Json(IEnumerable<TrustFinding> findings) =>
        new(findings.Select(f => (JsonNode?)new JsonObject { ["subject"] = f.Subject, ["code"] = f.Code, ["message"] = f.Message }).ToArray());
}

/// <summary>
/// Validates a trust data set as a relying party would: file integrity against the manifest, structure,
/// content (country codes, dates, MRZ check digits), certificate profiles and chains, CRLs, master lists,
/// passive authentication of every passport (Doc 9303-11 §5.1; domain reference §4.9), DTC structure and
/// signatures, and cross-consistency. Every labelled negative case must fail for its label; nothing else may fail.
/// </summary>
public static class TrustValidator
{
    /// <summary>Validates the data set in <paramref name="directory"/>.</summary>
    public static TrustValidationReport Validate(string directory)
    {
        var v = new Run(Path.GetFullPath(directory));
        v.Execute();
        return v.Report();
    }

    private sealed class Run(string dir)
    {
        private readonly List<TrustFinding> _findings = [];
        private readonly Dictionary<string, (int Passed, int Failed)> _checks = new(StringComparer.Ordinal);
        private readonly List<X509Certificate2> _anchors = [];
        private readonly Dictionary<string, X509Verify.CrlInfo> _crlsByAki = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
        private DateOnly _asOf;
        private DateTimeOffset _t;

        public void Execute()
        {
            string documentPath = Path.Combine(dir, TrustGenerator.DocumentFileName);
            if (!File.Exists(documentPath))
            {
                Fail("structure", dir, "missing_document", $"{TrustGenerator.DocumentFileName} not found");
                return;
            }

            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllBytes(documentPath));
            }
            catch (JsonException e)
            {
                Fail("structure", TrustGenerator.DocumentFileName, "invalid_json", e.Message);
                return;
            }

            if (!CheckStructure(root))
            {
                return;
            }

            _asOf = DateOnly.ParseExact((string)root!["metadata"]!["asOf"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            _t = new DateTimeOffset(_asOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            ReadFaults();
            CheckManifest();
            JsonNode certificates = root!["certificates"]!;
            CheckAnchors(certificates["csca"]!.AsArray());
            CheckCrls(certificates["crls"]!.AsArray());
            CheckSigners(certificates["ds"]!.AsArray(), "ds", CertificateRole.DocumentSigner);
            CheckSigners(certificates["masterListSigners"]?.AsArray() ?? [], "master-list signer", CertificateRole.MasterListSigner);
            CheckSigners(certificates["dtcSigners"]?.AsArray() ?? [], "dtc signer", CertificateRole.DtcSigner);
            CheckMasterLists(certificates["masterLists"]!.AsArray());
            var dsIds = certificates["ds"]!.AsArray().ToDictionary(d => (string)d!["id"]!, d => (string)d!["country"]!, StringComparer.Ordinal);
            var countries = root["metadata"]!["countries"]!.AsArray().Select(c => (string)c!["code"]!).ToHashSet(StringComparer.Ordinal);
            foreach (JsonNode? passport in root["passports"]!.AsArray())
            {
                CheckPassport(passport!, dsIds, countries);
            }

            foreach (JsonNode? dtc in root["credentials"]!["dtc"]!.AsArray())
            {
                CheckDtc(dtc!);
            }
        }

        private bool CheckStructure(JsonNode? root)
        {
            string[] required = ["passports", "certificates", "credentials", "metadata"];
            bool ok = root is JsonObject obj && required.All(obj.ContainsKey)
                && root["certificates"] is JsonObject c && new[] { "csca", "ds", "crls", "masterLists" }.All(c.ContainsKey)
                && root["credentials"] is JsonObject cr && new[] { "mdl", "mdoc", "dtc" }.All(cr.ContainsKey)
                && root["metadata"] is JsonObject m && new[] { "countries", "generatedAt", "generator", "asOf" }.All(m.ContainsKey);
            Record("structure", TrustGenerator.DocumentFileName, ok, "structure", "trust.json lacks one of passports, certificates.{csca,ds,crls,masterLists}, credentials.{mdl,mdoc,dtc}, metadata.{countries,generatedAt,generator,asOf}");
            foreach (string file in new[] { TrustGenerator.ManifestFileName, TrustGenerator.FaultsFileName })
            {
                Record("structure", file, File.Exists(Path.Combine(dir, file)), "missing_file", file + " not found");
            }

            return ok;
        }

        private void ReadFaults()
        {
            string path = Path.Combine(dir, TrustGenerator.FaultsFileName);
            if (!File.Exists(path))
            {
                return;
            }

            foreach (string line in File.ReadLines(path).Where(l => l.Length > 0))
            {
                JsonNode fault = JsonNode.Parse(line)!;
                _labels[(string)fault["id"]!] = (string)fault["fault"]!;
            }
        }

        private void CheckManifest()
        {
            string path = Path.Combine(dir, TrustGenerator.ManifestFileName);
            if (!File.Exists(path))
            {
                return;
            }

            JsonNode manifest = JsonNode.Parse(File.ReadAllBytes(path))!;
            Record("manifest", "manifest.json", (string?)manifest["asOf"] == _asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "manifest_as_of", "manifest asOf differs from metadata.asOf");
            foreach (JsonNode? file in manifest["files"]!.AsArray())
            {
                string rel = (string)file!["path"]!;
                string full = Path.Combine(dir, rel);
                bool ok = File.Exists(full) && TrustGenerator.Sha256(File.ReadAllBytes(full)) == (string)file["sha256"]!;
                Record("manifest", rel, ok, "file_hash", "missing or sha256 differs from manifest.json");
            }
        }

        private void CheckAnchors(JsonArray cscas)
        {
            foreach (JsonNode? node in cscas)
            {
                X509Certificate2? cert = Load(node!, "csca");
                if (cert is null)
                {
                    continue;
                }

                _anchors.Add(cert);
            }

            foreach ((X509Certificate2 cert, JsonNode? node) in _anchors.Zip(cscas))
            {
                string id = (string)node!["id"]!;
                bool selfSigned = cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData);
                X509Certificate2? issuer = selfSigned ? cert : FindIssuer(cert);
                Record("csca chain", id, issuer is not null && X509Verify.VerifySignedStructure(cert.RawData, issuer), "csca_signature",
                    selfSigned ? "self-signed CSCA signature does not verify" : "link certificate does not verify under the previous CSCA");
                var ku = cert.Extensions["2.5.29.15"] as X509KeyUsageExtension;
                var bc = cert.Extensions["2.5.29.19"] as X509BasicConstraintsExtension;
                bool profile = ku is { Critical: true } && ku.KeyUsages == (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)
                    && bc is { Critical: true, CertificateAuthority: true } && CountryOk(cert) && cert.Extensions[CertificateFactory.PrivateKeyUsagePeriodOid] is not null;
                Record("csca profile", id, profile, "csca_profile", "CSCA profile (KU keyCertSign+cRLSign critical, BC cA critical, C= upper-case and equal, PKUP) violated");
                Record("csca validity", id, cert.NotBefore.ToUniversalTime() <= _t.UtcDateTime && cert.NotAfter.ToUniversalTime() >= _t.UtcDateTime, "csca_expired", "CSCA not valid at as_of");
            }
        }

        private void CheckCrls(JsonArray crls)
        {
            foreach (JsonNode? node in crls)
            {
                string id = (string)node!["id"]!;
                string file = Path.Combine(dir, (string)node["file"]!);
                if (!File.Exists(file))
                {
                    Fail("crl", id, "missing_file", file);
                    continue;
                }

                byte[] der = File.ReadAllBytes(file);
                X509Verify.CrlInfo info = X509Verify.ReadCrl(der);
                X509Certificate2? issuer = _anchors.FirstOrDefault(a => CertificateFactory.SubjectKeyId(a).AsSpan().SequenceEqual(info.AuthorityKeyId));
                bool ok = issuer is not null && X509Verify.VerifySignedStructure(der, issuer);
                Record("crl signature", id, ok, "crl_signature", "CRL signature does not verify with the CSCA named by its AKI");
                Record("crl profile", id, !info.HasEntryExtensions && info.NextUpdate is not null && info.ThisUpdate <= _t && info.NextUpdate >= _t
                    && (info.NextUpdate.Value - info.ThisUpdate).TotalDays <= 90, "crl_profile", "CRL entry extensions present, or as_of outside thisUpdate..nextUpdate, or update interval > 90 days");
                if (ok)
                {
                    _crlsByAki[CountryPki.Hex(info.AuthorityKeyId)] = info;
                }
            }
        }

        private void CheckSigners(JsonArray signers, string kind, CertificateRole role)
        {
            string check = kind + " chain";
            foreach (JsonNode? node in signers)
            {
                string id = (string)node!["id"]!;
                X509Certificate2? cert = Load(node, kind);
                if (cert is null)
                {
                    continue;
                }

                X509Certificate2? issuer = FindIssuer(cert);
                Record(check, id, issuer is not null && X509Verify.VerifySignedStructure(cert.RawData, issuer), "chain", $"{kind} does not chain to a known CSCA");
                var ku = cert.Extensions["2.5.29.15"] as X509KeyUsageExtension;
                bool profile = ku is { Critical: true, KeyUsages: X509KeyUsageFlags.DigitalSignature } && cert.Extensions["2.5.29.19"] is null && CountryOk(cert)
                    && (role != CertificateRole.DocumentSigner || CertificateFactory.ReadDocumentTypeList(cert).Count > 0)
                    && (role != CertificateRole.MasterListSigner || (cert.Extensions["2.5.29.37"] is X509EnhancedKeyUsageExtension { Critical: true } eku && eku.EnhancedKeyUsages[CertificateFactory.MasterListSignerEku] is not null));
                Record(kind + " profile", id, profile, "profile", $"{kind} profile (KU digitalSignature critical, no BC, C= rules, documentTypeList / EKU) violated");
                string status = StatusOf(cert);
                Record(kind + " status", id, status == (string?)node["status"], "status", $"status in trust.json is {(string?)node["status"]}, computed {status}");
            }
        }

        private void CheckMasterLists(JsonArray masterLists)
        {
            foreach (JsonNode? node in masterLists)
            {
                string id = (string)node!["id"]!;
                string file = Path.Combine(dir, (string)node["file"]!);
                if (!File.Exists(file))
                {
                    Fail("master list", id, "missing_file", file);
                    continue;
                }

                var cms = new SignedCms();
                bool ok;
                List<byte[]> certs = [];
                try
                {
                    cms.Decode(File.ReadAllBytes(file));
                    cms.CheckSignature(verifySignatureOnly: true);
                    X509Certificate2 signer = cms.SignerInfos[0].Certificate!;
                    X509Certificate2? issuer = FindIssuer(signer);
                    ok = cms.ContentInfo.ContentType.Value == MasterList.ContentTypeOid && issuer is not null && X509Verify.VerifySignedStructure(signer.RawData, issuer)
                        && signer.Extensions["2.5.29.37"] is X509EnhancedKeyUsageExtension eku && eku.EnhancedKeyUsages[CertificateFactory.MasterListSignerEku] is not null
                        && cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>().Any(a => a.Oid.Value == "1.2.840.113549.1.9.5");
                    certs = MasterList.ReadCertificates(cms.ContentInfo.Content);
                }
                catch (CryptographicException)
                {
                    ok = false;
                }

                Record("master list", id, ok, "master_list_signature", "master list CMS signature, content type, signer EKU/chain or signingTime invalid");
                Record("master list content", id, _anchors.All(a => certs.Any(c => c.AsSpan().SequenceEqual(a.RawData))), "master_list_content", "master list lacks some CSCA certificates of the data set");
            }
        }

        private void CheckPassport(JsonNode p, Dictionary<string, string> dsIds, HashSet<string> countries)
        {
            string id = (string)p["id"]!;
            var codes = new List<(string Code, string Message)>();
            string[] mrz = p["mrz"]!.AsArray().Select(l => (string)l!).ToArray();
            string issuing = (string)p["issuingState"]!;

            foreach (string failure in MrzFormat.Verify(mrz))
            {
                codes.Add((TrustFault.MrzCheckDigit, "MRZ check digit failed: " + failure));
            }

            DateOnly dob = D(p["dateOfBirth"]);
            DateOnly issue = D(p["dateOfIssue"]);
            DateOnly expiry = D(p["dateOfExpiry"]);
            if (!countries.Contains(issuing) || Countries.Find(issuing) is null || Countries.Find((string)p["nationality"]!) is null)
            {
                codes.Add(("country_code", $"unknown country code {issuing}/{(string?)p["nationality"]}"));
            }

            if (!(dob <= issue && issue <= _asOf && issue < expiry && expiry <= issue.AddYears(10)))
            {
                codes.Add(("dates", "date order violated (birth <= issue <= as_of, issue < expiry <= issue + 10y)"));
            }

            JsonNode files = p["files"]!;
            byte[]? dg1 = ReadFile((string)files["dg1"]!);
            byte[]? dg2 = ReadFile((string)files["dg2"]!);
            byte[]? sod = ReadFile((string)files["sod"]!);
            byte[]? com = ReadFile((string)files["com"]!);
            if (dg1 is null || dg2 is null || sod is null || com is null)
            {
                codes.Add(("missing_file", "a chip file is missing"));
            }
            else
            {
                string[]? chipMrz = LdsBuilder.ReadDg1(dg1);
                if (chipMrz is null || !chipMrz.SequenceEqual(mrz, StringComparer.Ordinal))
                {
                    codes.Add(("dg1_mrz", "DG1 MRZ differs from the MRZ in trust.json"));
                }

                if (!com.AsSpan().SequenceEqual(LdsBuilder.EfCom()))
                {
                    codes.Add(("ef_com", "EF.COM is not the expected LDS 1.8 header with DG1 and DG2"));
                }

                codes.AddRange(PassiveAuthentication(sod, dg1, dg2, issuing, ((string)p["documentCode"]!)[..1]));
                if (!CheckFace(dg2))
                {
                    codes.Add(("dg2_structure", "DG2 is not a 75/7F61/7F60 template with an ISO/IEC 19794-5 JPEG face record"));
                }
            }

            string dsId = (string)p["documentSignerId"]!;
            if (p["expectedFailure"] is null && (!dsIds.TryGetValue(dsId, out string? dsCountry) || dsCountry != issuing))
            {
                codes.Add(("cross_consistency", $"passport is not signed by a listed DS of {issuing}"));
            }

            Conclude("passport", id, codes);
        }

        /// <summary>Passive Authentication (Doc 9303-11 §5.1) of one SOD + DG1 + DG2; returns failure codes.</summary>
        private List<(string Code, string Message)> PassiveAuthentication(byte[] sodFile, byte[] dg1, byte[] dg2, string issuing, string documentCode)
        {
            var codes = new List<(string, string)>();
            byte[]? contentInfo = LdsBuilder.UnwrapSod(sodFile);
            var cms = new SignedCms();
            try
            {
                cms.Decode(contentInfo ?? throw new CryptographicException("no tag 77"));
            }
            catch (CryptographicException e)
            {
                codes.Add(("sod_structure", "EF.SOD is not tag 77 around CMS SignedData: " + e.Message));
                return codes;
            }

            if (cms.ContentInfo.ContentType.Value != LdsBuilder.LdsSecurityObjectOid)
            {
                codes.Add(("sod_structure", "eContentType is not id-icao-mrtd-security-ldsSecurityObject"));
            }

            try
            {
                cms.CheckSignature(verifySignatureOnly: true);
            }
            catch (CryptographicException)
            {
                codes.Add((TrustFault.SodSignatureInvalid, "EF.SOD signature does not verify with the DS public key"));
            }

            try
            {
                (string hashOid, Dictionary<int, byte[]> hashes) = LdsBuilder.ReadLdsSecurityObject(cms.ContentInfo.Content);
                foreach ((int number, byte[] content) in new[] { (1, dg1), (2, dg2) })
                {
                    if (hashOid != LdsBuilder.Sha256Oid || !hashes.TryGetValue(number, out byte[]? expected) || !SHA256.HashData(content).AsSpan().SequenceEqual(expected))
                    {
                        codes.Add((TrustFault.DgHashMismatch, $"DG{number} hash does not match the LDSSecurityObject"));
                    }
                }
            }
            catch (System.Formats.Asn1.AsnContentException e)
            {
                codes.Add(("sod_structure", "LDSSecurityObject unreadable: " + e.Message));
            }

            X509Certificate2? ds = cms.SignerInfos.Count > 0 ? cms.SignerInfos[0].Certificate : null;
            if (ds is null)
            {
                codes.Add(("sod_structure", "EF.SOD carries no Document Signer certificate"));
                return codes;
            }

            X509Certificate2? csca = FindIssuer(ds);
            if (csca is null || !X509Verify.VerifySignedStructure(ds.RawData, csca))
            {
                codes.Add((TrustFault.UnknownCsca, "Document Signer does not chain to a known CSCA"));
            }
            else
            {
                DateTime? signingTime = cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>()
                    .Where(a => a.Oid.Value == "1.2.840.113549.1.9.5").Select(a => new Pkcs9SigningTime(a.Values[0].RawData).SigningTime.ToUniversalTime()).FirstOrDefault();
                DateTime notAfter = ds.NotAfter.ToUniversalTime();
                if (notAfter < _t.UtcDateTime || (signingTime is { } st && st > notAfter))
                {
                    codes.Add((TrustFault.DsExpired, "Document Signer certificate has expired"));
                }

                if (_crlsByAki.TryGetValue(CountryPki.Hex(CertificateFactory.SubjectKeyId(csca)), out X509Verify.CrlInfo? crl) && crl.RevokedSerials.Contains(X509Verify.SerialKey(ds)))
                {
                    codes.Add((TrustFault.DsRevoked, "Document Signer certificate is revoked"));
                }

                TrustCountry? country = Countries.Find(issuing);
                if (country is null || !string.Equals(CountryOf(ds.SubjectName), country.Alpha2, StringComparison.Ordinal))
                {
                    codes.Add(("ds_country", "C= of the Document Signer differs from the issuing State"));
                }

                if (!CertificateFactory.ReadDocumentTypeList(ds).Any(t => documentCode.StartsWith(t, StringComparison.Ordinal)))
                {
                    codes.Add(("ds_document_type", "documentTypeList of the DS does not cover the document code"));
                }
            }

            return codes;
        }

        private static bool CheckFace(byte[] dg2)
        {
            if (!Tlv.TryRead(dg2, out int tag, out ReadOnlySpan<byte> group, out _) || tag != 0x75
                || !Tlv.TryRead(group, out tag, out ReadOnlySpan<byte> info, out _) || tag != 0x7F61
                || !Tlv.TryRead(info, out tag, out _, out int used) || tag != 0x02
                || !Tlv.TryRead(info[used..], out tag, out ReadOnlySpan<byte> template, out _) || tag != 0x7F60
                || !Tlv.TryRead(template, out tag, out _, out used) || tag != 0xA1
                || !Tlv.TryRead(template[used..], out tag, out ReadOnlySpan<byte> bdb, out _) || tag != 0x5F2E)
            {
                return false;
            }

            return bdb.Length > 46 && bdb[..4].SequenceEqual("FAC\0"u8) && bdb[4..8].SequenceEqual("010\0"u8) && bdb[46] == 0xFF && bdb[47] == 0xD8;
        }

        private void CheckDtc(JsonNode node)
        {
            string id = (string)node["id"]!;
            var codes = new List<(string, string)>();
            byte[]? der = ReadFile((string)node["file"]!);
            if (der is null)
            {
                Conclude("dtc", id, [("missing_file", "DTC file missing")]);
                return;
            }

            try
            {
                DtcBuilder.Parsed dtc = DtcBuilder.Parse(der);
                int type = (int)node["type"]!;
                bool hasSod = dtc.Data.ContainsKey(0);
                bool signedParts = dtc.Tbs is not null && dtc.SignerInfo is not null && dtc.SecurityInfo is not null;
                bool unsignedParts = dtc.Tbs is null && dtc.SignerInfo is null && dtc.SecurityInfo is null;
                if (dtc.Version != 1 || !dtc.Data.ContainsKey(1) || !dtc.Data.ContainsKey(2) || !hasSod || (type == 1 ? !unsignedParts : !signedParts))
                {
                    codes.Add(("dtc_structure", $"DTC type {type} structure rules violated (reference §6.4)"));
                }

                if (hasSod && dtc.Data.ContainsKey(1) && dtc.Data.ContainsKey(2))
                {
                    string state = LdsBuilder.ReadDg1(dtc.Data[1]) is { } mrz ? mrz[0].Substring(2, 3).TrimEnd('<') : "?";
                    foreach ((string code, string message) in PassiveAuthentication(dtc.Data[0], dtc.Data[1], dtc.Data[2], state, "P"))
                    {
                        if (code != "ds_document_type")
                        {
                            codes.Add(("dtc_" + code, message));
                        }
                    }
                }

                if (type == 2 && dtc.Tbs is not null && dtc.SignerInfo is not null)
                {
                    if (!dtc.Tbs.AsSpan().SequenceEqual(DtcBuilder.TbsValues(dtc.DtcDataDer)))
                    {
                        codes.Add(("dtc_tbs", "dtcTBS hashes do not match dtcData"));
                    }

                    var cms = new SignedCms(new ContentInfo(dtc.Tbs), detached: true);
                    cms.Decode(dtc.SignerInfo);
                    cms.CheckSignature(verifySignatureOnly: true);
                    X509Certificate2 signer = cms.SignerInfos[0].Certificate!;
                    X509Certificate2? csca = FindIssuer(signer);
                    if (csca is null || !X509Verify.VerifySignedStructure(signer.RawData, csca))
                    {
                        codes.Add(("dtc_signer_chain", "DTC signer does not chain to a known CSCA"));
                    }
                }
            }
            catch (Exception e) when (e is CryptographicException or System.Formats.Asn1.AsnContentException or KeyNotFoundException)
            {
                codes.Add(("dtc_signature", "DTC could not be parsed or its signature does not verify: " + e.Message));
            }

            Conclude("dtc", id, codes);
        }

        private void Conclude(string check, string id, List<(string Code, string Message)> codes)
        {
            foreach ((string code, string message) in codes)
            {
                _findings.Add(new TrustFinding(id, code, message));
            }

            Count(check, codes.Count == 0);
        }

        private X509Certificate2? FindIssuer(X509Certificate2 cert)
        {
            byte[] aki = CertificateFactory.AuthorityKeyId(cert);
            return _anchors.FirstOrDefault(a => a.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData) && CertificateFactory.SubjectKeyId(a).AsSpan().SequenceEqual(aki));
        }

        private string StatusOf(X509Certificate2 cert)
        {
            X509Certificate2? issuer = FindIssuer(cert);
            if (issuer is not null && _crlsByAki.TryGetValue(CountryPki.Hex(CertificateFactory.SubjectKeyId(issuer)), out X509Verify.CrlInfo? crl) && crl.RevokedSerials.Contains(X509Verify.SerialKey(cert)))
            {
                return "revoked";
            }

            return cert.NotAfter.ToUniversalTime() < _t.UtcDateTime ? "expired" : "valid";
        }

        private static string? CountryOf(X500DistinguishedName name) => name.EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(r => r.GetSingleElementType().Value == "2.5.4.6")?.GetSingleElementValue();

        private static bool CountryOk(X509Certificate2 cert)
        {
            string? subject = CountryOf(cert.SubjectName);
            return subject is { Length: 2 } && subject.All(char.IsAsciiLetterUpper) && string.Equals(subject, CountryOf(cert.IssuerName), StringComparison.Ordinal);
        }

        private X509Certificate2? Load(JsonNode node, string kind)
        {
            string id = (string)node["id"]!;
            byte[]? der = ReadFile((string)node["der"]!);
            if (der is null)
            {
                Fail(kind + " chain", id, "missing_file", "certificate file missing");
                return null;
            }

            try
            {
                return X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException e)
            {
                Fail(kind + " chain", id, "certificate_parse", e.Message);
                return null;
            }
        }

        private byte[]? ReadFile(string relative)
        {
            string full = Path.Combine(dir, relative);
            return File.Exists(full) ? File.ReadAllBytes(full) : null;
        }

        private static DateOnly D(JsonNode? node) => DateOnly.ParseExact((string)node!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        private void Record(string check, string subject, bool ok, string code, string message)
        {
            if (!ok)
            {
                _findings.Add(new TrustFinding(subject, code, message));
            }

            Count(check, ok);
        }

        private void Fail(string check, string subject, string code, string message) => Record(check, subject, false, code, message);

        private void Count(string check, bool ok)
        {
            (int passed, int failed) = _checks.TryGetValue(check, out var c) ? c : (0, 0);
            _checks[check] = ok ? (passed + 1, failed) : (passed, failed + 1);
        }

        public TrustValidationReport Report()
        {
            var confirmations = _labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l =>
            {
                var reported = _findings.Where(f => f.Subject == l.Key).Select(f => f.Code).Distinct(StringComparer.Ordinal).ToList();
                return new TrustFaultConfirmation(l.Key, l.Value, reported.Contains(l.Value, StringComparer.Ordinal), reported);
            }).ToList();

            // A labelled subject may also trip secondary checks caused by its fault (e.g. a DS expired at signing time);
            // anything on an unlabelled subject is unexpected.
            var unexpected = _findings.Where(f => !_labels.ContainsKey(f.Subject)).ToList();
            var checks = _checks.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new TrustCheck(c.Key, c.Value.Passed, c.Value.Failed)).ToList();
            return new TrustValidationReport(dir, _asOf, checks, _findings, confirmations, unexpected);
        }
    }
}
