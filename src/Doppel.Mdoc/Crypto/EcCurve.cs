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
    private readonly Lazy<LimbPoint[][]> _table;

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
        Field = new MontgomeryField(P);
        ScalarField = new MontgomeryField(N);
        _table = new Lazy<LimbPoint[][]>(BuildTable, LazyThreadSafetyMode.ExecutionAndPublication);
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

    /// <summary>Arithmetic modulo p (coordinates).</summary>
    internal MontgomeryField Field { get; }

    /// <summary>Arithmetic modulo n (scalars).</summary>
    internal MontgomeryField ScalarField { get; }

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
        var f = Field;
        var acc = new JacobianPoint(f);
        var scratch = new Scratch(f);
        var bytes = k.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (var i = 0; i < bytes.Length && i < table.Length; i++)
        {
            if (bytes[i] != 0)
            {
                AddMixed(acc, table[i][bytes[i]], scratch);
            }
        }

        if (acc.Infinity)
        {
            throw new InvalidOperationException("k·G is the point at infinity: k must be in [1, n-1].");
        }

        var zInv = f.New();
        var zInv2 = f.New();
        f.Invert(acc.Z, zInv);
        f.Mul(zInv, zInv, zInv2);
        f.Mul(acc.X, zInv2, acc.X);
        f.Mul(zInv2, zInv, zInv2);
        f.Mul(acc.Y, zInv2, acc.Y);
        return new AffinePoint(f.ToBig(acc.X), f.ToBig(acc.Y));
    }

    /// <summary>k⁻¹ mod n for a non-zero scalar k.</summary>
    public BigInteger InvertScalar(BigInteger k)
    {
        var f = ScalarField;
        var a = f.FromBig(k);
        f.Invert(a, a);
        return f.ToBig(a);
    }

    /// <summary>True when (x, y) satisfies the curve equation (used by tests and key import checks).</summary>
    public bool IsOnCurve(AffinePoint point)
    {
        var lhs = Mod(point.Y * point.Y);
        var rhs = Mod((point.X * point.X * point.X) - (3 * point.X) + B);
        return lhs == rhs;
    }

    private LimbPoint[][] BuildTable()
    {
        // T[i][j] = j·256^i·G. Two batched normalizations (Montgomery's trick) keep this to two inversions.
        var f = Field;
        var scratch = new Scratch(f);
        var windows = (Bits + 7) / 8;
        var bases = new JacobianPoint[windows];
        var baseJ = new JacobianPoint(f) { Infinity = false };
        f.FromBig(G.X).CopyTo(baseJ.X, 0);
        f.FromBig(G.Y).CopyTo(baseJ.Y, 0);
        f.One.CopyTo(baseJ.Z, 0);
        for (var i = 0; i < windows; i++)
        {
            bases[i] = baseJ.Clone();
            for (var d = 0; d < 8; d++)
            {
                Double(baseJ, scratch);
            }
        }

        var affineBases = BatchNormalize(bases);
        var multiples = new JacobianPoint[windows * 255];
        for (var i = 0; i < windows; i++)
        {
            var acc = new JacobianPoint(f);
            for (var j = 1; j < 256; j++)
            {
                AddMixed(acc, affineBases[i], scratch);
                multiples[(i * 255) + j - 1] = acc.Clone();
            }
        }

        var affine = BatchNormalize(multiples);
        var table = new LimbPoint[windows][];
        for (var i = 0; i < windows; i++)
        {
            table[i] = new LimbPoint[256];
            Array.Copy(affine, i * 255, table[i], 1, 255);
        }

        return table;
    }

    private LimbPoint[] BatchNormalize(JacobianPoint[] points)
    {
        var f = Field;
        var prefix = new ulong[points.Length][];
        var running = (ulong[])f.One.Clone();
        for (var i = 0; i < points.Length; i++)
        {
            f.Mul(running, points[i].Z, running);
            prefix[i] = (ulong[])running.Clone();
        }

        var inverse = f.New();
        f.Invert(running, inverse);
        var result = new LimbPoint[points.Length];
        var zInv = f.New();
        var zInv2 = f.New();
        for (var i = points.Length - 1; i >= 0; i--)
        {
            if (i == 0)
            {
                inverse.CopyTo(zInv, 0);
            }
            else
            {
                f.Mul(inverse, prefix[i - 1], zInv);
            }

            f.Mul(inverse, points[i].Z, inverse);
            f.Mul(zInv, zInv, zInv2);
            var x = f.New();
            var y = f.New();
            f.Mul(points[i].X, zInv2, x);
            f.Mul(zInv2, zInv, zInv2);
            f.Mul(points[i].Y, zInv2, y);
            result[i] = new LimbPoint(x, y);
        }

        return result;
    }

    private BigInteger Mod(BigInteger x)
    {
        var r = BigInteger.Remainder(x, P);
        return r.Sign < 0 ? r + P : r;
    }

    /// <summary>In-place doubling, dbl-2001-b for a = -3.</summary>
    private void Double(JacobianPoint p, Scratch s)
    {
        var f = Field;
        if (p.Infinity || MontgomeryField.IsZero(p.Y))
        {
            p.Infinity = true;
            return;
        }

        f.Mul(p.Z, p.Z, s.Delta);
        f.Mul(p.Y, p.Y, s.Gamma);
        f.Mul(p.X, s.Gamma, s.Beta);
        f.Sub(p.X, s.Delta, s.T1);
        f.Add(p.X, s.Delta, s.T2);
        f.Mul(s.T1, s.T2, s.Alpha);
        f.Add(s.Alpha, s.Alpha, s.T1);
        f.Add(s.T1, s.Alpha, s.Alpha); // alpha = 3(X-δ)(X+δ)

        // Z3 = (Y+Z)² - γ - δ (uses the old Y and Z).
        f.Add(p.Y, p.Z, s.T1);
        f.Mul(s.T1, s.T1, s.T1);
        f.Sub(s.T1, s.Gamma, s.T1);
        f.Sub(s.T1, s.Delta, p.Z);

        // X3 = α² - 8β
        f.Add(s.Beta, s.Beta, s.T2);
        f.Add(s.T2, s.T2, s.T2); // 4β
        f.Add(s.T2, s.T2, s.T1); // 8β
        f.Mul(s.Alpha, s.Alpha, p.X);
        f.Sub(p.X, s.T1, p.X);

        // Y3 = α(4β - X3) - 8γ²
        f.Sub(s.T2, p.X, s.T2);
        f.Mul(s.Alpha, s.T2, s.T2);
        f.Mul(s.Gamma, s.Gamma, s.Gamma);
        f.Add(s.Gamma, s.Gamma, s.Gamma);
        f.Add(s.Gamma, s.Gamma, s.Gamma);
        f.Add(s.Gamma, s.Gamma, s.Gamma);
        f.Sub(s.T2, s.Gamma, p.Y);
    }

    /// <summary>In-place p += q for affine q (madd-2007-bl shape).</summary>
    private void AddMixed(JacobianPoint p, LimbPoint q, Scratch s)
    {
        var f = Field;
        if (p.Infinity)
        {
            q.X.CopyTo(p.X, 0);
            q.Y.CopyTo(p.Y, 0);
            f.One.CopyTo(p.Z, 0);
            p.Infinity = false;
            return;
        }

        f.Mul(p.Z, p.Z, s.T1);          // Z1Z1
        f.Mul(q.X, s.T1, s.T2);         // U2
        f.Mul(q.Y, p.Z, s.T3);
        f.Mul(s.T3, s.T1, s.T3);        // S2
        f.Sub(s.T2, p.X, s.H);          // H = U2 - X1
        f.Sub(s.T3, p.Y, s.R);          // r = S2 - Y1
        if (MontgomeryField.IsZero(s.H))
        {
            if (MontgomeryField.IsZero(s.R))
            {
                Double(p, s);
            }
            else
            {
                p.Infinity = true;
            }

            return;
        }

        f.Mul(s.H, s.H, s.T1);          // HH
        f.Mul(s.H, s.T1, s.T2);         // HHH
        f.Mul(p.X, s.T1, s.T3);         // V = X1·HH
        f.Mul(p.Z, s.H, p.Z);           // Z3 = Z1·H
        f.Mul(p.Y, s.T2, s.T1);         // Y1·HHH (old Y1)
        f.Mul(s.R, s.R, p.X);
        f.Sub(p.X, s.T2, p.X);
        f.Sub(p.X, s.T3, p.X);
        f.Sub(p.X, s.T3, p.X);          // X3 = r² - HHH - 2V
        f.Sub(s.T3, p.X, s.T3);
        f.Mul(s.R, s.T3, s.T3);
        f.Sub(s.T3, s.T1, p.Y);         // Y3 = r(V - X3) - Y1·HHH
    }

    private static BigInteger Hex(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    internal readonly record struct AffinePoint(BigInteger X, BigInteger Y);

    /// <summary>An affine point in Montgomery form.</summary>
    private readonly record struct LimbPoint(ulong[] X, ulong[] Y);

    /// <summary>A mutable Jacobian point in Montgomery form; starts as the point at infinity.</summary>
    private sealed class JacobianPoint(MontgomeryField f)
    {
        public ulong[] X { get; } = f.New();

        public ulong[] Y { get; } = f.New();

        public ulong[] Z { get; } = f.New();

        public bool Infinity { get; set; } = true;

        public JacobianPoint Clone()
        {
            var c = new JacobianPoint(f) { Infinity = Infinity };
            X.CopyTo(c.X, 0);
            Y.CopyTo(c.Y, 0);
            Z.CopyTo(c.Z, 0);
            return c;
        }
    }

    /// <summary>Temporaries for point formulas, allocated once per multiplication.</summary>
    private sealed class Scratch(MontgomeryField f)
    {
        public ulong[] T1 { get; } = f.New();

        public ulong[] T2 { get; } = f.New();

        public ulong[] T3 { get; } = f.New();

        public ulong[] H { get; } = f.New();

        public ulong[] R { get; } = f.New();

        public ulong[] Delta { get; } = f.New();

        public ulong[] Gamma { get; } = f.New();

        public ulong[] Beta { get; } = f.New();

        public ulong[] Alpha { get; } = f.New();
    }
}
