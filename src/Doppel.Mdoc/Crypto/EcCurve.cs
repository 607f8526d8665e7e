using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Doppel.Mdoc.Crypto;

/// <summary>
/// A NIST prime curve y² = x³ - 3x + b (FIPS 186-4 D.1.2) with just enough arithmetic for
/// deterministic ECDSA signing: fixed-base scalar multiplication k·G. .NET cannot sign with a
/// caller-chosen nonce, so RFC 6979 signing is done here; verification stays with .NET/OpenSSL,
/// which doubles as an independent check of this code.
/// </summary>
/// <remarks>
/// Points are kept in Jacobian coordinates; k·G uses a 4-bit fixed-window comb: a table
/// T[i][j] = j·16^i·G in affine form, so one multiplication is one mixed addition per nibble
/// and a single field inversion. The table is built once per curve, lazily and thread-safely.
/// Not constant-time: these keys sign synthetic test data only.
/// </remarks>
internal sealed class EcCurve
{
    private readonly Lazy<AffinePoint[][]> _table;

    private EcCurve(string name, ECCurve dotnetCurve, int bits, string p, string b, string gx, string gy, string n, HashAlgorithmName hash, int coseAlg)
    {
        Name = name;
        DotNetCurve = dotnetCurve;
        Bits = bits;
        ByteLength = (bits + 7) / 8;
        P = Hex(p);
        B = Hex(b);
        G = new AffinePoint(Hex(gx), Hex(gy));
        N = Hex(n);
        Hash = hash;
        CoseAlgorithm = coseAlg;
        _table = new Lazy<AffinePoint[][]>(BuildTable, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>P-256 (secp256r1), used with SHA-256 as COSE ES256 (-7).</summary>
    public static EcCurve P256 { get; } = new(
        "P-256", ECCurve.NamedCurves.nistP256, 256,
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        HashAlgorithmName.SHA256, -7);

    /// <summary>P-384 (secp384r1), used with SHA-384 as COSE ES384 (-35).</summary>
    public static EcCurve P384 { get; } = new(
        "P-384", ECCurve.NamedCurves.nistP384, 384,
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        HashAlgorithmName.SHA384, -35);

    /// <summary>P-521 (secp521r1), used with SHA-512 as COSE ES512 (-36).</summary>
    public static EcCurve P521 { get; } = new(
        "P-521", ECCurve.NamedCurves.nistP521, 521,
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
        HashAlgorithmName.SHA512, -36);

    public string Name { get; }

    public ECCurve DotNetCurve { get; }

    /// <summary>Bit length of the group order n (qlen in RFC 6979).</summary>
    public int Bits { get; }

    /// <summary>Octet length of a field element or scalar (32, 48, 66).</summary>
    public int ByteLength { get; }

    public BigInteger P { get; }

    public BigInteger B { get; }

    public AffinePoint G { get; }

    public BigInteger N { get; }

    /// <summary>The hash paired with this curve in COSE (RFC 9053 §2.1).</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The COSE algorithm identifier (RFC 9053 §2.1).</summary>
    public int CoseAlgorithm { get; }

    public static EcCurve FromCoseAlgorithm(long alg) => alg switch
    {
        -7 => P256,
        -35 => P384,
        -36 => P521,
        _ => throw new NotSupportedException("COSE algorithm " + alg.ToString(CultureInfo.InvariantCulture) + " is not supported (ES256 -7, ES384 -35, ES512 -36)."),
    };

    /// <summary>Computes k·G in affine coordinates; k must be in [1, n-1].</summary>
    public AffinePoint MultiplyBase(BigInteger k)
    {
        var table = _table.Value;
        var acc = JacobianPoint.Infinity;
        var bytes = k.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (var i = 0; i < bytes.Length && i < table.Length; i++)
        {
            if (bytes[i] != 0)
            {
                acc = AddMixed(acc, table[i][bytes[i]]);
            }
        }

        return ToAffine(acc);
    }

    /// <summary>True when (x, y) satisfies the curve equation (used by tests and key import checks).</summary>
    public bool IsOnCurve(AffinePoint point)
    {
        var lhs = Mod(point.Y * point.Y);
        var rhs = Mod((point.X * point.X * point.X) - (3 * point.X) + B);
        return lhs == rhs;
    }

    private AffinePoint[][] BuildTable()
    {
        // Two batched normalizations (Montgomery's trick) keep this to two field inversions.
        var windows = (Bits + 7) / 8;
        var bases = new JacobianPoint[windows];
        var baseJ = new JacobianPoint(G.X, G.Y, BigInteger.One);
        for (var i = 0; i < windows; i++)
        {
            bases[i] = baseJ;
            for (var d = 0; d < 8; d++)
            {
                baseJ = Double(baseJ);
            }
        }

        var affineBases = BatchToAffine(bases);
        var multiples = new JacobianPoint[windows * 255];
        for (var i = 0; i < windows; i++)
        {
            var acc = JacobianPoint.Infinity;
            for (var j = 1; j < 256; j++)
            {
                acc = AddMixed(acc, affineBases[i]);
                multiples[(i * 255) + j - 1] = acc;
            }
        }

        var affine = BatchToAffine(multiples);
        var table = new AffinePoint[windows][];
        for (var i = 0; i < windows; i++)
        {
            table[i] = new AffinePoint[256];
            Array.Copy(affine, i * 255, table[i], 1, 255);
        }

        return table;
    }

    private AffinePoint[] BatchToAffine(JacobianPoint[] points)
    {
        var prefix = new BigInteger[points.Length];
        var running = BigInteger.One;
        for (var i = 0; i < points.Length; i++)
        {
            running = Mod(running * points[i].Z);
            prefix[i] = running;
        }

        var inverse = Invert(running, P);
        var result = new AffinePoint[points.Length];
        for (var i = points.Length - 1; i >= 0; i--)
        {
            var zInv = i == 0 ? inverse : Mod(inverse * prefix[i - 1]);
            inverse = Mod(inverse * points[i].Z);
            var zInv2 = Mod(zInv * zInv);
            result[i] = new AffinePoint(Mod(points[i].X * zInv2), Mod(points[i].Y * zInv2 * zInv));
        }

        return result;
    }

    private BigInteger Mod(BigInteger x)
    {
        var r = BigInteger.Remainder(x, P);
        return r.Sign < 0 ? r + P : r;
    }

    private JacobianPoint Double(JacobianPoint p)
    {
        if (p.IsInfinity || p.Y.IsZero)
        {
            return JacobianPoint.Infinity;
        }

        // dbl-2001-b for a = -3.
        var delta = Mod(p.Z * p.Z);
        var gamma = Mod(p.Y * p.Y);
        var beta = Mod(p.X * gamma);
        var alpha = Mod(3 * (p.X - delta) * (p.X + delta));
        var x3 = Mod((alpha * alpha) - (8 * beta));
        var yz = p.Y + p.Z;
        var z3 = Mod((yz * yz) - gamma - delta);
        var y3 = Mod((alpha * ((4 * beta) - x3)) - (8 * gamma * gamma));
        return new JacobianPoint(x3, y3, z3);
    }

    private JacobianPoint AddMixed(JacobianPoint p, AffinePoint q)
    {
        if (p.IsInfinity)
        {
            return new JacobianPoint(q.X, q.Y, BigInteger.One);
        }

        var z1z1 = Mod(p.Z * p.Z);
        var u2 = Mod(q.X * z1z1);
        var s2 = Mod(q.Y * p.Z * z1z1);
        var h = Mod(u2 - p.X);
        var r = Mod(s2 - p.Y);
        if (h.IsZero)
        {
            return r.IsZero ? Double(p) : JacobianPoint.Infinity;
        }

        var hh = Mod(h * h);
        var hhh = Mod(h * hh);
        var v = Mod(p.X * hh);
        var x3 = Mod((r * r) - hhh - (2 * v));
        var y3 = Mod((r * (v - x3)) - (p.Y * hhh));
        var z3 = Mod(p.Z * h);
        return new JacobianPoint(x3, y3, z3);
    }

    private AffinePoint ToAffine(JacobianPoint p)
    {
        if (p.IsInfinity)
        {
            throw new InvalidOperationException("The point at infinity has no affine form.");
        }

        var zInv = Invert(p.Z, P);
        var zInv2 = Mod(zInv * zInv);
        return new AffinePoint(Mod(p.X * zInv2), Mod(p.Y * zInv2 * zInv));
    }

    /// <summary>Modular inverse by the extended Euclidean algorithm (about 10x faster than ModPow here).</summary>
    internal static BigInteger Invert(BigInteger value, BigInteger modulus)
    {
        BigInteger t = BigInteger.Zero, newT = BigInteger.One, r = modulus, newR = BigInteger.Remainder(value, modulus);
        if (newR.Sign < 0)
        {
            newR += modulus;
        }

        while (!newR.IsZero)
        {
            var q = BigInteger.DivRem(r, newR, out var remainder);
            (t, newT) = (newT, t - (q * newT));
            (r, newR) = (newR, remainder);
        }

        if (!r.IsOne)
        {
            throw new ArithmeticException("Value is not invertible.");
        }

        return t.Sign < 0 ? t + modulus : t;
    }

    private static BigInteger Hex(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    internal readonly record struct AffinePoint(BigInteger X, BigInteger Y);

    private readonly record struct JacobianPoint(BigInteger X, BigInteger Y, BigInteger Z)
    {
        public static JacobianPoint Infinity => new(BigInteger.One, BigInteger.One, BigInteger.Zero);

        public bool IsInfinity => Z.IsZero;
    }
}
