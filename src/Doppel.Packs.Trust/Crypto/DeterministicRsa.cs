using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;

namespace Doppel.Packs.Trust.Crypto;

/// <summary>
/// RSA with a key generated deterministically from seed material (our own prime search) and
/// deterministic RSASSA-PSS: the salt is HMAC(modulus, message hash) instead of random bytes, so
/// PSS signatures are reproducible too. PKCS#1 v1.5 is deterministic by construction and is
/// delegated to the platform.
/// </summary>
internal sealed class DeterministicRsa : RSA
{
    private const int PublicExponent = 65537;
    private static readonly int[] SmallPrimes = BuildSmallPrimes(4000);

    private readonly RSA _inner;
    private readonly RSAParameters _parameters;

    private DeterministicRsa(RSAParameters parameters)
    {
        _parameters = parameters;
        _inner = Create();
        _inner.ImportParameters(parameters);
        KeySizeValue = _inner.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    // Prime search costs ~1 s per 2048-bit key in managed BigInteger code; the key is a pure function of
    // (seed, label, bits), so memoising it per process is safe (reruns, rsa vs rsa-pss, DTC holders).
    private static readonly ConcurrentDictionary<string, Lazy<RSAParameters>> Cache = new(StringComparer.Ordinal);

    /// <summary>Generates (or returns the memoised) <paramref name="bits"/>-bit key whose primes come from a seeded stream.</summary>
    public static DeterministicRsa Generate(long seed, string label, int bits) =>
        new(Cache.GetOrAdd(FormattableString.Invariant($"{seed}/{bits}/{label}"), _ => new Lazy<RSAParameters>(() => GenerateParameters(seed, label, bits))).Value);

    /// <summary>Generates the key without the cache (for tests of determinism).</summary>
    internal static RSAParameters GenerateParameters(long seed, string label, int bits)
    {
        int half = bits / 2;
        BigInteger e = PublicExponent;
        while (true)
        {
            BigInteger p = FindPrime(seed, label + "/p", half, e);
            BigInteger q = FindPrime(seed, label + "/q", half, e);
            if (p == q)
            {
                label += "'";
                continue;
            }

            if (p < q)
            {
                (p, q) = (q, p);
            }

            BigInteger n = p * q;
            if (n.GetBitLength() != bits)
            {
                label += "'";
                continue;
            }

            BigInteger phi = (p - 1) * (q - 1);
            BigInteger d = ModInverse(e, phi);
            int k = bits / 8;
            var parameters = new RSAParameters
            {
                Modulus = DeterministicEcdsa.ToFixed(n, k),
                Exponent = e.ToByteArray(isUnsigned: true, isBigEndian: true),
                D = DeterministicEcdsa.ToFixed(d, k),
                P = DeterministicEcdsa.ToFixed(p, k / 2),
                Q = DeterministicEcdsa.ToFixed(q, k / 2),
                DP = DeterministicEcdsa.ToFixed(d % (p - 1), k / 2),
                DQ = DeterministicEcdsa.ToFixed(d % (q - 1), k / 2),
                InverseQ = DeterministicEcdsa.ToFixed(ModInverse(q, p), k / 2),
            };
            return parameters;
        }
    }

    private static BigInteger FindPrime(long seed, string label, int bits, BigInteger e)
    {
        for (int attempt = 0; ; attempt++)
        {
            byte[] bytes = Seeds.Derive(seed, label, attempt, bits / 8);
            bytes[0] |= 0xC0; // top two bits set: p·q has exactly 2·bits bits
            bytes[^1] |= 1;
            var start = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            var rng = Rng.For(seed, label + "/mr", attempt);

            // Sieve a window of odd candidates start, start+2, … by small primes, then Miller–Rabin.
            const int window = 4096;
            bool[] composite = new bool[window];
            foreach (int sp in SmallPrimes)
            {
                int r = (int)(start % sp);
                // offset o (candidate = start + 2o) divisible by sp when 2o ≡ -r (mod sp)
                int inv2 = (sp + 1) / 2;
                int o = (int)((long)(sp - r) % sp * inv2 % sp);
                for (; o < window; o += sp)
                {
                    composite[o] = true;
                }
            }

            for (int o = 0; o < window; o++)
            {
                if (composite[o])
                {
                    continue;
                }

                BigInteger candidate = start + (2 * o);
                if (candidate.GetBitLength() != bits || BigInteger.GreatestCommonDivisor(candidate - 1, e) != 1)
                {
                    continue;
                }

                if (IsProbablePrime(candidate, 6, ref rng)) // FIPS 186-4 Table C.2: 5 rounds for 1024-bit factors
                {
                    return candidate;
                }
            }
        }
    }

    private static bool IsProbablePrime(BigInteger n, int rounds, ref Rng rng)
    {
        BigInteger d = n - 1;
        int s = 0;
        while (d.IsEven)
        {
            d >>= 1;
            s++;
        }

        byte[] buffer = new byte[n.GetByteCount(isUnsigned: true)];
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < buffer.Length; i += 8)
            {
                ulong v = rng.NextUInt64();
                for (int j = 0; j < 8 && i + j < buffer.Length; j++)
                {
                    buffer[i + j] = (byte)(v >> (8 * j));
                }
            }

            BigInteger a = (new BigInteger(buffer, isUnsigned: true) % (n - 3)) + 2;
            BigInteger x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1)
            {
                continue;
            }

            bool witness = true;
            for (int r = 1; r < s; r++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1)
                {
                    witness = false;
                    break;
                }
            }

            if (witness)
            {
                return false;
            }
        }

        return true;
    }

    private static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        BigInteger oldR = a % m, r = m, oldS = 1, s = 0;
        while (!r.IsZero)
        {
            BigInteger quotient = oldR / r;
            (oldR, r) = (r, oldR - (quotient * r));
            (oldS, s) = (s, oldS - (quotient * s));
        }

        return ((oldS % m) + m) % m;
    }

    private static int[] BuildSmallPrimes(int limit)
    {
        var sieve = new bool[limit];
        var primes = new List<int>();
        for (int i = 3; i < limit; i += 2)
        {
            if (!sieve[i])
            {
                primes.Add(i);
                for (long j = (long)i * i; j < limit; j += 2L * i)
                {
                    sieve[j] = true;
                }
            }
        }

        return [.. primes];
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters) => _inner.ExportParameters(includePrivateParameters);

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException("Deterministic keys are fixed at construction.");

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _inner.VerifyHash(hash, signature, hashAlgorithm, padding);

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        if (padding.Mode == RSASignaturePaddingMode.Pkcs1)
        {
            // Passports are signed in parallel with one DS key; don't rely on the platform object being thread-safe.
            lock (_inner)
            {
                return _inner.SignHash(hash, hashAlgorithm, padding);
            }
        }

        return SignPss(hash, hashAlgorithm);
    }

    /// <summary>EMSA-PSS encoding (RFC 8017 §9.1.1) with sLen = hLen and a deterministic salt, then RSASP1 with CRT.</summary>
    private byte[] SignPss(byte[] mHash, HashAlgorithmName hashAlgorithm)
    {
        int hLen = mHash.Length;
        int modBits = KeySize;
        int emBits = modBits - 1;
        int emLen = (emBits + 7) / 8;
        byte[] salt = Hmac(hashAlgorithm, _parameters.Modulus!, mHash);

        byte[] mPrime = [.. new byte[8], .. mHash, .. salt];
        byte[] h = Hash(hashAlgorithm, mPrime);
        byte[] db = new byte[emLen - hLen - 1];
        db[emLen - hLen - hLen - 2] = 0x01;
        salt.CopyTo(db, db.Length - hLen);
        byte[] mask = Mgf1(hashAlgorithm, h, db.Length);
        for (int i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> ((8 * emLen) - emBits));
        byte[] em = [.. db, .. h, 0xBC];

        var m = new BigInteger(em, isUnsigned: true, isBigEndian: true);
        var p = new BigInteger(_parameters.P, isUnsigned: true, isBigEndian: true);
        var q = new BigInteger(_parameters.Q, isUnsigned: true, isBigEndian: true);
        var dp = new BigInteger(_parameters.DP, isUnsigned: true, isBigEndian: true);
        var dq = new BigInteger(_parameters.DQ, isUnsigned: true, isBigEndian: true);
        var qInv = new BigInteger(_parameters.InverseQ, isUnsigned: true, isBigEndian: true);
        BigInteger s1 = BigInteger.ModPow(m, dp, p);
        BigInteger s2 = BigInteger.ModPow(m, dq, q);
        BigInteger hh = (qInv * (((s1 - s2) % p) + p)) % p;
        BigInteger s = s2 + (hh * q);
        return DeterministicEcdsa.ToFixed(s, _parameters.Modulus!.Length);
    }

    private static byte[] Mgf1(HashAlgorithmName hashAlgorithm, byte[] seed, int length)
    {
        var output = new List<byte>(length + 64);
        byte[] input = new byte[seed.Length + 4];
        seed.CopyTo(input, 0);
        for (int counter = 0; output.Count < length; counter++)
        {
            input[^4] = (byte)(counter >> 24);
            input[^3] = (byte)(counter >> 16);
            input[^2] = (byte)(counter >> 8);
            input[^1] = (byte)counter;
            output.AddRange(Hash(hashAlgorithm, input));
        }

        return output.GetRange(0, length).ToArray();
    }

    private static byte[] Hash(HashAlgorithmName name, byte[] data) =>
        name == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : name == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);

    private static byte[] Hmac(HashAlgorithmName name, byte[] key, byte[] data) =>
        name == HashAlgorithmName.SHA384 ? HMACSHA384.HashData(key, data) : name == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
