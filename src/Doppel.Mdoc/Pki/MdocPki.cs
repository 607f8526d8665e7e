using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Pki;

/// <summary>
/// An issuing authority for one country: an IACA root and the Document Signer (DS) it issued,
/// both profiled after ISO 18013-5 Annex B (domain reference §5.7). Keys are derived from the
/// seed and certificates are signed with RFC 6979 nonces, so the DER bytes are reproducible.
/// </summary>
public sealed class MdocIssuingAuthority
{
    internal MdocIssuingAuthority(string icaoCountry, string alpha2, X509Certificate2 iaca, X509Certificate2 documentSigner, DeterministicEcdsaKey iacaKey, DeterministicEcdsaKey dsKey)
    {
        IcaoCountry = icaoCountry;
        CountryAlpha2 = alpha2;
        Iaca = iaca;
        DocumentSigner = documentSigner;
        IacaKey = iacaKey;
        DocumentSignerKey = dsKey;
    }

    /// <summary>The ICAO 3-letter code the authority was requested for (e.g. <c>UTO</c>, <c>D</c>, <c>FRA</c>).</summary>
    public string IcaoCountry { get; }

    /// <summary>The ISO 3166-1 alpha-2 code used for <c>issuing_country</c> and the certificates' C=.</summary>
    public string CountryAlpha2 { get; }

    /// <summary>The self-signed IACA root certificate (public part only).</summary>
    public X509Certificate2 Iaca { get; }

    /// <summary>The Document Signer certificate issued by <see cref="Iaca"/> (public part only).</summary>
    public X509Certificate2 DocumentSigner { get; }

    internal DeterministicEcdsaKey IacaKey { get; }

    internal DeterministicEcdsaKey DocumentSignerKey { get; }
}

/// <summary>Creates IACA and Document Signer certificates (ISO 18013-5 Annex B profiles).</summary>
internal static class MdocPki
{
    /// <summary>id-mdl-kp-mdlDS, the Document Signer extended key usage (DER 060728818c5d050102).</summary>
    public const string MdlDsEku = "1.0.18013.5.1.2";

    /// <summary>The IACA validity (a summary reports a 20-year maximum; 10 years stays well inside it).</summary>
    public const int IacaValidityYears = 10;

    /// <summary>The DS validity in days: the longest implementations accept (457, reference §5.7).</summary>
    public const int DsValidityDays = 457;

    /// <summary>How far before as_of the DS becomes valid: leaves room for MSO signing dates in the past.</summary>
    public const int DsBackdateDays = 120;

    /// <summary>
    /// Creates the authority for <paramref name="icaoCountry"/>. <paramref name="role"/> separates key
    /// material: "" for the genuine authority, "rogue" for the unknown IACA of the untrusted_iaca fault.
    /// </summary>
    public static MdocIssuingAuthority Create(ReadOnlySpan<byte> seedMaterial, string icaoCountry, string alpha2, DateTimeOffset asOf, EcCurve curve, string role)
    {
        var prefix = (role.Length == 0 ? string.Empty : role + "/") + "pki/" + icaoCountry;
        var iacaKey = DeterministicEcdsaKey.Derive(curve, seedMaterial, prefix + "/iaca");
        var dsKey = DeterministicEcdsaKey.Derive(curve, seedMaterial, prefix + "/ds");
        var hash = curve.Hash;
        var lower = alpha2.ToLowerInvariant();
        var label = role.Length == 0 ? "Doppel Synthetic" : "Doppel Rogue";
        var day = new DateTimeOffset(asOf.UtcDateTime.Date, TimeSpan.Zero);

        var iacaName = Name(alpha2, label + " IACA " + alpha2);
        using var iacaPublic = iacaKey.CreatePublicECDsa();
        var iacaRequest = new CertificateRequest(iacaName, iacaPublic, hash);
        iacaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        iacaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        var iacaSki = new X509SubjectKeyIdentifierExtension(iacaRequest.PublicKey, critical: false);
        iacaRequest.CertificateExtensions.Add(iacaSki);
        iacaRequest.CertificateExtensions.Add(IssuerAltName(new Uri($"https://example.org/doppel/{role}iaca/{lower}")));
        iacaRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([$"https://example.org/doppel/{role}crl/{lower}.crl"]));
        var iacaNotBefore = day.AddDays(-365);
        var iaca = iacaRequest.Create(iacaName, new DeterministicSignatureGenerator(iacaKey), iacaNotBefore, iacaNotBefore.AddYears(IacaValidityYears), Serial(seedMaterial, prefix + "/iaca"));

        var dsName = Name(alpha2, label + " DS " + alpha2);
        using var dsPublic = dsKey.CreatePublicECDsa();
        var dsRequest = new CertificateRequest(dsName, dsPublic, hash);
        dsRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        dsRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(MdlDsEku)], critical: true));
        dsRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(dsRequest.PublicKey, critical: false));
        dsRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(iacaSki));
        dsRequest.CertificateExtensions.Add(IssuerAltName(new Uri($"https://example.org/doppel/{role}iaca/{lower}")));
        dsRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([$"https://example.org/doppel/{role}crl/{lower}.crl"]));
        var dsNotBefore = day.AddDays(-DsBackdateDays);
        var ds = dsRequest.Create(iacaName, new DeterministicSignatureGenerator(iacaKey), dsNotBefore, dsNotBefore.AddDays(DsValidityDays), Serial(seedMaterial, prefix + "/ds"));

        return new MdocIssuingAuthority(icaoCountry, alpha2, iaca, ds, iacaKey, dsKey);
    }

    private static X500DistinguishedName Name(string alpha2, string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion(alpha2);
        builder.AddOrganizationName("Doppel synthetic test data (not a real authority)");
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <summary>IssuerAltName (2.5.29.18) has the GeneralNames syntax of SubjectAltName, so reuse its builder.</summary>
    private static X509Extension IssuerAltName(Uri uri)
    {
        var builder = new SubjectAlternativeNameBuilder();
        builder.AddUri(uri);
        return new X509Extension(new Oid("2.5.29.18"), builder.Build().RawData, critical: false);
    }

    /// <summary>A positive 16-byte serial number (RFC 5280 §4.1.2.2) from the seed.</summary>
    private static byte[] Serial(ReadOnlySpan<byte> seedMaterial, string label)
    {
        var serial = SeedKdf.Expand(seedMaterial, "serial/" + label, 16);
        serial[0] = (byte)((serial[0] & 0x3f) | 0x40);
        return serial;
    }

    /// <summary>Signs certificates with the deterministic key; the signature is DER Ecdsa-Sig-Value (RFC 3279 §2.2.3).</summary>
    private sealed class DeterministicSignatureGenerator : X509SignatureGenerator
    {
        private readonly DeterministicEcdsaKey _key;
        private readonly X509SignatureGenerator _inner;

        public DeterministicSignatureGenerator(DeterministicEcdsaKey key)
        {
            _key = key;
            _inner = CreateForECDsa(key.CreatePublicECDsa());
        }

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => _inner.GetSignatureAlgorithmIdentifier(hashAlgorithm);

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            var raw = _key.SignData(data, hashAlgorithm);
            var half = raw.Length / 2;
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteIntegerUnsigned(TrimLeadingZeros(raw.AsSpan(0, half)));
                writer.WriteIntegerUnsigned(TrimLeadingZeros(raw.AsSpan(half)));
            }

            return writer.Encode();
        }

        protected override PublicKey BuildPublicKey() => _inner.PublicKey;

        private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
        {
            var i = 0;
            while (i < value.Length - 1 && value[i] == 0)
            {
                i++;
            }

            return value[i..];
        }
    }
}
