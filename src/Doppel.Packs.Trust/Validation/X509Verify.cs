using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Packs.Trust.Validation;

/// <summary>
/// Signature checks on raw X.509 structures (certificates and CRLs share the outer
/// SEQUENCE { tbs, signatureAlgorithm, signatureValue } shape), independent of platform chain building.
/// </summary>
internal static class X509Verify
{
    public static bool VerifySignedStructure(byte[] der, X509Certificate2 issuer)
    {
        try
        {
            AsnReader outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            ReadOnlyMemory<byte> tbs = outer.ReadEncodedValue();
            AsnReader algorithm = outer.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            byte[] signature = outer.ReadBitString(out _);
            switch (oid)
            {
                case "1.2.840.10045.4.3.2":
                case "1.2.840.10045.4.3.3":
                case "1.2.840.10045.4.3.4":
                {
                    using ECDsa? key = issuer.GetECDsaPublicKey();
                    return key is not null && key.VerifyData(tbs.Span, signature, EcHash(oid), DSASignatureFormat.Rfc3279DerSequence);
                }

                case "1.2.840.113549.1.1.11":
                case "1.2.840.113549.1.1.12":
                case "1.2.840.113549.1.1.13":
                {
                    using RSA? key = issuer.GetRSAPublicKey();
                    HashAlgorithmName hash = oid.EndsWith("11", StringComparison.Ordinal) ? HashAlgorithmName.SHA256 : oid.EndsWith("12", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                    return key is not null && key.VerifyData(tbs.Span, signature, hash, RSASignaturePadding.Pkcs1);
                }

                case "1.2.840.113549.1.1.10":
                {
                    // RSASSA-PSS-params: [0] hashAlgorithm; our signers use SHA-256 with MGF1-SHA-256 and salt 32.
                    AsnReader parameters = algorithm.ReadSequence();
                    HashAlgorithmName hash = HashAlgorithmName.SHA1;
                    if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        string hashOid = parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier();
                        hash = hashOid switch
                        {
                            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
                            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                            _ => HashAlgorithmName.SHA1,
                        };
                    }

                    using RSA? key = issuer.GetRSAPublicKey();
                    return key is not null && key.VerifyData(tbs.Span, signature, hash, RSASignaturePadding.Pss);
                }

                default:
                    return false;
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }

    private static HashAlgorithmName EcHash(string oid) => oid switch
    {
        "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>Parsed CRL fields needed for revocation checks.</summary>
    internal sealed record CrlInfo(byte[] AuthorityKeyId, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, HashSet<string> RevokedSerials, bool HasEntryExtensions, string Issuer);

    public static CrlInfo ReadCrl(byte[] der)
    {
        AsnReader outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        AsnReader tbs = outer.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            _ = tbs.ReadInteger();
        }

        _ = tbs.ReadSequence(); // signature algorithm
        string issuer = new X500DistinguishedName(tbs.ReadEncodedValue().ToArray()).Name;
        DateTimeOffset thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)) ? ReadTime(tbs) : null;
        var revoked = new HashSet<string>(StringComparer.Ordinal);
        bool entryExtensions = false;
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnReader entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                AsnReader entry = entries.ReadSequence();
                revoked.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span).ToLowerInvariant().TrimStart('0'));
                _ = ReadTime(entry);
                entryExtensions |= entry.HasData;
            }
        }

        byte[] aki = [];
        if (tbs.HasData)
        {
            AsnReader extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            while (extensions.HasData)
            {
                AsnReader ext = extensions.ReadSequence();
                string oid = ext.ReadObjectIdentifier();
                if (ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    _ = ext.ReadBoolean();
                }

                byte[] value = ext.ReadOctetString();
                if (oid == "2.5.29.35")
                {
                    AsnReader akiSeq = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                    if (akiSeq.HasData && akiSeq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        aki = akiSeq.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                    }
                }
            }
        }

        return new CrlInfo(aki, thisUpdate, nextUpdate, revoked, entryExtensions, issuer);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>Serial as lower-case hex without leading zeros (the form used in CRL lookups).</summary>
    public static string SerialKey(X509Certificate2 certificate) => certificate.SerialNumber.ToLowerInvariant().TrimStart('0');
}
