using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Doppel.Packs.Trust.Crypto;

namespace Doppel.Packs.Trust.Pki;

/// <summary>One issued certificate with its key and bookkeeping for output.</summary>
internal sealed class IssuedCertificate(string id, CertificateRole role, X509Certificate2 certificate, SigningKey key, string fileStem) : IDisposable
{
    /// <summary>Stable identifier, e.g. "DEU/ds-q3".</summary>
    public string Id { get; } = id;

    public CertificateRole Role { get; } = role;

    public X509Certificate2 Certificate { get; } = certificate;

    public SigningKey Key { get; } = key;

    /// <summary>Path without extension relative to the output root, e.g. "pki/DEU/ds-q3".</summary>
    public string FileStem { get; } = fileStem;

    public DateTimeOffset UsageStart { get; init; }

    public DateTimeOffset UsageEnd { get; init; }

    /// <summary>valid | expired | revoked (as of the generation date).</summary>
    public string Status { get; set; } = "valid";

    public DateTimeOffset? RevokedAt { get; set; }

    public string? IssuerId { get; init; }

    public string SerialHex => Certificate.SerialNumber.ToLowerInvariant();

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}

/// <summary>
/// The PKI of one issuing State, all validity windows relative to <c>as_of</c> (T):
/// <list type="bullet">
/// <item>CSCA generation 1: valid T−6y … T+9y, key used until the rollover at T−180d.</item>
/// <item>CSCA generation 2: issued T−270d (rollover announced 90 days ahead), key used from T−180d for 5 years, valid 15 years; link certificate g1→g2 signed by the g1 key.</item>
/// <item>Four quarterly Document Signers: key usage windows of 91 days starting T−300d, issued by whichever CSCA key was in use; certificate valid usage + 10 years.</item>
/// <item>An expired DS (valid T−400d … T−30d) and a DS revoked at T−45d on the g2 CRL (negative cases).</item>
/// <item>A Master List Signer and a DTC signer under g2; CRLs of both CSCA keys issued T−1d, next update T+89d.</item>
/// <item>A rogue CSCA (not in any master list) with its own DS, for the "unknown CSCA" negative case.</item>
/// </list>
/// </summary>
internal sealed class CountryPki : IDisposable
{
    public const int DsGenerations = 4;

    private CountryPki(TrustCountry country, TrustAlgorithm algorithm)
    {
        Country = country;
        Algorithm = algorithm;
    }

    public TrustCountry Country { get; }

    public TrustAlgorithm Algorithm { get; }

    public bool ExplicitEcParameters { get; private init; }

    public IssuedCertificate CscaOld { get; private set; } = null!;

    public IssuedCertificate CscaNew { get; private set; } = null!;

    public IssuedCertificate Link { get; private set; } = null!;

    public List<IssuedCertificate> DocumentSigners { get; } = [];

    public IssuedCertificate DsExpired { get; private set; } = null!;

    public IssuedCertificate DsRevoked { get; private set; } = null!;

    public IssuedCertificate MasterListSigner { get; private set; } = null!;

    public IssuedCertificate DtcSigner { get; private set; } = null!;

    public IssuedCertificate RogueCsca { get; private set; } = null!;

    public IssuedCertificate RogueDs { get; private set; } = null!;

    /// <summary>A key unrelated to any certificate, for the "signature by the wrong key" negative case.</summary>
    public SigningKey WrongKey { get; private set; } = null!;

    /// <summary>CRLs as (issuer CSCA, DER) in generation order.</summary>
    public List<(IssuedCertificate Issuer, byte[] Der, BigInteger Number)> Crls { get; } = [];

    public IEnumerable<IssuedCertificate> AllDocumentSigners => DocumentSigners.Append(DsExpired).Append(DsRevoked);

    public IEnumerable<IssuedCertificate> All =>
        new[] { CscaOld, CscaNew, Link }.Concat(AllDocumentSigners).Append(MasterListSigner).Append(DtcSigner).Append(RogueCsca).Append(RogueDs);

    /// <summary>Output folder of this country's PKI files, named by the MRZ code ("pki/D", "pki/FRA").</summary>
    public string Dir => "pki/" + Country.Icao;

    public static CountryPki Build(long seed, TrustCountry country, TrustAlgorithm algorithm, bool explicitEcParameters, DateOnly asOf, IReadOnlyList<string> documentTypes)
    {
        var t = new DateTimeOffset(asOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var pki = new CountryPki(country, algorithm) { ExplicitEcParameters = explicitEcParameters };
        string c = country.Icao;
        string dir = pki.Dir;
        string crlBase = $"https://pki.{country.Alpha2.ToLowerInvariant()}.example/crl/";
        if (algorithm.IsRsa())
        {
            // Warm the RSA key cache in parallel: prime search dominates RSA runs.
            string[] roles = ["csca-g1", "csca-g2", "ds-q1", "ds-q2", "ds-q3", "ds-q4", "ds-expired", "ds-revoked", "mls", "dtc-signer", "csca-rogue", "ds-rogue", "wrong-key"];
            Parallel.ForEach(roles, role => DeterministicRsa.Generate(seed, $"key/{c}/{role}", 2048).Dispose());
        }

        SigningKey Key(string role) => SigningKey.Create(seed, $"{c}/{role}", algorithm, explicitEcParameters);

        // CSCA generation 1 (self-signed) and 2 (self-signed + link).
        var oldKey = Key("csca-g1");
        var oldName = CertificateFactory.Name(country, $"{country.Name} CSCA TEST", "01");
        var oldSpec = new CertificateSpec(CertificateRole.CscaRoot, oldName, CertificateFactory.Serial(seed, c + "/csca-g1"),
            t.AddYears(-6), t.AddYears(9), t.AddYears(-6), t.AddDays(-180), country, crlBase + "csca-g1.crl", []);
        byte[] oldSki = SkiOf(oldKey);
        pki.CscaOld = new IssuedCertificate(c + "/csca-g1", CertificateRole.CscaRoot,
            CertificateFactory.Issue(oldSpec, oldKey, oldKey, oldName, oldSki), oldKey, dir + "/csca-g1")
        { UsageStart = oldSpec.UsageStart, UsageEnd = oldSpec.UsageEnd };

        var newKey = Key("csca-g2");
        var newName = CertificateFactory.Name(country, $"{country.Name} CSCA TEST", "02");
        DateTimeOffset rollover = t.AddDays(-180);
        var newSpec = new CertificateSpec(CertificateRole.CscaRoot, newName, CertificateFactory.Serial(seed, c + "/csca-g2"),
            t.AddDays(-270), t.AddDays(-270).AddYears(15), rollover, rollover.AddYears(5), country, crlBase + "csca-g2.crl", []);
        byte[] newSki = SkiOf(newKey);
        pki.CscaNew = new IssuedCertificate(c + "/csca-g2", CertificateRole.CscaRoot,
            CertificateFactory.Issue(newSpec, newKey, newKey, newName, newSki), newKey, dir + "/csca-g2")
        { UsageStart = newSpec.UsageStart, UsageEnd = newSpec.UsageEnd };

        var linkSpec = newSpec with { Role = CertificateRole.CscaLink, Serial = CertificateFactory.Serial(seed, c + "/link-g1-g2"), NotAfter = oldSpec.NotAfter, CrlUrl = crlBase + "csca-g1.crl" };
        pki.Link = new IssuedCertificate(c + "/link-g1-g2", CertificateRole.CscaLink,
            CertificateFactory.Issue(linkSpec, newKey, oldKey, oldName, oldSki), newKey, dir + "/link-g1-g2")
        { UsageStart = newSpec.UsageStart, UsageEnd = newSpec.UsageEnd, IssuerId = pki.CscaOld.Id };

        // Quarterly Document Signers.
        for (int q = 0; q < DsGenerations; q++)
        {
            DateTimeOffset start = t.AddDays(-300 + (91 * q));
            IssuedCertificate issuer = start < rollover ? pki.CscaOld : pki.CscaNew;
            pki.DocumentSigners.Add(IssueSigner(seed, pki, issuer, CertificateRole.DocumentSigner, $"ds-q{q + 1}",
                $"{country.Name} Document Signer TEST {q + 1:D2}", start, start.AddDays(91), start, start.AddDays(91).AddYears(10), crlBase, documentTypes));
        }

        DateTimeOffset expiredStart = t.AddDays(-400);
        pki.DsExpired = IssueSigner(seed, pki, pki.CscaOld, CertificateRole.DocumentSigner, "ds-expired",
            $"{country.Name} Document Signer TEST EXPIRED", expiredStart, expiredStart.AddDays(90), expiredStart, t.AddDays(-30), crlBase, documentTypes);
        pki.DsExpired.Status = "expired";

        DateTimeOffset revokedStart = t.AddDays(-150);
        pki.DsRevoked = IssueSigner(seed, pki, pki.CscaNew, CertificateRole.DocumentSigner, "ds-revoked",
            $"{country.Name} Document Signer TEST REVOKED", revokedStart, revokedStart.AddDays(91), revokedStart, revokedStart.AddDays(91).AddYears(10), crlBase, documentTypes);
        pki.DsRevoked.Status = "revoked";
        pki.DsRevoked.RevokedAt = t.AddDays(-45);

        pki.MasterListSigner = IssueSigner(seed, pki, pki.CscaNew, CertificateRole.MasterListSigner, "mls",
            $"{country.Name} Master List Signer TEST", rollover, rollover.AddYears(1), rollover, rollover.AddYears(3), crlBase, []);
        pki.DtcSigner = IssueSigner(seed, pki, pki.CscaNew, CertificateRole.DtcSigner, "dtc-signer",
            $"{country.Name} DTC Signer TEST", rollover, rollover.AddYears(2), rollover, rollover.AddYears(2).AddDays(3650), crlBase, []);

        // Rogue CSCA: same country, same naming pattern, but published nowhere.
        var rogueKey = Key("csca-rogue");
        var rogueName = CertificateFactory.Name(country, $"{country.Name} CSCA TEST", "99");
        var rogueSpec = newSpec with { Subject = rogueName, Serial = CertificateFactory.Serial(seed, c + "/csca-rogue"), CrlUrl = crlBase + "csca-rogue.crl" };
        byte[] rogueSki = SkiOf(rogueKey);
        pki.RogueCsca = new IssuedCertificate(c + "/csca-rogue", CertificateRole.CscaRoot,
            CertificateFactory.Issue(rogueSpec, rogueKey, rogueKey, rogueName, rogueSki), rogueKey, "faults/pki/" + c + "/csca-rogue")
        { UsageStart = rogueSpec.UsageStart, UsageEnd = rogueSpec.UsageEnd };
        DateTimeOffset rogueStart = t.AddDays(-300);
        pki.RogueDs = IssueSigner(seed, pki, pki.RogueCsca, CertificateRole.DocumentSigner, "ds-rogue",
            $"{country.Name} Document Signer TEST", rogueStart, t.AddDays(60), rogueStart, rogueStart.AddYears(10), crlBase, documentTypes, "faults/pki/" + c);

        pki.WrongKey = Key("wrong-key");

        // CRLs: one per CSCA key, each listing the certificates that key issued and revoked.
        foreach (IssuedCertificate csca in new[] { pki.CscaOld, pki.CscaNew })
        {
            var revoked = pki.AllDocumentSigners
                .Where(d => d.RevokedAt is not null && string.Equals(d.IssuerId, csca.Id, StringComparison.Ordinal))
                .Select(d => (Serial: d.Certificate.GetSerialNumber().Reverse().ToArray(), RevokedAt: d.RevokedAt!.Value));
            BigInteger number = new((asOf.DayNumber * 10L) + (csca == pki.CscaOld ? 1 : 2));
            byte[] crl = CertificateFactory.Crl(csca.Certificate.SubjectName, csca.Key, CertificateFactory.SubjectKeyId(csca.Certificate),
                number, t.AddDays(-1), t.AddDays(89), revoked);
            pki.Crls.Add((csca, crl, number));
        }

        return pki;
    }

    private static byte[] SkiOf(SigningKey key) =>
        new X509SubjectKeyIdentifierExtension(key.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false).SubjectKeyIdentifierBytes.ToArray();

    private static IssuedCertificate IssueSigner(
        long seed,
        CountryPki pki,
        IssuedCertificate issuer,
        CertificateRole role,
        string name,
        string commonName,
        DateTimeOffset usageStart,
        DateTimeOffset usageEnd,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        string crlBase,
        IReadOnlyList<string> documentTypes,
        string? dir = null)
    {
        string c = pki.Country.Icao;
        SigningKey key = SigningKey.Create(seed, $"{c}/{name}", pki.Algorithm, pki.ExplicitEcParameters);
        var spec = new CertificateSpec(role, CertificateFactory.Name(pki.Country, commonName, null), CertificateFactory.Serial(seed, $"{c}/{name}"),
            notBefore, notAfter, usageStart, usageEnd, pki.Country, crlBase + issuer.FileStem[(issuer.FileStem.LastIndexOf('/') + 1)..] + ".crl", documentTypes);
        X509Certificate2 cert = CertificateFactory.Issue(spec, key, issuer.Key, issuer.Certificate.SubjectName, CertificateFactory.SubjectKeyId(issuer.Certificate));
        return new IssuedCertificate($"{c}/{name}", role, cert, key, (dir ?? pki.Dir) + "/" + name)
        {
            UsageStart = usageStart,
            UsageEnd = usageEnd,
            IssuerId = issuer.Id,
        };
    }

    /// <summary>The Document Signer whose key-usage window contains <paramref name="date"/>.</summary>
    public IssuedCertificate SignerFor(DateTimeOffset date) =>
        DocumentSigners.FirstOrDefault(d => date >= d.UsageStart && date < d.UsageEnd) ?? DocumentSigners[^1];

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (IssuedCertificate cert in All)
        {
            cert.Dispose();
        }

        WrongKey?.Dispose();
    }
}
