using System.Numerics;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Tests;

public sealed class MontgomeryFieldTests
{
    public static TheoryData<string> Moduli => new() { "P-256 p", "P-256 n", "P-384 p", "P-384 n", "P-521 p", "P-521 n" };

    [Theory]
    [MemberData(nameof(Moduli))]
    public void Limb_arithmetic_agrees_with_BigInteger_on_random_and_edge_values(string name)
    {
        var curve = name.StartsWith("P-256", StringComparison.Ordinal) ? EcCurve.P256 : name.StartsWith("P-384", StringComparison.Ordinal) ? EcCurve.P384 : EcCurve.P521;
        var m = name.EndsWith('p') ? curve.P : curve.N;
        var f = new MontgomeryField(m);
        var rng = new Random(1234);
        var values = new List<BigInteger> { BigInteger.Zero, BigInteger.One, m - 1, m - 2, (m - 1) / 2 };
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[(int)((m.GetBitLength() + 7) / 8)];
            rng.NextBytes(bytes);
            values.Add(new BigInteger(bytes, isUnsigned: true) % m);
        }

        for (var i = 0; i < values.Count; i++)
        {
            var a = values[i];
            var b = values[(i * 7 + 3) % values.Count];
            var ma = f.FromBig(a);
            var mb = f.FromBig(b);
            f.ToBig(ma).Should().Be(a);
            var r = f.New();
            f.Mul(ma, mb, r);
            f.ToBig(r).Should().Be(a * b % m);
            f.Add(ma, mb, r);
            f.ToBig(r).Should().Be((a + b) % m);
            f.Sub(ma, mb, r);
            f.ToBig(r).Should().Be(((a - b) % m + m) % m);
            if (!a.IsZero)
            {
                f.Invert(ma, r);
                (f.ToBig(r) * a % m).Should().Be(BigInteger.One);
            }
        }
    }
}
