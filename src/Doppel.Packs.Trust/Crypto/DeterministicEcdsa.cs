using System.Numerics;
using System.Security.Cryptography;

namespace Doppel.Packs.Trust.Crypto;

/// <summary>
/// ECDSA with a private key derived from the seed and deterministic nonces (RFC 6979 §3.2), so the
/// same seed gives byte-identical certificates, CRLs and CMS objects. The platform (OpenSSL) does
/// the point multiplications: the public key is computed from an imported D, and the nonce point
/// k·G is obtained the same way (import k as a throwaway private key and read its public point).
/// </summary>
internal sealed class DeterministicEcdsa : ECDsa
{
    private readonly ECDsa _inner;
    private readonly ECCurve _curve;
    private readonly BigInteger _n;
    private readonly BigInteger _d;
    private readonly byte[] _dBytes;
    private readonly int _qlen;
    private readonly int _rlen;

    public DeterministicEcdsa(ECCurve curve, byte[] privateKey)
    {
        _curve = curve;
        _inner = Create();
        _inner.ImportParameters(new ECParameters { Curve = curve, D = privateKey });
        ECParameters explicitParameters = _inner.ExportExplicitParameters(false);
        _n = new BigInteger(explicitParameters.Curve.Order, isUnsigned: true, isBigEndian: true);
        _qlen = (int)_n.GetBitLength();
        _rlen = (_qlen + 7) / 8;
        _dBytes = privateKey;
        _d = new BigInteger(privateKey, isUnsigned: true, isBigEndian: true);
        KeySizeValue = _inner.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>Derives a valid private scalar in [1, n−1] from seed material (reduction bias &lt; 2^-64: 8 extra bytes).</summary>
    public static byte[] DerivePrivateKey(ECCurve curve, ReadOnlySpan<byte> material)
    {
        BigInteger n = CurveOrder(curve);
        int rlen = ((int)n.GetBitLength() + 7) / 8;
        var x = new BigInteger(material, isUnsigned: true, isBigEndian: true);
        BigInteger d = (x % (n - 1)) + 1;
        return ToFixed(d, rlen);
    }

    public static int MaterialLength(ECCurve curve) => (((int)CurveOrder(curve).GetBitLength() + 7) / 8) + 8;

    private static readonly Dictionary<string, BigInteger> Orders = new(StringComparer.Ordinal);

    private static BigInteger CurveOrder(ECCurve curve)
    {
        string key = curve.Oid.Value ?? curve.Oid.FriendlyName ?? "?";
        lock (Orders)
        {
            if (!Orders.TryGetValue(key, out BigInteger n))
            {
                using ECDsa probe = Create(curve);
                n = new BigInteger(probe.ExportExplicitParameters(false).Curve.Order, isUnsigned: true, isBigEndian: true);
                Orders[key] = n;
            }

            return n;
        }
    }

    public ECCurve Curve => _curve;

    public override ECParameters ExportParameters(bool includePrivateParameters) => _inner.ExportParameters(includePrivateParameters);

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) => _inner.ExportExplicitParameters(includePrivateParameters);

    public override void ImportParameters(ECParameters parameters) => throw new NotSupportedException("Deterministic keys are fixed at construction.");

    public override bool VerifyHash(byte[] hash, byte[] signature) => _inner.VerifyHash(hash, signature);

    public override byte[] SignHash(byte[] hash)
    {
        // RFC 6979 §3.2 with HMAC over the hash function that produced the digest (SHA-256/384/512 by length).
        Func<byte[], byte[], byte[]> hmac = hash.Length switch
        {
            <= 32 => HMACSHA256.HashData,
            <= 48 => HMACSHA384.HashData,
            _ => HMACSHA512.HashData,
        };
        int hlen = hash.Length <= 32 ? 32 : hash.Length <= 48 ? 48 : 64;
        BigInteger e = Bits2Int(hash);
        byte[] h1 = ToFixed(e % _n, _rlen);

        byte[] v = Enumerable.Repeat((byte)1, hlen).ToArray();
        byte[] k = new byte[hlen];
        k = hmac(k, [.. v, 0, .. _dBytes, .. h1]);
        v = hmac(k, v);
        k = hmac(k, [.. v, 1, .. _dBytes, .. h1]);
        v = hmac(k, v);

        while (true)
        {
            var t = new List<byte>(_rlen + hlen);
            while (t.Count < _rlen)
            {
                v = hmac(k, v);
                t.AddRange(v);
            }

            BigInteger candidate = Bits2Int(t.ToArray());
            if (candidate >= 1 && candidate < _n && TrySign(candidate, e, out byte[] signature))
            {
                return signature;
            }

            k = hmac(k, [.. v, 0]);
            v = hmac(k, v);
        }
    }

    private bool TrySign(BigInteger k, BigInteger e, out byte[] signature)
    {
        signature = [];
        using ECDsa ephemeral = Create();
        ephemeral.ImportParameters(new ECParameters { Curve = _curve, D = ToFixed(k, _rlen) });
        byte[] x = ephemeral.ExportParameters(false).Q.X!;
        BigInteger r = new BigInteger(x, isUnsigned: true, isBigEndian: true) % _n;
        if (r.IsZero)
        {
            return false;
        }

        BigInteger kInverse = BigInteger.ModPow(k, _n - 2, _n); // n is prime
        BigInteger s = kInverse * ((e + (r * _d)) % _n) % _n;
        if (s.IsZero)
        {
            return false;
        }

        signature = [.. ToFixed(r, _rlen), .. ToFixed(s, _rlen)];
        return true;
    }

    private BigInteger Bits2Int(byte[] bits)
    {
        var value = new BigInteger(bits, isUnsigned: true, isBigEndian: true);
        int blen = bits.Length * 8;
        return blen > _qlen ? value >> (blen - _qlen) : value;
    }

    internal static byte[] ToFixed(BigInteger value, int length)
    {
        byte[] raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (raw.Length == length)
        {
            return raw;
        }

        byte[] fixedBytes = new byte[length];
        raw.CopyTo(fixedBytes, length - raw.Length);
        return fixedBytes;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
