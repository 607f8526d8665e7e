using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Packs.Trust.Crypto;

/// <summary>
/// A deterministic key pair plus everything needed to sign certificates, CRLs and CMS with it.
/// EC public keys are published with explicit domain parameters, as Doc 9303-12 §4.1.6 requires
/// for CSCA and DS keys (domain reference §4.6) when <c>explicitEcParameters</c> is set, else with named curves.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private SigningKey(TrustAlgorithm algorithm, AsymmetricAlgorithm key, PublicKey publicKey)
    {
        Algorithm = algorithm;
        Key = key;
        PublicKey = publicKey;
    }

    public TrustAlgorithm Algorithm { get; }

    public AsymmetricAlgorithm Key { get; }

    public PublicKey PublicKey { get; }

    public HashAlgorithmName Hash => Algorithm is TrustAlgorithm.EcdsaP384 or TrustAlgorithm.BrainpoolP384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    public string HashOid => Hash == HashAlgorithmName.SHA384 ? "2.16.840.1.101.3.4.2.2" : "2.16.840.1.101.3.4.2.1";

    public RSASignaturePadding? RsaPadding => Algorithm switch
    {
        TrustAlgorithm.Rsa => RSASignaturePadding.Pkcs1,
        TrustAlgorithm.RsaPss => RSASignaturePadding.Pss,
        _ => null,
    };

    public X509SignatureGenerator Generator => Key is ECDsa ec
        ? X509SignatureGenerator.CreateForECDsa(ec)
        : X509SignatureGenerator.CreateForRSA((RSA)Key, RsaPadding!);

    /// <summary>Creates (deterministically) the key named by <paramref name="label"/> for <paramref name="seed"/>.</summary>
    public static SigningKey Create(long seed, string label, TrustAlgorithm algorithm, bool explicitEcParameters)
    {
        if (algorithm.IsRsa())
        {
            var rsa = DeterministicRsa.Generate(seed, "key/" + label, 2048);
            var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
            return new SigningKey(algorithm, rsa, publicKey);
        }

        ECCurve curve = CurveOf(algorithm);
        byte[] material = Seeds.Derive(seed, "key/" + label, 0, DeterministicEcdsa.MaterialLength(curve));
        var ecdsa = new DeterministicEcdsa(curve, DeterministicEcdsa.DerivePrivateKey(curve, material));
        byte[] spki = explicitEcParameters ? ExplicitSpki(ecdsa) : ecdsa.ExportSubjectPublicKeyInfo();
        return new SigningKey(algorithm, ecdsa, PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _));
    }

    public static ECCurve CurveOf(TrustAlgorithm algorithm) => algorithm switch
    {
        TrustAlgorithm.EcdsaP256 => ECCurve.NamedCurves.nistP256,
        TrustAlgorithm.EcdsaP384 => ECCurve.NamedCurves.nistP384,
        TrustAlgorithm.BrainpoolP256 => ECCurve.NamedCurves.brainpoolP256r1,
        TrustAlgorithm.BrainpoolP384 => ECCurve.NamedCurves.brainpoolP384r1,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an EC algorithm"),
    };

    /// <summary>A CMS signer for this key and its certificate, with the given signing time (no wall clock).</summary>
    public CmsSigner CmsSigner(X509Certificate2 certificate, SubjectIdentifierType sid, DateTimeOffset signingTime)
    {
        var signer = new CmsSigner(sid, certificate, Key)
        {
            DigestAlgorithm = new Oid(HashOid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        if (RsaPadding is { } padding)
        {
            signer.SignaturePadding = padding;
        }

        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        return signer;
    }

    /// <summary>
    /// SubjectPublicKeyInfo with specifiedCurve ECParameters (RFC 3279 §2.3.5): prime field, a, b, seed,
    /// uncompressed base point, order and cofactor.
    /// </summary>
    private static byte[] ExplicitSpki(ECDsa key)
    {
        ECParameters p = key.ExportExplicitParameters(false);
        ECCurve c = p.Curve;
        int fieldLength = c.Prime!.Length;
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("1.2.840.10045.2.1");
                using (w.PushSequence())
                {
                    w.WriteInteger(1);
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier("1.2.840.10045.1.1");
                        w.WriteIntegerUnsigned(c.Prime);
                    }

                    using (w.PushSequence())
                    {
                        w.WriteOctetString(Pad(c.A!, fieldLength));
                        w.WriteOctetString(Pad(c.B!, fieldLength));
                        if (c.Seed is { Length: > 0 } seed)
                        {
                            w.WriteBitString(seed);
                        }
                    }

                    w.WriteOctetString([0x04, .. Pad(c.G.X!, fieldLength), .. Pad(c.G.Y!, fieldLength)]);
                    w.WriteIntegerUnsigned(c.Order);
                    w.WriteIntegerUnsigned(c.Cofactor);
                }
            }

            w.WriteBitString([0x04, .. Pad(p.Q.X!, fieldLength), .. Pad(p.Q.Y!, fieldLength)]);
        }

        return w.Encode();
    }

    private static byte[] Pad(byte[] value, int length) => value.Length >= length ? value : [.. new byte[length - value.Length], .. value];

    public void Dispose() => Key.Dispose();
}
