using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Packs.Trust.Crypto;

namespace Doppel.Packs.Trust.Pki;

/// <summary>Certificate roles of the eMRTD PKI (Doc 9303-12 §4; domain reference §4.1).</summary>
internal enum CertificateRole
{
    CscaRoot,
    CscaLink,
    DocumentSigner,
    MasterListSigner,
    DtcSigner,
}

/// <summary>What to put into one certificate.</summary>
internal sealed record CertificateSpec(
    CertificateRole Role,
    X500DistinguishedName Subject,
    byte[] Serial,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset UsageStart,
    DateTimeOffset UsageEnd,
    TrustCountry Country,
    string CrlUrl,
    IReadOnlyList<string> DocumentTypes);

/// <summary>
/// Issues certificates and CRLs following the Doc 9303-12 profiles (domain reference §4.2–4.4):
/// key usage critical, basic constraints only on CSCAs, SKI/AKI, private key usage period,
/// SAN/IAN with a directoryName whose localityName is the MRZ country code, CRL distribution points,
/// the documentTypeList on Document Signers and the master-list EKU on Master List Signers.
/// </summary>
internal static class CertificateFactory
{
    public const string MasterListSignerEku = "2.23.136.1.1.3";
    public const string DocumentTypeListOid = "2.23.136.1.1.6.2";
    public const string PrivateKeyUsagePeriodOid = "2.5.29.16";

    public static X500DistinguishedName Name(TrustCountry country, string commonName, string? serialNumber)
    {
        // The builder encodes RDNs in reverse order of the calls: add the most specific first so the
        // encoded name reads C, O, CN, serialNumber (countryName first, as in real CSCA names).
        var builder = new X500DistinguishedNameBuilder();
        if (serialNumber is not null)
        {
            builder.Add("2.5.4.5", serialNumber, UniversalTagNumber.PrintableString);
        }

        builder.AddCommonName(commonName);
        builder.AddOrganizationName("Doppel Synthetic Test PKI");
        builder.AddCountryOrRegion(country.Alpha2);
        return builder.Build();
    }

    /// <summary>Positive serial of 16 bytes derived from the seed (≤ 20 octets, Part 12 Table 5).</summary>
    public static byte[] Serial(long seed, string label)
    {
        byte[] serial = Seeds.Derive(seed, "serial/" + label, 0, 16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x10);
        return serial;
    }

    public static X509Certificate2 Issue(CertificateSpec spec, SigningKey subjectKey, SigningKey issuerKey, X500DistinguishedName issuerName, byte[] issuerSki)
    {
        var request = new CertificateRequest(spec.Subject, subjectKey.PublicKey, issuerKey.Hash, issuerKey.RsaPadding);
        var ski = new X509SubjectKeyIdentifierExtension(subjectKey.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false);
        bool ca = spec.Role is CertificateRole.CscaRoot or CertificateRole.CscaLink;

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerSki));
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            ca ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(PrivateKeyUsagePeriod(spec.UsageStart, spec.UsageEnd));
        request.CertificateExtensions.Add(AltName("2.5.29.17", spec.Country, spec.Role));
        request.CertificateExtensions.Add(AltName("2.5.29.18", spec.Country, CertificateRole.CscaRoot));
        if (ca)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        }

        if (spec.Role == CertificateRole.MasterListSigner)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(MasterListSignerEku)], critical: true));
        }

        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([spec.CrlUrl]));
        if (spec.Role == CertificateRole.DocumentSigner)
        {
            request.CertificateExtensions.Add(DocumentTypeList(spec.DocumentTypes));
        }

        return request.Create(issuerName, issuerKey.Generator, spec.NotBefore, spec.NotAfter, spec.Serial);
    }

    /// <summary>PrivateKeyUsagePeriod ::= SEQUENCE { notBefore [0] GeneralizedTime, notAfter [1] GeneralizedTime } (RFC 3280 §4.2.1.4).</summary>
    private static X509Extension PrivateKeyUsagePeriod(DateTimeOffset start, DateTimeOffset end)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteGeneralizedTime(start, omitFractionalSeconds: true, new Asn1Tag(TagClass.ContextSpecific, 0));
            w.WriteGeneralizedTime(end, omitFractionalSeconds: true, new Asn1Tag(TagClass.ContextSpecific, 1));
        }

        return new X509Extension(PrivateKeyUsagePeriodOid, w.Encode(), critical: false);
    }

    /// <summary>
    /// GeneralNames with a directoryName {L = MRZ country code} (Part 12 §7.1.1.2) and a synthetic contact URI.
    /// </summary>
    private static X509Extension AltName(string oid, TrustCountry country, CertificateRole role)
    {
        var dn = new X500DistinguishedNameBuilder();
        dn.AddLocalityName(country.Icao);
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
            {
                w.WriteEncodedValue(dn.Build().RawData);
            }

            string path = role switch
            {
                CertificateRole.DocumentSigner => "ds",
                CertificateRole.MasterListSigner => "mls",
                CertificateRole.DtcSigner => "dtc",
                _ => "csca",
            };
            w.WriteCharacterString(UniversalTagNumber.IA5String, $"https://pki.{country.Alpha2.ToLowerInvariant()}.example/{path}", new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return new X509Extension(oid, w.Encode(), critical: false);
    }

    /// <summary>DocumentTypeListSyntax ::= SEQUENCE { version INTEGER v0, docTypeList SET OF PrintableString } (§4.3).</summary>
    public static X509Extension DocumentTypeList(IReadOnlyList<string> documentTypes)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSetOf())
            {
                foreach (string type in documentTypes)
                {
                    w.WriteCharacterString(UniversalTagNumber.PrintableString, type);
                }
            }
        }

        return new X509Extension(DocumentTypeListOid, w.Encode(), critical: false);
    }

    /// <summary>Reads the documentTypeList extension of a certificate (empty when absent).</summary>
    public static IReadOnlyList<string> ReadDocumentTypeList(X509Certificate2 certificate)
    {
        X509Extension? ext = certificate.Extensions[DocumentTypeListOid];
        if (ext is null)
        {
            return [];
        }

        var seq = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence();
        _ = seq.ReadInteger();
        AsnReader set = seq.ReadSetOf();
        var types = new List<string>();
        while (set.HasData)
        {
            types.Add(set.ReadCharacterString(UniversalTagNumber.PrintableString));
        }

        return types;
    }

    /// <summary>A v2 CRL (Part 12 §7.1.4): AKI = CSCA SKI, cRLNumber, no entry extensions.</summary>
    public static byte[] Crl(
        X500DistinguishedName issuerName,
        SigningKey issuerKey,
        byte[] issuerSki,
        BigInteger crlNumber,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        IEnumerable<(byte[] Serial, DateTimeOffset RevokedAt)> revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach ((byte[] serial, DateTimeOffset revokedAt) in revoked)
        {
            builder.AddEntry(serial, revokedAt);
        }

        return builder.Build(issuerName, issuerKey.Generator, crlNumber, nextUpdate, issuerKey.Hash,
            X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerSki), thisUpdate);
    }

    public static byte[] SubjectKeyId(X509Certificate2 certificate) =>
        ((X509SubjectKeyIdentifierExtension?)certificate.Extensions["2.5.29.14"])?.SubjectKeyIdentifierBytes.ToArray() ?? [];

    public static byte[] AuthorityKeyId(X509Certificate2 certificate) =>
        ((X509AuthorityKeyIdentifierExtension?)certificate.Extensions["2.5.29.35"])?.KeyIdentifier?.ToArray() ?? [];

    public static string Pem(string label, byte[] der) => PemEncoding.WriteString(label, der) + "\n";
}
