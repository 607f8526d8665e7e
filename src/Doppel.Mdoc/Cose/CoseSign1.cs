using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Mdoc.Cbor;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Cose;

/// <summary>COSE algorithm and header label numbers used by ISO 18013-5 (RFC 9052/9053, RFC 9360).</summary>
public static class CoseLabels
{
    /// <summary>Header label 1: alg.</summary>
    public const long Algorithm = 1;

    /// <summary>Header label 33: x5chain (RFC 9360 §2): one DER certificate as bstr, or an array of them.</summary>
    public const long X5Chain = 33;

    /// <summary>ECDSA P-256 with SHA-256.</summary>
    public const long ES256 = -7;

    /// <summary>ECDSA P-384 with SHA-384.</summary>
    public const long ES384 = -35;

    /// <summary>ECDSA P-521 with SHA-512.</summary>
    public const long ES512 = -36;

    /// <summary>The COSE name of an algorithm identifier (ES256, ES384, ES512).</summary>
    public static string AlgorithmName(long alg) => alg switch
    {
        ES256 => "ES256",
        ES384 => "ES384",
        ES512 => "ES512",
        _ => "alg " + alg.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// A decoded COSE_Sign1 (RFC 9052 §4.2): <c>[protected: bstr, unprotected: map, payload: bstr / nil, signature: bstr]</c>,
/// tagged with 18 or untagged (ISO 18013-5 uses the untagged form).
/// </summary>
public sealed class CoseSign1Message
{
    private CoseSign1Message(ReadOnlyMemory<byte> protectedBytes, CborMap protectedHeader, CborMap unprotectedHeader, ReadOnlyMemory<byte>? payload, ReadOnlyMemory<byte> signature)
    {
        ProtectedBytes = protectedBytes;
        ProtectedHeader = protectedHeader;
        UnprotectedHeader = unprotectedHeader;
        Payload = payload;
        Signature = signature;
    }

    /// <summary>The protected header exactly as serialized (signed over as is).</summary>
    public ReadOnlyMemory<byte> ProtectedBytes { get; }

    /// <summary>The decoded protected header map.</summary>
    public CborMap ProtectedHeader { get; }

    /// <summary>The unprotected header map.</summary>
    public CborMap UnprotectedHeader { get; }

    /// <summary>The payload, or null when detached (ISO 18013-5 deviceSignature).</summary>
    public ReadOnlyMemory<byte>? Payload { get; }

    /// <summary>The raw r||s signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The alg header (protected first, then unprotected), or null when absent.</summary>
    public long? Algorithm =>
        ProtectedHeader.TryGetValue(CoseLabels.Algorithm, out var a) || UnprotectedHeader.TryGetValue(CoseLabels.Algorithm, out a)
            ? a.AsInt64("COSE alg")
            : null;

    /// <summary>Decodes a COSE_Sign1 from its CBOR value.</summary>
    /// <exception cref="CborException">The value is not a COSE_Sign1.</exception>
    public static CoseSign1Message Decode(CborValue value)
    {
        if (value is CborTag { Tag: CborTag.CoseSign1 } tagged)
        {
            value = tagged.Content;
        }

        var array = value.AsArray("COSE_Sign1");
        if (array.Count != 4)
        {
            throw new CborException($"COSE_Sign1: expected 4 elements, found {array.Count}");
        }

        var protectedBytes = array[0].AsBytes("COSE_Sign1 protected header");
        var protectedHeader = protectedBytes.Length == 0 ? new CborMap() : CborDecoder.Decode(protectedBytes).AsMap("COSE_Sign1 protected header");
        var unprotected = array[1].AsMap("COSE_Sign1 unprotected header");
        var payload = array[2] is CborSimple { IsNull: true } ? (ReadOnlyMemory<byte>?)null : array[2].AsBytes("COSE_Sign1 payload");
        var signature = array[3].AsBytes("COSE_Sign1 signature");
        return new CoseSign1Message(protectedBytes, protectedHeader, unprotected, payload, signature);
    }

    /// <summary>The x5chain certificates (label 33), leaf first; empty when absent.</summary>
    public IReadOnlyList<X509Certificate2> GetX5Chain()
    {
        if (!UnprotectedHeader.TryGetValue(CoseLabels.X5Chain, out var chain) && !ProtectedHeader.TryGetValue(CoseLabels.X5Chain, out chain))
        {
            return [];
        }

        var ders = chain is CborArray array ? array.Select(c => c.AsBytes("x5chain entry")).ToList() : [chain.AsBytes("x5chain")];
        return ders.Select(d => X509CertificateLoader.LoadCertificate(d.Span)).ToList();
    }

    /// <summary>
    /// Verifies the signature with <paramref name="publicKey"/>. For a detached payload pass it in
    /// <paramref name="detachedPayload"/>. Returns false for a wrong key, a bad signature or an
    /// algorithm that does not match the key's curve.
    /// </summary>
    public bool Verify(ECDsa publicKey, ReadOnlySpan<byte> detachedPayload = default, ReadOnlySpan<byte> externalAad = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var alg = Algorithm ?? 0;
        EcCurve curve;
        try
        {
            curve = EcCurve.FromCoseAlgorithm(alg);
        }
        catch (NotSupportedException)
        {
            return false;
        }

        if (publicKey.KeySize != curve.Bits || Signature.Length != 2 * curve.ByteLength)
        {
            return false;
        }

        var payload = Payload.HasValue ? Payload.Value.Span : detachedPayload;
        var toBeSigned = CoseSign1.SigStructure(ProtectedBytes.Span, externalAad, payload);
        return publicKey.VerifyData(toBeSigned, Signature.Span, curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}

/// <summary>Builds COSE_Sign1 structures with deterministic ECDSA.</summary>
internal static class CoseSign1
{
    /// <summary>Sig_structure = ["Signature1", body_protected, external_aad, payload] (RFC 9052 §4.4).</summary>
    public static byte[] SigStructure(ReadOnlySpan<byte> protectedBytes, ReadOnlySpan<byte> externalAad, ReadOnlySpan<byte> payload)
    {
        var structure = new CborArray
        {
            "Signature1",
            protectedBytes.ToArray(),
            externalAad.ToArray(),
            payload.ToArray(),
        };
        return CborEncoder.Encode(structure);
    }

    /// <summary>The protected header {1: alg} as its bstr contents (e.g. a10126 for ES256).</summary>
    public static byte[] ProtectedHeader(EcCurve curve) => CborEncoder.Encode(new CborMap { { CoseLabels.Algorithm, curve.CoseAlgorithm } });

    /// <summary>
    /// Signs <paramref name="payload"/>; with <paramref name="detached"/> the payload slot is nil and
    /// the verifier must supply the payload (ISO 18013-5 DeviceAuthentication). <paramref name="x5chain"/>
    /// goes in the unprotected header (label 33): one certificate as bstr, several as an array.
    /// </summary>
    public static CborArray Sign(DeterministicEcdsaKey key, ReadOnlySpan<byte> payload, bool detached, IReadOnlyList<byte[]>? x5chain)
    {
        var protectedBytes = ProtectedHeader(key.Curve);
        var unprotected = new CborMap();
        if (x5chain is { Count: > 0 })
        {
            unprotected.Add(CoseLabels.X5Chain, x5chain.Count == 1 ? x5chain[0] : new CborArray(x5chain.Select(c => (CborValue)c)));
        }

        var signature = key.SignData(SigStructure(protectedBytes, [], payload));
        return
        [
            protectedBytes,
            unprotected,
            detached ? CborValue.Null : payload.ToArray(),
            signature,
        ];
    }
}
