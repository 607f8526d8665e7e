using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Mdoc.Cbor;
using Doppel.Mdoc.Cose;
using Doppel.Mdoc.Crypto;
using Doppel.Mdoc.Imaging;
using Doppel.Mdoc.Iso;
using Doppel.Mdoc.Pki;

namespace Doppel.Mdoc;

/// <summary>
/// Generates signed ISO 18013-5 credentials (mDL or generic mdoc such as the EU PID) with their
/// IACA/DS certificates, as files plus one JSON summary object per credential.
/// </summary>
/// <remarks>
/// Output layout (relative to <see cref="MdocDatasetRequest.OutputDirectory"/>):
/// <c>pki/iaca/XX.iaca.{der,pem}</c>, <c>pki/ds/XX.ds.{der,pem}</c> (XX = alpha-2),
/// <c>pki/untrusted/XX.rogue-iaca.pem</c> (only with untrusted_iaca faults), and per credential
/// <c>{mdl|mdoc}/&lt;id&gt;.issuer-signed.cbor</c>, <c>.device-response.cbor</c> and
/// <c>.session-transcript.cbor</c>. PKI files are written to a temporary name and renamed; the
/// credential files are written to a staging directory that replaces <c>{mdl|mdoc}/</c> as a whole
/// once every credential is done (an earlier run's files of that kind are removed).
/// Credentials are generated in parallel; each is a pure function of (seed, kind, index), so the
/// output does not depend on the thread count.
/// </remarks>
public static class MdocDatasetGenerator
{
    /// <summary>Generates the dataset described by <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">The request is invalid; the message says what to change.</exception>
    public static MdocDataset Generate(MdocDatasetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var countries = Validate(request);
        var context = new IssueContext(request, countries);

        var outDir = Path.GetFullPath(request.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var trusted = WritePki(context, outDir);

        // Credentials go to a staging directory that replaces <kind>/ in one rename when complete,
        // so readers never see a half-written set (and per-file renames are not needed).
        var staging = Path.Combine(outDir, $".{context.KindName}.staging-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);

        var faults = PlanFaults(request);
        var credentials = new JsonObject[request.Count];
        var faultRecords = new MdocFault?[request.Count];
        try
        {
            Parallel.For(
                0,
                request.Count,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                i =>
                {
                    faults.TryGetValue(i, out var fault);
                    credentials[i] = IssueOne(context, staging, i, fault, out faultRecords[i]);
                });
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        Files.ReplaceDirectory(staging, Path.Combine(outDir, context.KindName));

        return new MdocDataset(credentials, [.. faultRecords.OfType<MdocFault>()], context.Authorities, trusted);
    }

    /// <summary>Indices that receive a fault, spread evenly, labels cycling through <see cref="MdocFaults.Generated"/>.</summary>
    internal static Dictionary<int, string> PlanFaults(MdocDatasetRequest request)
    {
        var count = request.FaultCount ?? (int)Math.Round(request.FaultRate * request.Count, MidpointRounding.AwayFromZero);
        var plan = new Dictionary<int, string>(count);
        for (var j = 0; j < count; j++)
        {
            var index = (int)((((2L * j) + 1) * request.Count) / (2L * count));
            plan[index] = MdocFaults.Generated[j % MdocFaults.Generated.Count];
        }

        return plan;
    }

    private static List<(string Icao, string Alpha2)> Validate(MdocDatasetRequest r)
    {
        if (r.Count < 0)
        {
            throw new ArgumentException($"Count is {r.Count}; use 0 or more credentials.", nameof(r));
        }

        if (string.IsNullOrWhiteSpace(r.OutputDirectory))
        {
            throw new ArgumentException("OutputDirectory is empty; give the directory that should receive the mdoc files.", nameof(r));
        }

        if (r.AsOf == default)
        {
            throw new ArgumentException("AsOf is not set; give the reference date explicitly (the wall clock is never used).", nameof(r));
        }

        if (double.IsNaN(r.FaultRate) || r.FaultRate is < 0 or > 1)
        {
            throw new ArgumentException($"FaultRate is {r.FaultRate.ToString(CultureInfo.InvariantCulture)}; use a share between 0 and 1.", nameof(r));
        }

        if (r.FaultCount is { } fc && (fc < 0 || fc > r.Count))
        {
            throw new ArgumentException($"FaultCount is {fc}; use 0..{r.Count} (the number of credentials).", nameof(r));
        }

        if (r.Options.ValidityDays is < 1 or > 3650)
        {
            throw new ArgumentException($"ValidityDays is {r.Options.ValidityDays}; use 1..3650.", nameof(r));
        }

        if (string.IsNullOrWhiteSpace(r.Options.MdocDocType) || string.IsNullOrWhiteSpace(r.Options.MdocNamespace))
        {
            throw new ArgumentException("MdocDocType and MdocNamespace must not be empty.", nameof(r));
        }

        if (r.Countries is not { Count: > 0 })
        {
            throw new ArgumentException("Countries is empty; give at least one ICAO issuing-State code such as UTO.", nameof(r));
        }

        var result = new List<(string, string)>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in r.Countries)
        {
            var icao = (code ?? string.Empty).Trim().TrimEnd('<').ToUpperInvariant();
            var alpha2 = CountryCodes.ToAlpha2(icao);
            if (seen.TryGetValue(alpha2, out var other))
            {
                if (!string.Equals(other, icao, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Countries {other} and {icao} both map to {alpha2}; list each country once.", nameof(r));
                }

                continue;
            }

            seen[alpha2] = icao;
            result.Add((icao, alpha2));
        }

        return result;
    }

    private static List<string> WritePki(IssueContext context, string outDir)
    {
        var trusted = new List<string>();
        foreach (var authority in context.Authorities)
        {
            var iaca = $"pki/iaca/{authority.CountryAlpha2}.iaca";
            var ds = $"pki/ds/{authority.CountryAlpha2}.ds";
            Files.Write(outDir, iaca + ".der", authority.Iaca.RawData);
            Files.Write(outDir, iaca + ".pem", authority.Iaca.ExportCertificatePem() + "\n");
            Files.Write(outDir, ds + ".der", authority.DocumentSigner.RawData);
            Files.Write(outDir, ds + ".pem", authority.DocumentSigner.ExportCertificatePem() + "\n");
            trusted.Add(iaca + ".pem");
        }

        if (context.NeedsRogue)
        {
            foreach (var rogue in context.Rogues.Values)
            {
                Files.Write(outDir, $"pki/untrusted/{rogue.CountryAlpha2}.rogue-iaca.pem", rogue.Iaca.ExportCertificatePem() + "\n");
                Files.Write(outDir, $"pki/untrusted/{rogue.CountryAlpha2}.rogue-ds.pem", rogue.DocumentSigner.ExportCertificatePem() + "\n");
            }
        }

        return trusted;
    }

    private static JsonObject IssueOne(IssueContext ctx, string stagingDir, int index, string? fault, out MdocFault? faultRecord)
    {
        var id = ctx.KindName + "-" + (index + 1).ToString("D6", CultureInfo.InvariantCulture);
        var label = ctx.KindName + "/" + index.ToString(CultureInfo.InvariantCulture);
        var rng = new DetRandom(SeedKdf.Stream(ctx.Seed, label + "/holder"));
        var authority = ctx.Authorities[rng.Next(ctx.Authorities.Count)];
        var asOfDate = DateOnly.FromDateTime(ctx.AsOf.UtcDateTime);
        var holder = ctx.Kind == MdocKind.Mdl ? Holder.Draw(ref rng, asOfDate, 16, 85) : Holder.Draw(ref rng, asOfDate, 1, 90);
        var issueDate = asOfDate.AddDays(-rng.Next(0, 4 * 365));
        var expiryDate = issueDate.AddYears(ctx.Kind == MdocKind.Mdl ? 5 : 10).AddDays(-1);
        var documentNumber = authority.CountryAlpha2 + rng.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var age = holder.AgeAt(asOfDate);

        // Validity: signed within the last 60 days (inside the DS validity), valid for ValidityDays.
        DateTimeOffset signed, validFrom, validUntil;
        if (fault == MdocFaults.ExpiredValidity)
        {
            signed = ctx.AsOf.AddDays(-rng.Next(30, 100)).AddSeconds(-rng.Next(86_400));
            validFrom = signed;
            validUntil = ctx.AsOf.AddDays(-rng.Next(1, 20)).AddSeconds(-rng.Next(86_400));
        }
        else
        {
            var maxBack = Math.Min(60 * 86_400, ctx.Request.Options.ValidityDays * 86_400 / 2);
            signed = ctx.AsOf.AddSeconds(-rng.Next(60, maxBack));
            validFrom = signed;
            validUntil = signed.AddDays(ctx.Request.Options.ValidityDays);
        }

        var elements = ctx.Kind == MdocKind.Mdl
            ? MdlElements(ctx, ref rng, label, authority, holder, age, issueDate, expiryDate, documentNumber)
            : PidElements(authority, holder, age, issueDate, expiryDate, documentNumber);

        // IssuerSignedItems with random distinct digestIDs and 32-byte salts (Annex D uses 32).
        var items = new List<CborValue>(elements.Count);
        var digests = new List<(long, byte[])>(elements.Count);
        var usedIds = new HashSet<long>();
        var itemIndexByElement = new Dictionary<string, int>(StringComparer.Ordinal);
        var randoms = new byte[elements.Count][];
        var ids = new long[elements.Count];
        for (var e = 0; e < elements.Count; e++)
        {
            long digestId;
            do
            {
                digestId = (long)(rng.NextUInt64() >> 33);
            }
            while (!usedIds.Add(digestId));

            ids[e] = digestId;
            randoms[e] = SeedKdf.Expand(ctx.Seed, label + "/salt/" + elements[e].Identifier, 32);
            var item = MdocStructures.IssuerSignedItemBytes(digestId, randoms[e], elements[e], ctx.Encoding);
            items.Add(item);
            digests.Add((digestId, MdocStructures.ValueDigest(item, ctx.DigestAlgorithm)));
            itemIndexByElement[elements[e].Identifier] = e;
        }

        var deviceKey = DeterministicEcdsaKey.Derive(EcCurve.P256, ctx.Seed, label + "/device");
        var mso = MdocStructures.MobileSecurityObject(
            ctx.DocType,
            ctx.DigestAlgorithm,
            new Dictionary<string, IReadOnlyList<(long, byte[])>>(StringComparer.Ordinal) { [ctx.Namespace] = digests },
            deviceKey,
            signed,
            validFrom,
            validUntil);
        var msoBytes = CborEncoder.Encode(CborTag.Embed(mso, ctx.Encoding), ctx.Encoding);

        // The signer and the certificate in x5chain; faults swap one of them.
        var signerKey = authority.DocumentSignerKey;
        var dsCert = authority.DocumentSigner;
        string? faultDescription = null;
        switch (fault)
        {
            case MdocFaults.WrongSigner:
                signerKey = ctx.WrongSigners[authority.CountryAlpha2];
                faultDescription = "issuerAuth signed with a key that is not the x5chain DS key";
                break;
            case MdocFaults.UntrustedIaca:
                var rogue = ctx.Rogues[authority.CountryAlpha2];
                signerKey = rogue.DocumentSignerKey;
                dsCert = rogue.DocumentSigner;
                faultDescription = "DS certificate issued by an IACA that is not in the trusted set";
                break;
            case MdocFaults.ExpiredValidity:
                faultDescription = "MSO validUntil " + Files.TDate(validUntil) + " is before as_of";
                break;
            default:
                break;
        }

        var issuerAuth = CoseSign1.Sign(signerKey, msoBytes, detached: false, x5chain: [dsCert.RawData]);

        if (fault == MdocFaults.DigestMismatch)
        {
            // Alter family_name after signing, keeping digestID and salt: its digest no longer matches.
            var e = itemIndexByElement["family_name"];
            var altered = holder.FamilyName + "-Altered";
            items[e] = MdocStructures.IssuerSignedItemBytes(ids[e], randoms[e], new DataElement("family_name", altered), ctx.Encoding);
            faultDescription = $"family_name changed to \"{altered}\" after signing";
        }

        var issuerSigned = MdocStructures.IssuerSigned(
            new Dictionary<string, IReadOnlyList<CborValue>>(StringComparer.Ordinal) { [ctx.Namespace] = items },
            issuerAuth);

        var transcript = MdocStructures.SessionTranscript(id, SeedKdf.Expand(ctx.Seed, label + "/transcript-nonce", 16));
        var deviceSigned = MdocStructures.DeviceSigned(deviceKey, transcript, ctx.DocType, ctx.Encoding);
        var deviceResponse = MdocStructures.DeviceResponse(ctx.DocType, issuerSigned, deviceSigned);

        var basePath = ctx.KindName + "/" + id;
        File.WriteAllBytes(Path.Combine(stagingDir, id + ".issuer-signed.cbor"), CborEncoder.Encode(issuerSigned, ctx.Encoding));
        File.WriteAllBytes(Path.Combine(stagingDir, id + ".device-response.cbor"), CborEncoder.Encode(deviceResponse, ctx.Encoding));
        File.WriteAllBytes(Path.Combine(stagingDir, id + ".session-transcript.cbor"), CborEncoder.Encode(transcript, ctx.Encoding));

        faultRecord = fault is null ? null : new MdocFault(id, fault, faultDescription ?? fault);
        var holderJson = new JsonObject
        {
            ["familyName"] = holder.FamilyName,
            ["givenName"] = holder.GivenName,
            ["birthDate"] = Files.Date(holder.BirthDate),
            ["ageInYears"] = age,
            ["ageOver18"] = age >= 18,
        };
        if (ctx.Kind == MdocKind.Mdl)
        {
            holderJson["sex"] = holder.Sex;
        }

        return new JsonObject
        {
            ["id"] = id,
            ["kind"] = ctx.KindName,
            ["docType"] = ctx.DocType,
            ["namespace"] = ctx.Namespace,
            ["country"] = authority.IcaoCountry,
            ["issuingCountry"] = authority.CountryAlpha2,
            ["holder"] = holderJson,
            ["documentNumber"] = documentNumber,
            ["issueDate"] = Files.Date(issueDate),
            ["expiryDate"] = Files.Date(expiryDate),
            ["validity"] = new JsonObject
            {
                ["signed"] = Files.TDate(signed),
                ["validFrom"] = Files.TDate(validFrom),
                ["validUntil"] = Files.TDate(validUntil),
            },
            ["digestAlgorithm"] = ctx.DigestAlgorithm,
            ["signatureAlgorithm"] = CoseLabels.AlgorithmName(ctx.Curve.CoseAlgorithm),
            ["elements"] = new JsonArray([.. elements.Select(e => (JsonNode?)JsonValue.Create(e.Identifier))]),
            ["files"] = new JsonObject
            {
                ["issuerSigned"] = basePath + ".issuer-signed.cbor",
                ["deviceResponse"] = basePath + ".device-response.cbor",
                ["sessionTranscript"] = basePath + ".session-transcript.cbor",
                ["documentSigner"] = $"pki/ds/{authority.CountryAlpha2}.ds.pem",
                ["iaca"] = $"pki/iaca/{authority.CountryAlpha2}.iaca.pem",
            },
            ["fault"] = fault,
        };
    }

    private static List<DataElement> MdlElements(IssueContext ctx, ref DetRandom rng, string label, MdocIssuingAuthority authority, Holder holder, int age, DateOnly issueDate, DateOnly expiryDate, string documentNumber)
    {
        var privileges = new CborArray();
        var categories = Categories[rng.Next(Categories.Length)];
        foreach (var category in categories)
        {
            // A privilege is granted at 17 at the earliest and no later than the document's issue date.
            var earliest = holder.BirthDate.AddYears(17);
            var granted = issueDate.AddYears(-rng.Next(0, 20));
            if (granted < earliest)
            {
                granted = earliest < issueDate ? earliest : issueDate;
            }

            privileges.Add(new CborMap
            {
                { "vehicle_category_code", category },
                { "issue_date", CborTag.Date(granted) },
                { "expiry_date", CborTag.Date(expiryDate) },
            });
        }

        return
        [
            new("family_name", holder.FamilyName),
            new("given_name", holder.GivenName),
            new("birth_date", CborTag.Date(holder.BirthDate)),
            new("issue_date", CborTag.Date(issueDate)),
            new("expiry_date", CborTag.Date(expiryDate)),
            new("issuing_country", authority.CountryAlpha2),
            new("issuing_authority", "Doppel Synthetic Driving Licence Authority " + authority.CountryAlpha2),
            new("document_number", documentNumber),
            new("portrait", PortraitJpeg.Create(SeedKdf.Stream(ctx.Seed, label + "/portrait"))),
            new("driving_privileges", privileges),
            new("un_distinguishing_sign", CountryCodes.UnDistinguishingSign(authority.IcaoCountry)),
            new("sex", holder.Sex),
            new("height", holder.HeightCm),
            new("age_in_years", age),
            new("age_birth_year", holder.BirthDate.Year),
            new("age_over_18", age >= 18),
            new("age_over_21", age >= 21),
        ];
    }

    private static List<DataElement> PidElements(MdocIssuingAuthority authority, Holder holder, int age, DateOnly issueDate, DateOnly expiryDate, string documentNumber) =>
    [
        new("family_name", holder.FamilyName),
        new("given_name", holder.GivenName),
        new("birth_date", CborTag.Date(holder.BirthDate)),
        new("age_over_18", age >= 18),
        new("age_over_21", age >= 21),
        new("age_in_years", age),
        new("age_birth_year", holder.BirthDate.Year),
        new("nationality", authority.CountryAlpha2),
        new("issuing_authority", "Doppel Synthetic PID Provider " + authority.CountryAlpha2),
        new("issuing_country", authority.CountryAlpha2),
        new("issuance_date", CborTag.Date(issueDate)),
        new("expiry_date", CborTag.Date(expiryDate)),
        new("document_number", documentNumber),
    ];

    // Typical privilege sets (ISO 18013-5 / EU categories, reference §5.2).
    private static readonly string[][] Categories =
    [
        ["B"], ["B"], ["B"], ["AM", "B"], ["A", "B"], ["B", "BE"], ["A2", "B"], ["B", "C1"], ["B", "C", "CE"], ["A1", "B", "D1"],
    ];

    /// <summary>Everything shared by the credentials of one run.</summary>
    private sealed class IssueContext
    {
        public IssueContext(MdocDatasetRequest request, List<(string Icao, string Alpha2)> countries)
        {
            Request = request;
            Kind = request.Kind;
            KindName = request.Kind == MdocKind.Mdl ? "mdl" : "mdoc";
            DocType = request.Kind == MdocKind.Mdl ? MdocIssuerOptions.MdlDocType : request.Options.MdocDocType;
            Namespace = request.Kind == MdocKind.Mdl ? MdocIssuerOptions.MdlNamespace : request.Options.MdocNamespace;
            Seed = SeedKdf.SeedMaterial(request.Seed);
            AsOf = new DateTimeOffset(request.AsOf.UtcTicks - (request.AsOf.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            Curve = request.Options.Algorithm switch
            {
                MdocSignatureAlgorithm.ES384 => EcCurve.P384,
                MdocSignatureAlgorithm.ES512 => EcCurve.P521,
                _ => EcCurve.P256,
            };
            Encoding = request.Options.SortAllMaps ? CborEncodeOptions.CoreDeterministic : CborEncodeOptions.Default;
            Authorities = [.. countries.Select(c => MdocPki.Create(Seed, c.Icao, c.Alpha2, AsOf, Curve, role: string.Empty))];

            var plan = PlanFaults(request);
            NeedsRogue = plan.ContainsValue(MdocFaults.UntrustedIaca);
            Rogues = NeedsRogue
                ? countries.ToDictionary(c => c.Alpha2, c => MdocPki.Create(Seed, c.Icao, c.Alpha2, AsOf, Curve, role: "rogue"), StringComparer.Ordinal)
                : [];
            WrongSigners = countries.ToDictionary(c => c.Alpha2, c => DeterministicEcdsaKey.Derive(Curve, Seed, "wrong-signer/pki/" + c.Icao), StringComparer.Ordinal);
        }

        public MdocDatasetRequest Request { get; }

        public MdocKind Kind { get; }

        public string KindName { get; }

        public string DocType { get; }

        public string Namespace { get; }

        public byte[] Seed { get; }

        public DateTimeOffset AsOf { get; }

        public EcCurve Curve { get; }

        public CborEncodeOptions Encoding { get; }

        public string DigestAlgorithm => "SHA-256";

        public IReadOnlyList<MdocIssuingAuthority> Authorities { get; }

        public bool NeedsRogue { get; }

        public Dictionary<string, MdocIssuingAuthority> Rogues { get; }

        public Dictionary<string, DeterministicEcdsaKey> WrongSigners { get; }
    }
}

/// <summary>Small file and formatting helpers.</summary>
internal static class Files
{
    /// <summary>Writes a file atomically: a unique temporary name in the same directory, then rename.</summary>
    public static void Write(string root, string relativePath, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Moves a completed <paramref name="staging"/> directory to <paramref name="target"/>, replacing an older one.</summary>
    public static void ReplaceDirectory(string staging, string target)
    {
        string? old = null;
        if (Directory.Exists(target))
        {
            old = staging + ".old";
            Directory.Move(target, old);
        }

        Directory.Move(staging, target);
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    public static void Write(string root, string relativePath, string text) => Write(root, relativePath, System.Text.Encoding.UTF8.GetBytes(text));

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string TDate(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
