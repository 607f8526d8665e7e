using System.Security.Cryptography;
using Doppel.Mdoc.Cbor;
using Doppel.Mdoc.Cose;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Iso;

/// <summary>One data element to be issued: identifier and CBOR value (domain reference §5.2).</summary>
internal readonly record struct DataElement(string Identifier, CborValue Value);

/// <summary>Builders for the ISO 18013-5 CBOR structures (domain reference §5.3–§5.6).</summary>
internal static class MdocStructures
{
    /// <summary>
    /// IssuerSignedItemBytes = #6.24(bstr .cbor {digestID, random, elementIdentifier, elementValue}),
    /// returned frozen so that the bytes hashed into the MSO are the bytes written out.
    /// </summary>
    public static CborTag IssuerSignedItemBytes(long digestId, byte[] random, DataElement element, CborEncodeOptions encoding)
    {
        var item = new CborMap(keepOrder: true)
        {
            { "digestID", digestId },
            { "random", random },
            { "elementIdentifier", element.Identifier },
            { "elementValue", element.Value },
        };
        return CborValue.Freeze(CborTag.Embed(item, encoding), encoding);
    }

    /// <summary>The value digest: the hash of the complete tag-24 encoding (D8 18 …), §5.3.</summary>
    public static byte[] ValueDigest(CborValue issuerSignedItemBytes, string digestAlgorithm)
    {
        var bytes = issuerSignedItemBytes.Encoded.IsEmpty ? CborEncoder.Encode(issuerSignedItemBytes) : issuerSignedItemBytes.Encoded.ToArray();
        return digestAlgorithm switch
        {
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            _ => throw new NotSupportedException("Digest algorithm '" + digestAlgorithm + "' is not one of SHA-256, SHA-384, SHA-512."),
        };
    }

    /// <summary>A COSE_Key (RFC 9052 §7, EC2) for an MSO deviceKey: {1: 2, -1: crv, -2: x, -3: y}.</summary>
    public static CborMap CoseKey(DeterministicEcdsaKey key)
    {
        var crv = key.Curve.CoseAlgorithm switch
        {
            -7 => 1,
            -35 => 2,
            _ => 3,
        };
        return new CborMap
        {
            { 1, 2 },
            { -1, crv },
            { -2, key.QxBytes },
            { -3, key.QyBytes },
        };
    }

    /// <summary>The MSO (§5.4) with keys in Annex D order.</summary>
    public static CborMap MobileSecurityObject(
        string docType,
        string digestAlgorithm,
        IReadOnlyDictionary<string, IReadOnlyList<(long DigestId, byte[] Digest)>> digests,
        DeterministicEcdsaKey deviceKey,
        DateTimeOffset signed,
        DateTimeOffset validFrom,
        DateTimeOffset validUntil)
    {
        var valueDigests = new CborMap();
        foreach (var (ns, list) in digests)
        {
            var byId = new CborMap();
            foreach (var (id, digest) in list)
            {
                byId.Add(id, digest);
            }

            valueDigests.Add(ns, byId);
        }

        return new CborMap(keepOrder: true)
        {
            { "version", "1.0" },
            { "digestAlgorithm", digestAlgorithm },
            { "valueDigests", valueDigests },
            { "deviceKeyInfo", new CborMap { { "deviceKey", CoseKey(deviceKey) } } },
            { "docType", docType },
            {
                "validityInfo", new CborMap(keepOrder: true)
                {
                    { "signed", CborTag.DateTime(signed) },
                    { "validFrom", CborTag.DateTime(validFrom) },
                    { "validUntil", CborTag.DateTime(validUntil) },
                }
            },
        };
    }

    /// <summary>IssuerSigned = {"nameSpaces": {+ ns => [+ IssuerSignedItemBytes]}, "issuerAuth": COSE_Sign1}.</summary>
    public static CborMap IssuerSigned(IReadOnlyDictionary<string, IReadOnlyList<CborValue>> items, CborArray issuerAuth)
    {
        var nameSpaces = new CborMap();
        foreach (var (ns, list) in items)
        {
            nameSpaces.Add(ns, new CborArray(list));
        }

        return new CborMap(keepOrder: true)
        {
            { "nameSpaces", nameSpaces },
            { "issuerAuth", issuerAuth },
        };
    }

    /// <summary>
    /// The Doppel SessionTranscript: <c>[null, null, ["DoppelHandover", id, nonce]]</c>. There is no
    /// real engagement, so DeviceEngagementBytes and EReaderKeyBytes are null (as in the 18013-7
    /// online presentment transcripts) and the handover binds the credential id and a 16-byte
    /// nonce from the seed. It is written next to each DeviceResponse.
    /// </summary>
    public static CborArray SessionTranscript(string credentialId, byte[] nonce) =>
    [
        CborValue.Null,
        CborValue.Null,
        new CborArray { "DoppelHandover", credentialId, nonce },
    ];

    /// <summary>DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes]).</summary>
    public static byte[] DeviceAuthenticationBytes(CborValue sessionTranscript, string docType, CborValue deviceNameSpacesBytes, CborEncodeOptions encoding)
    {
        var deviceAuthentication = new CborArray { "DeviceAuthentication", sessionTranscript, docType, deviceNameSpacesBytes };
        return CborEncoder.Encode(CborTag.Embed(deviceAuthentication, encoding), encoding);
    }

    /// <summary>DeviceSigned with an empty device namespace map and a detached ES256 deviceSignature.</summary>
    public static CborMap DeviceSigned(DeterministicEcdsaKey deviceKey, CborValue sessionTranscript, string docType, CborEncodeOptions encoding)
    {
        var deviceNameSpacesBytes = CborValue.Freeze(CborTag.Embed(new CborMap(), encoding), encoding);
        var toSign = DeviceAuthenticationBytes(sessionTranscript, docType, deviceNameSpacesBytes, encoding);
        var signature = CoseSign1.Sign(deviceKey, toSign, detached: true, x5chain: null);
        return new CborMap(keepOrder: true)
        {
            { "nameSpaces", deviceNameSpacesBytes },
            { "deviceAuth", new CborMap { { "deviceSignature", signature } } },
        };
    }

    /// <summary>DeviceResponse = {"version": "1.0", "documents": [Document], "status": 0} (§5.6).</summary>
    public static CborMap DeviceResponse(string docType, CborMap issuerSigned, CborMap deviceSigned) => new(keepOrder: true)
    {
        { "version", "1.0" },
        {
            "documents", new CborArray
            {
                new CborMap(keepOrder: true)
                {
                    { "docType", docType },
                    { "issuerSigned", issuerSigned },
                    { "deviceSigned", deviceSigned },
                },
            }
        },
        { "status", 0 },
    };
}
