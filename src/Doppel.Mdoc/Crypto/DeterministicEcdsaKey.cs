using System.Numerics;
using System.Security.Cryptography;

namespace Doppel.Mdoc.Crypto;

/// <summary>
/// An ECDSA private key derived from seed material that signs with RFC 6979 deterministic
/// nonces, so the same key and message always give the same signature (and the generator's
/// output is byte-identical across runs). Signatures are IEEE P1363 r||s, the COSE format
/// (RFC 9053 §2.1) and .NET's <c>ECDsa.SignData</c> default.
/// </summary>
internal sealed class DeterministicEcdsaKey
{
    private readonly byte[] _dBytes;

    private DeterministicEcdsaKey(EcCurve curve, BigInteger d)
    {
        Curve = curve;
        D = d;
        _dBytes = ToFixed(d, curve.ByteLength);
        Q = curve.MultiplyBase(d);
    }

    public EcCurve Curve { get; }

    public BigInteger D { get; }

    public EcCurve.AffinePoint Q { get; }

    /// <summary>Public key x coordinate, big-endian, curve-sized.</summary>
    public byte[] QxBytes => ToFixed(Q.X, Curve.ByteLength);

    /// <summary>Public key y coordinate, big-endian, curve-sized.</summary>
    public byte[] QyBytes => ToFixed(Q.Y, Curve.ByteLength);

    /// <summary>Creates a key from a private scalar (must be in [1, n-1]).</summary>
    public static DeterministicEcdsaKey FromScalar(EcCurve curve, BigInteger d)
    {
        if (d.Sign <= 0 || d >= curve.N)
        {
            throw new ArgumentOutOfRangeException(nameof(d), "The private scalar must be in [1, n-1].");
        }

        return new DeterministicEcdsaKey(curve, d);
    }

    /// <summary>
    /// Derives a key from seed material: d = (HKDF-SHA-256(ikm, info = label) as an integer of
    /// 64 bits more than n, for negligible bias) mod (n - 1) + 1 (FIPS 186-4 B.4.1 shape).
    /// </summary>
    public static DeterministicEcdsaKey Derive(EcCurve curve, ReadOnlySpan<byte> seedMaterial, string label)
    {
        var bytes = SeedKdf.Expand(seedMaterial, "ecdsa-key/" + curve.Name + "/" + label, curve.ByteLength + 8);
        var c = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return new DeterministicEcdsaKey(curve, (c % (curve.N - 1)) + 1);
    }

    /// <summary>The key as .NET parameters (with or without the private part).</summary>
    public ECParameters ToParameters(bool includePrivate) => new()
    {
        Curve = Curve.DotNetCurve,
        Q = new ECPoint { X = QxBytes, Y = QyBytes },
        D = includePrivate ? (byte[])_dBytes.Clone() : null,
    };

    /// <summary>A .NET ECDsa holding only the public key (for verification and certificate requests).</summary>
    public ECDsa CreatePublicECDsa() => ECDsa.Create(ToParameters(includePrivate: false));

    /// <summary>Hashes <paramref name="data"/> with the curve's COSE hash and signs it deterministically.</summary>
    public byte[] SignData(ReadOnlySpan<byte> data) => SignData(data, Curve.Hash);

    /// <summary>Hashes <paramref name="data"/> with <paramref name="hash"/> and signs it deterministically (r||s).</summary>
    public byte[] SignData(ReadOnlySpan<byte> data, HashAlgorithmName hash)
    {
        Span<byte> digest = stackalloc byte[64];
        var length = CryptographicOperations.HashData(hash, data, digest);
        return SignHash(digest[..length], hash);
    }

    /// <summary>ECDSA over a precomputed hash with the RFC 6979 §3.2 nonce; the HMAC uses <paramref name="hash"/>.</summary>
    public byte[] SignHash(ReadOnlySpan<byte> h1, HashAlgorithmName hash)
    {
        var n = Curve.N;
        var e = Bits2Int(h1);
        foreach (var k in Rfc6979Nonces(h1, hash))
        {
            var r = Curve.MultiplyBase(k).X % n;
            if (r.IsZero)
            {
                continue;
            }

            var kInv = Curve.InvertScalar(k);
            var s = kInv * (e + (r * D)) % n;
            if (s.IsZero)
            {
                continue;
            }

            var signature = new byte[2 * Curve.ByteLength];
            WriteFixed(r, signature.AsSpan(0, Curve.ByteLength));
            WriteFixed(s, signature.AsSpan(Curve.ByteLength));
            return signature;
        }

        throw new CryptographicException("unreachable: the RFC 6979 nonce stream is infinite");
    }

    /// <summary>The RFC 6979 §3.2 candidate nonces k (steps a–h), in order.</summary>
    internal IEnumerable<BigInteger> Rfc6979Nonces(byte[] h1, HashAlgorithmName hash)
    {
        var hlen = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
        var rlen = Curve.ByteLength;
        var v = new byte[hlen];
        var k = new byte[hlen];
        Array.Fill(v, (byte)0x01);

        // int2octets(x) || bits2octets(h1), both rlen bytes.
        var material = new byte[2 * rlen];
        _dBytes.CopyTo(material, 0);
        WriteFixed(Bits2Int(h1) % Curve.N, material.AsSpan(rlen));

        k = HmacConcat(hash, k, v, 0x00, material);
        v = HMAC(hash, k, v);
        k = HmacConcat(hash, k, v, 0x01, material);
        v = HMAC(hash, k, v);

        while (true)
        {
            var t = new byte[((Curve.Bits + (hlen * 8) - 1) / (hlen * 8)) * hlen];
            for (var off = 0; off < t.Length; off += hlen)
            {
                v = HMAC(hash, k, v);
                v.CopyTo(t, off);
            }

            var candidate = Bits2Int(t);
            if (candidate.Sign > 0 && candidate < Curve.N)
            {
                yield return candidate;
            }

            k = HmacConcat(hash, k, v, 0x00, []);
            v = HMAC(hash, k, v);
        }
    }

    private IEnumerable<BigInteger> Rfc6979Nonces(ReadOnlySpan<byte> h1, HashAlgorithmName hash) => Rfc6979Nonces(h1.ToArray(), hash);

    /// <summary>RFC 6979 §2.3.2: the leftmost qlen bits of the input as an integer.</summary>
    private BigInteger Bits2Int(ReadOnlySpan<byte> input)
    {
        var x = new BigInteger(input, isUnsigned: true, isBigEndian: true);
        var blen = input.Length * 8;
        return blen > Curve.Bits ? x >> (blen - Curve.Bits) : x;
    }

    private static byte[] HMAC(HashAlgorithmName hash, byte[] key, byte[] data) =>
        CryptographicOperations.HmacData(hash, key, data);

    private static byte[] HmacConcat(HashAlgorithmName hash, byte[] key, byte[] v, byte separator, byte[] material)
    {
        var buffer = new byte[v.Length + 1 + material.Length];
        v.CopyTo(buffer, 0);
        buffer[v.Length] = separator;
        material.CopyTo(buffer, v.Length + 1);
        return HMAC(hash, key, buffer);
    }

    internal static byte[] ToFixed(BigInteger value, int length)
    {
        var result = new byte[length];
        WriteFixed(value, result);
        return result;
    }

    private static void WriteFixed(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var count = value.GetByteCount(isUnsigned: true);
        if (!value.TryWriteBytes(destination[(destination.Length - count)..], out _, isUnsigned: true, isBigEndian: true))
        {
            throw new CryptographicException("Integer does not fit its fixed-length encoding.");
        }
    }
}
