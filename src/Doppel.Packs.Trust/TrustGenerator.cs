using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs.Trust.Crypto;
using Doppel.Packs.Trust.Database;
using Doppel.Packs.Trust.Dtc;
using Doppel.Packs.Trust.Lds;
using Doppel.Packs.Trust.Pki;

namespace Doppel.Packs.Trust;

/// <summary>Progress of a generation run.</summary>
/// <param name="Stage">pki | passports | dtc | credentials | manifest | database.</param>
/// <param name="Done">Items finished in this stage.</param>
/// <param name="Total">Items in this stage.</param>
public sealed record TrustProgress(string Stage, int Done, int Total);

/// <summary>Rows written to the trust_svc tables.</summary>
public sealed record TrustDatabaseResult(int MasterLists, int TrustAnchors, int DscCertificates, int Crls);

/// <summary>What a generation run produced.</summary>
public sealed record TrustResult(
    string OutputDirectory,
    string DocumentPath,
    string ManifestPath,
    string FaultsPath,
    DateOnly AsOf,
    long Seed,
    int Countries,
    int Passports,
    int Dtc,
    int Mdl,
    int Mdoc,
    int Certificates,
    int Crls,
    int MasterLists,
    int Faults,
    int Files,
    TrustDatabaseResult? Database);

/// <summary>
/// Generates the trust data set: per-country ICAO PKI (CSCA, link, DS, master-list and DTC signers,
/// CRLs, master lists), ePassports with signed chip files, DTC virtual components, labelled negative
/// cases, the JSON document <c>trust.json</c>, <c>faults.jsonl</c> and <c>manifest.json</c>.
/// </summary>
public static class TrustGenerator
{
    /// <summary>Name of the main JSON document inside the output directory.</summary>
    public const string DocumentFileName = "trust.json";

    /// <summary>Name of the manifest (version, seed, as_of, options, sha256 of every file).</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>One JSON object per negative case with its expected verifier failure.</summary>
    public const string FaultsFileName = "faults.jsonl";

    private const int Chunk = 64;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // names keep their diacritics readable
    };

    /// <summary>
    /// Generates everything into a temporary sibling directory and moves it to <see cref="TrustOptions.OutputDir"/>
    /// only when complete (a failed run leaves nothing under the final name). With
    /// <see cref="TrustOptions.DatabaseInsert"/> the trust_svc tables are then upserted in one transaction; a
    /// database failure throws <see cref="TrustDatabaseException"/> after the files are in place.
    /// </summary>
    public static async Task<TrustResult> GenerateAsync(TrustOptions options, IProgress<TrustProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        DateOnly asOf = options.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        options = options with { AsOf = asOf };
        IReadOnlyList<TrustCountry> countries = options.ResolveCountries();

        string finalDir = Path.GetFullPath(options.OutputDir);
        string parent = Path.GetDirectoryName(finalDir) ?? throw new TrustOptionException("output_dir", options.OutputDir, "a directory below a parent directory");
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrustException($"cannot create output parent directory '{parent}': {e.Message}", e);
        }

        string tempDir = Path.Combine(parent, "." + Path.GetFileName(finalDir) + ".tmp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(tempDir);
        TrustResult result;
        List<CountryPki> pkis = [];
        try
        {
            var output = new OutputFiles(tempDir);
            pkis = BuildPki(options, countries, asOf, progress, cancellationToken);
            result = await Task.Run(() => WriteAll(options, asOf, countries, pkis, output, tempDir, finalDir, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
            Publish(tempDir, finalDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tempDir);
            throw new TrustException($"writing '{finalDir}' failed: {e.Message}", e);
        }
        catch
        {
            TryDelete(tempDir);
            throw;
        }
        finally
        {
            foreach (CountryPki pki in pkis)
            {
                pki.Dispose();
            }
        }

        if (options.DatabaseInsert)
        {
            progress?.Report(new TrustProgress("database", 0, 1));
            try
            {
                TrustDatabaseResult db = await TrustDatabase.InsertAsync(options.DatabaseUrl!, finalDir, cancellationToken).ConfigureAwait(false);
                result = result with { Database = db };
            }
            catch (TrustDatabaseException e)
            {
                throw new TrustDatabaseException(e.Message + $" (files were written to {finalDir})", result, e);
            }

            progress?.Report(new TrustProgress("database", 1, 1));
        }

        return result;
    }

    private static List<CountryPki> BuildPki(TrustOptions options, IReadOnlyList<TrustCountry> countries, DateOnly asOf, IProgress<TrustProgress>? progress, CancellationToken ct)
    {
        string[] documentTypes = options.DocumentType == Mrz.DocumentFormat.Td3 ? ["P"] : ["I"];
        var built = new CountryPki[countries.Count];
        int done = 0;
        try
        {
            Parallel.For(0, countries.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var pki = CountryPki.Build(options.Seed, countries[i], options.AlgorithmFor(i), options.ExplicitEcParameters, asOf, documentTypes);
                built[i] = pki;
                progress?.Report(new TrustProgress("pki", Interlocked.Increment(ref done), countries.Count));
            });
        }
        catch
        {
            foreach (CountryPki? pki in built)
            {
                pki?.Dispose();
            }

            throw;
        }

        return [.. built];
    }

    private static TrustResult WriteAll(TrustOptions options, DateOnly asOf, IReadOnlyList<TrustCountry> countries, List<CountryPki> pkis, OutputFiles output, string tempDir, string finalDir, IProgress<TrustProgress>? progress, CancellationToken ct)
    {
        var t = new DateTimeOffset(asOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var faults = new List<JsonObject>();

        // PKI files.
        var certificatesJson = new JsonObject();
        int certificateCount = WritePki(pkis, output, t, certificatesJson);

        string?[] plan = TrustFault.Plan(options.Passports, options.InvalidRate);
        string documentPath = Path.Combine(tempDir, DocumentFileName);
        int mdlCount;
        int mdocCount;
        int dtcCount;
        using (var stream = new FileStream(documentPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WritePropertyName("passports");
            json.WriteStartArray();
            for (int start = 0; start < options.Passports; start += Chunk)
            {
                ct.ThrowIfCancellationRequested();
                int count = Math.Min(Chunk, options.Passports - start);
                var batch = new PassportArtifact[count];
                Parallel.For(0, count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
                {
                    int index = start + k;
                    batch[k] = PassportFactory.Build(options.Seed, "passport", index, options, asOf, pkis, plan[index]);
                });

                foreach (PassportArtifact passport in batch)
                {
                    WritePassport(json, passport, output, options, faults);
                }

                progress?.Report(new TrustProgress("passports", start + count, options.Passports));
            }

            json.WriteEndArray();

            json.WritePropertyName("certificates");
            certificatesJson.WriteTo(json);

            json.WritePropertyName("credentials");
            json.WriteStartObject();
            mdlCount = WriteIssued(json, "mdl", options.Mdl, options, asOf, countries, tempDir, output, progress);
            mdocCount = WriteIssued(json, "mdoc", options.Mdoc, options, asOf, countries, tempDir, output, progress);
            json.WritePropertyName("dtc");
            json.WriteStartArray();
            dtcCount = WriteDtcs(json, options, asOf, pkis, plan, output, progress, ct);
            json.WriteEndArray();
            json.WriteEndObject();

            json.WritePropertyName("metadata");
            json.WriteStartObject();
            json.WritePropertyName("countries");
            json.WriteStartArray();
            foreach (CountryPki pki in pkis)
            {
                json.WriteStartObject();
                json.WriteString("code", pki.Country.Icao);
                json.WriteString("mrzCode", pki.Country.Icao3);
                json.WriteString("alpha2", pki.Country.Alpha2);
                json.WriteString("name", pki.Country.Name);
                json.WriteString("algorithm", pki.Algorithm.Name());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("generatedAt", Iso(t));
            json.WriteString("asOf", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteNumber("seed", options.Seed);
            json.WriteString("generator", "Doppel trust pack " + Version);
            json.WriteString("documentType", options.DocumentType.ToString().ToUpperInvariant());
            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.Record(DocumentFileName);

        // faults.jsonl: one line per negative case, in passport order.
        var compact = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        output.Write(FaultsFileName, System.Text.Encoding.UTF8.GetBytes(string.Concat(faults.Select(f => f.ToJsonString(compact) + "\n"))));

        progress?.Report(new TrustProgress("manifest", 0, 1));
        WriteManifest(options, asOf, pkis, output, plan, certificateCount, dtcCount, mdlCount, mdocCount);
        progress?.Report(new TrustProgress("manifest", 1, 1));

        return new TrustResult(finalDir, Path.Combine(finalDir, DocumentFileName), Path.Combine(finalDir, ManifestFileName), Path.Combine(finalDir, FaultsFileName),
            asOf, options.Seed, pkis.Count, options.Passports, dtcCount, mdlCount, mdocCount, certificateCount,
            pkis.Sum(p => p.Crls.Count), pkis.Count, faults.Count, output.Count + 1, null);
    }

    private static int WritePki(List<CountryPki> pkis, OutputFiles output, DateTimeOffset t, JsonObject certificates)
    {
        var csca = new JsonArray();
        var ds = new JsonArray();
        var mls = new JsonArray();
        var dtcSigners = new JsonArray();
        var crls = new JsonArray();
        var masterLists = new JsonArray();
        var anchorsPem = new System.Text.StringBuilder();
        var crlPem = new System.Text.StringBuilder();
        int count = 0;

        // Every country's master list carries the CSCA roots and links of all countries of the run.
        byte[][] anchorDer = pkis.SelectMany(p => new[] { p.CscaOld, p.CscaNew, p.Link }).Select(c => c.Certificate.RawData).ToArray();
        byte[] masterListContent = MasterList.Content(anchorDer);

        foreach (CountryPki pki in pkis)
        {
            foreach (IssuedCertificate cert in pki.All)
            {
                JsonObject entry = CertificateJson(cert, pki, output, t);
                count++;
                switch (cert.Role)
                {
                    case CertificateRole.CscaRoot when cert == pki.RogueCsca:
                    case CertificateRole.DocumentSigner when cert == pki.RogueDs:
                        break; // written under faults/, listed only in faults.jsonl
                    case CertificateRole.CscaRoot:
                    case CertificateRole.CscaLink:
                        csca.Add(entry);
                        anchorsPem.Append(CertificateFactory.Pem("CERTIFICATE", cert.Certificate.RawData));
                        break;
                    case CertificateRole.DocumentSigner:
                        ds.Add(entry);
                        break;
                    case CertificateRole.MasterListSigner:
                        mls.Add(entry);
                        break;
                    default:
                        dtcSigners.Add(entry);
                        break;
                }
            }

            foreach ((IssuedCertificate issuer, byte[] der, System.Numerics.BigInteger number) in pki.Crls)
            {
                string name = issuer.FileStem + ".crl";
                output.Write(name, der);
                crlPem.Append(CertificateFactory.Pem("X509 CRL", der));
                var revoked = new JsonArray();
                foreach (IssuedCertificate d in pki.AllDocumentSigners.Where(d => d.RevokedAt is not null && d.IssuerId == issuer.Id))
                {
                    revoked.Add(new JsonObject { ["serial"] = d.SerialHex, ["revokedAt"] = Iso(d.RevokedAt!.Value), ["certificateId"] = d.Id });
                }

                crls.Add(new JsonObject
                {
                    ["id"] = issuer.Id + "/crl",
                    ["country"] = pki.Country.Icao,
                    ["issuerId"] = issuer.Id,
                    ["issuer"] = issuer.Certificate.Subject,
                    ["crlNumber"] = number.ToString(CultureInfo.InvariantCulture),
                    ["thisUpdate"] = Iso(t.AddDays(-1)),
                    ["nextUpdate"] = Iso(t.AddDays(89)),
                    ["revoked"] = revoked,
                    ["file"] = name,
                    ["sha256"] = Sha256(der),
                });
            }

            byte[] ml = MasterList.Sign(masterListContent, pki.MasterListSigner, pki.CscaNew.Certificate, t.AddDays(-1));
            string mlName = $"masterlists/{pki.Country.Icao}.ml";
            output.Write(mlName, ml);
            masterLists.Add(new JsonObject
            {
                ["id"] = pki.Country.Icao + "/masterlist",
                ["country"] = pki.Country.Icao,
                ["signerId"] = pki.MasterListSigner.Id,
                ["signingTime"] = Iso(t.AddDays(-1)),
                ["certificateCount"] = anchorDer.Length,
                ["file"] = mlName,
                ["sha256"] = Sha256(ml),
            });
        }

        output.Write("pki/trust-anchors.pem", System.Text.Encoding.ASCII.GetBytes(anchorsPem.ToString()));
        output.Write("pki/crls.pem", System.Text.Encoding.ASCII.GetBytes(crlPem.ToString()));
        certificates["csca"] = csca;
        certificates["ds"] = ds;
        certificates["crls"] = crls;
        certificates["masterLists"] = masterLists;
        certificates["masterListSigners"] = mls;
        certificates["dtcSigners"] = dtcSigners;
        return count;
    }

    private static JsonObject CertificateJson(IssuedCertificate cert, CountryPki pki, OutputFiles output, DateTimeOffset t)
    {
        byte[] der = cert.Certificate.RawData;
        output.Write(cert.FileStem + ".der", der);
        output.Write(cert.FileStem + ".pem", System.Text.Encoding.ASCII.GetBytes(CertificateFactory.Pem("CERTIFICATE", der)));
        string kind = cert.Role switch
        {
            CertificateRole.CscaRoot => "self-signed",
            CertificateRole.CscaLink => "link",
            CertificateRole.DocumentSigner => "document-signer",
            CertificateRole.MasterListSigner => "master-list-signer",
            _ => "dtc-signer",
        };
        string status = cert.Status;
        if (status == "valid" && cert.Certificate.NotAfter.ToUniversalTime() < t.UtcDateTime)
        {
            status = "expired";
        }

        var entry = new JsonObject
        {
            ["id"] = cert.Id,
            ["kind"] = kind,
            ["country"] = pki.Country.Icao,
            ["subject"] = cert.Certificate.Subject,
            ["issuer"] = cert.Certificate.Issuer,
            ["issuerId"] = cert.IssuerId,
            ["serial"] = cert.SerialHex,
            ["notBefore"] = Iso(cert.Certificate.NotBefore),
            ["notAfter"] = Iso(cert.Certificate.NotAfter),
            ["privateKeyUsage"] = new JsonObject { ["notBefore"] = Iso(cert.UsageStart), ["notAfter"] = Iso(cert.UsageEnd) },
            ["subjectKeyId"] = CountryPki.Hex(CertificateFactory.SubjectKeyId(cert.Certificate)),
            ["authorityKeyId"] = CountryPki.Hex(CertificateFactory.AuthorityKeyId(cert.Certificate)),
            ["algorithm"] = pki.Algorithm.Name(),
            ["status"] = status,
            ["der"] = cert.FileStem + ".der",
            ["pem"] = cert.FileStem + ".pem",
            ["sha256"] = Sha256(der),
        };
        if (cert.RevokedAt is { } revokedAt)
        {
            entry["revokedAt"] = Iso(revokedAt);
        }

        return entry;
    }

    private static void WritePassport(Utf8JsonWriter json, PassportArtifact p, OutputFiles output, TrustOptions options, List<JsonObject> faults)
    {
        string dir = $"passports/{p.Index + 1:D6}";
        output.Write(dir + "/EF.COM", p.Com);
        output.Write(dir + "/EF.DG1", p.Dg1);
        output.Write(dir + "/EF.DG2", p.Dg2);
        output.Write(dir + "/EF.SOD", p.Sod);

        json.WriteStartObject();
        json.WriteString("id", p.Id);
        json.WriteString("documentType", options.DocumentType.ToString().ToUpperInvariant());
        json.WriteString("documentCode", p.DocumentCode.TrimEnd('<'));
        json.WriteString("issuingState", p.Country.Icao);
        json.WriteString("nationality", p.Nationality);
        json.WriteString("documentNumber", p.DocumentNumber);
        json.WriteString("surname", p.Surname);
        json.WriteString("givenNames", p.GivenNames);
        json.WriteString("sex", p.Sex == '<' ? "X" : p.Sex.ToString());
        json.WriteString("dateOfBirth", Date(p.DateOfBirth));
        json.WriteString("dateOfIssue", Date(p.DateOfIssue));
        json.WriteString("dateOfExpiry", Date(p.DateOfExpiry));
        json.WritePropertyName("mrz");
        json.WriteStartArray();
        foreach (string line in p.Mrz)
        {
            json.WriteStringValue(line);
        }

        json.WriteEndArray();
        json.WriteString("documentSignerId", p.SignerId);
        json.WriteString("documentSignerSerial", p.SignerSerial);
        json.WriteString("signingTime", Iso(p.SigningTime));
        json.WritePropertyName("files");
        json.WriteStartObject();
        json.WriteString("com", dir + "/EF.COM");
        json.WriteString("dg1", dir + "/EF.DG1");
        json.WriteString("dg2", dir + "/EF.DG2");
        json.WriteString("sod", dir + "/EF.SOD");
        json.WriteEndObject();
        json.WritePropertyName("hashes");
        json.WriteStartObject();
        json.WriteString("dg1", Sha256(p.Dg1));
        json.WriteString("dg2", Sha256(p.Dg2));
        json.WriteEndObject();
        json.WriteBoolean("valid", p.Fault is null);
        if (p.Fault is null)
        {
            json.WriteNull("expectedFailure");
        }
        else
        {
            json.WriteString("expectedFailure", p.Fault);
        }

        json.WriteEndObject();

        if (p.Fault is not null)
        {
            var fault = new JsonObject
            {
                ["id"] = p.Id,
                ["kind"] = "passport",
                ["fault"] = p.Fault,
                ["expected"] = TrustFault.Expectation(p.Fault),
                ["openssl"] = TrustFault.OpenSslExpectation(p.Fault),
                ["country"] = p.Country.Icao,
                ["documentSignerId"] = p.SignerId,
                ["files"] = new JsonArray(dir + "/EF.COM", dir + "/EF.DG1", dir + "/EF.DG2", dir + "/EF.SOD"),
            };
            if (p.Fault == TrustFault.UnknownCsca)
            {
                fault["unknownCsca"] = $"faults/pki/{p.Country.Icao}/csca-rogue.pem";
                fault["documentSigner"] = $"faults/pki/{p.Country.Icao}/ds-rogue.pem";
            }

            faults.Add(fault);
        }
    }

    private static int WriteIssued(Utf8JsonWriter json, string kind, int count, TrustOptions options, DateOnly asOf, IReadOnlyList<TrustCountry> countries, string tempDir, OutputFiles output, IProgress<TrustProgress>? progress)
    {
        json.WritePropertyName(kind);
        json.WriteStartArray();
        int written = 0;
        if (options.CredentialIssuer is { } issuer && count > 0)
        {
            progress?.Report(new TrustProgress("credentials", 0, count));
            string relative = "credentials/" + kind;
            string absolute = Path.Combine(tempDir, "credentials", kind);
            Directory.CreateDirectory(absolute);
            foreach (JsonObject credential in issuer.Issue(new CredentialRequest(kind, count, options.Seed, asOf, countries, absolute, relative)))
            {
                credential.WriteTo(json);
                written++;
            }

            output.RecordDirectory(relative);

            progress?.Report(new TrustProgress("credentials", written, count));
        }

        json.WriteEndArray();
        return written;
    }

    private static int WriteDtcs(Utf8JsonWriter json, TrustOptions options, DateOnly asOf, List<CountryPki> pkis, string?[] plan, OutputFiles output, IProgress<TrustProgress>? progress, CancellationToken ct)
    {
        if (options.Dtc == 0)
        {
            return 0;
        }

        // DTCs are derived from valid passports only (a faulty passport would make its DTC faulty too).
        int[] validIndices = Enumerable.Range(0, options.Passports).Where(i => plan[i] is null).ToArray();
        var t = new DateTimeOffset(asOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        for (int k = 0; k < options.Dtc; k++)
        {
            ct.ThrowIfCancellationRequested();
            string passportId;
            byte[] sod;
            byte[] dg1;
            byte[] dg2;
            TrustCountry country;
            DateOnly expiry;
            string documentNumber;
            if (validIndices.Length > 0)
            {
                int index = validIndices[k % validIndices.Length];
                string dir = $"passports/{index + 1:D6}";
                sod = output.Read(dir + "/EF.SOD");
                dg1 = output.Read(dir + "/EF.DG1");
                dg2 = output.Read(dir + "/EF.DG2");
                passportId = $"passport-{index + 1:D6}";
                string[] mrz = LdsBuilder.ReadDg1(dg1)!;
                country = Countries.Find(mrz[0].Substring(2, 3))!;
                (documentNumber, expiry) = DocumentFields(options.DocumentType, mrz);
            }
            else
            {
                // No passports requested: the DTC's eMRTD exists only inside the DTC (same generator, own label).
                PassportArtifact holder = PassportFactory.Build(options.Seed, "dtc-holder", k, options, asOf, pkis, null);
                (sod, dg1, dg2, country, expiry, documentNumber) = (holder.Sod, holder.Dg1, holder.Dg2, holder.Country, holder.DateOfExpiry, holder.DocumentNumber);
                passportId = holder.Id.Replace("passport", "dtc-holder", StringComparison.Ordinal);
            }

            int type = options.DtcType switch
            {
                "1" => 1,
                "2" => 2,
                _ => (k % 2) + 1,
            };
            CountryPki pki = pkis.First(p => p.Country == country);
            string dtcIdentifier = $"{country.Icao}DTC{k + 1:D8}";
            byte[] der;
            if (type == 1)
            {
                der = DtcBuilder.Type1(sod, dg1, dg2);
            }
            else
            {
                byte[] material = Seeds.Derive(options.Seed, "dtc-pc", k, DeterministicEcdsa.MaterialLength(ECCurve.NamedCurves.nistP256));
                using var pcKey = new DeterministicEcdsa(ECCurve.NamedCurves.nistP256, DeterministicEcdsa.DerivePrivateKey(ECCurve.NamedCurves.nistP256, material));
                der = DtcBuilder.Type2(sod, dg1, dg2, dtcIdentifier, expiry, pcKey.ExportSubjectPublicKeyInfo(), pki.DtcSigner, t.AddDays(-1).AddSeconds(k % 86400));
            }

            string file = $"dtc/dtc-{k + 1:D6}.der";
            output.Write(file, der);
            json.WriteStartObject();
            json.WriteString("id", $"dtc-{k + 1:D6}");
            json.WriteNumber("type", type);
            json.WriteString("typeName", type == 1 ? "eMRTD bound" : "eMRTD-PC bound");
            json.WriteString("passportId", passportId);
            json.WriteString("issuingState", country.Icao);
            json.WriteString("documentNumber", documentNumber);
            json.WriteString("dtcIdentifier", dtcIdentifier);
            json.WriteString("dateOfExpiry", Date(expiry));
            if (type == 2)
            {
                json.WriteString("dtcSignerId", pki.DtcSigner.Id);
            }

            json.WriteString("file", file);
            json.WriteString("sha256", Sha256(der));
            json.WriteEndObject();
            if ((k + 1) % 100 == 0 || k + 1 == options.Dtc)
            {
                progress?.Report(new TrustProgress("dtc", k + 1, options.Dtc));
            }
        }

        return options.Dtc;
    }

    internal static (string DocumentNumber, DateOnly Expiry) DocumentFields(Mrz.DocumentFormat format, string[] mrz)
    {
        string number;
        string expiry;
        if (format == Mrz.DocumentFormat.Td1)
        {
            number = mrz[0].Substring(5, 9).TrimEnd('<');
            expiry = mrz[1].Substring(8, 6);
        }
        else
        {
            number = mrz[1][..9].TrimEnd('<');
            expiry = mrz[1].Substring(21, 6);
        }

        return (number, DateOnly.ParseExact("20" + expiry, "yyyyMMdd", CultureInfo.InvariantCulture));
    }

    private static void WriteManifest(TrustOptions options, DateOnly asOf, List<CountryPki> pkis, OutputFiles output, string?[] plan, int certificates, int dtc, int mdl, int mdoc)
    {
        var files = new JsonArray();
        foreach ((string path, string sha, long size) in output.Entries())
        {
            files.Add(new JsonObject { ["path"] = path, ["sha256"] = sha, ["bytes"] = size });
        }

        var manifest = new JsonObject
        {
            ["version"] = 1,
            ["pack"] = "trust",
            ["generator"] = "Doppel trust pack " + Version,
            ["seed"] = options.Seed,
            ["asOf"] = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["options"] = new JsonObject
            {
                ["countries"] = pkis.Count,
                ["countryCodes"] = new JsonArray(pkis.Select(p => (JsonNode?)p.Country.Icao).ToArray()),
                ["passports"] = options.Passports,
                ["mdl"] = options.Mdl,
                ["mdoc"] = options.Mdoc,
                ["dtc"] = options.Dtc,
                ["seed"] = options.Seed,
                ["format"] = options.Format,
                ["documentType"] = options.DocumentType.ToString().ToLowerInvariant(),
                ["algorithm"] = options.Algorithm,
                ["invalidRate"] = options.InvalidRate,
                ["dtcType"] = options.DtcType,
                ["ecParameters"] = options.ExplicitEcParameters ? "explicit" : "named",
                ["databaseInsert"] = options.DatabaseInsert,
            },
            ["counts"] = new JsonObject
            {
                ["passports"] = options.Passports,
                ["validPassports"] = plan.Count(p => p is null),
                ["faults"] = plan.Count(p => p is not null),
                ["certificates"] = certificates,
                ["crls"] = pkis.Sum(p => p.Crls.Count),
                ["masterLists"] = pkis.Count,
                ["dtc"] = dtc,
                ["mdl"] = mdl,
                ["mdoc"] = mdoc,
            },
            ["credentialIssuer"] = options.CredentialIssuer?.Name,
            ["notes"] = new JsonArray(
                "Signatures are deterministic (ECDSA nonces per RFC 6979, RSA-PSS salt derived from key and message), so identical seed and as_of give identical bytes.",
                options.CredentialIssuer is null ? "credentials.mdl and credentials.mdoc are empty: no credential issuer was configured." : "mDL/mdoc credentials were issued by " + options.CredentialIssuer.Name + ".",
                "trust-anchor PEM bundle: pki/trust-anchors.pem; CRL PEM bundle: pki/crls.pem; rogue CSCAs for the unknown_csca case live under faults/."),
            ["files"] = files,
        };
        output.Write(ManifestFileName, System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"), record: false);
    }

    private static void Publish(string tempDir, string finalDir)
    {
        string? backup = null;
        if (Directory.Exists(finalDir))
        {
            backup = finalDir + ".old-" + Guid.NewGuid().ToString("N")[..12];
            Directory.Move(finalDir, backup);
        }
        else if (File.Exists(finalDir))
        {
            throw new TrustException($"output_dir '{finalDir}' is a file, not a directory.");
        }

        try
        {
            Directory.Move(tempDir, finalDir);
        }
        catch
        {
            if (backup is not null)
            {
                Directory.Move(backup, finalDir);
            }

            throw;
        }

        if (backup is not null)
        {
            TryDelete(backup);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // best effort: a leftover temp directory has a dot-name and never the final name
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static string Version => typeof(TrustGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Iso(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    /// <summary>Writes files below the temporary root and records their sha256 for the manifest.</summary>
    private sealed class OutputFiles(string root)
    {
        private readonly ConcurrentDictionary<string, (string Sha, long Size)> _entries = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _dirs = new(StringComparer.Ordinal);

        public int Count => _entries.Count;

        public void Write(string relativePath, byte[] content, bool record = true)
        {
            string full = Path.Combine(root, relativePath);
            string dir = Path.GetDirectoryName(full)!;
            if (_dirs.TryAdd(dir, true))
            {
                Directory.CreateDirectory(dir);
            }

            File.WriteAllBytes(full, content);
            if (record)
            {
                _entries[relativePath] = (Sha256(content), content.Length);
            }
        }

        public void Record(string relativePath)
        {
            byte[] content = File.ReadAllBytes(Path.Combine(root, relativePath));
            _entries[relativePath] = (Sha256(content), content.Length);
        }

        public void RecordDirectory(string relativeDirectory)
        {
            string full = Path.Combine(root, relativeDirectory);
            foreach (string file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
            {
                Record(Path.GetRelativePath(root, file).Replace('\\', '/'));
            }
        }

        public byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(root, relativePath));

        public IEnumerable<(string Path, string Sha, long Size)> Entries() =>
            _entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.Sha, e.Value.Size));
    }
}
