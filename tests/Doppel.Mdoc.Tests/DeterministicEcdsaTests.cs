using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Tests;

public sealed class DeterministicEcdsaTests
{
    public static TheoryData<string> Curves => new() { "P-256", "P-384", "P-521" };

    private static EcCurve Curve(string name) => name switch
    {
        "P-256" => EcCurve.P256,
        "P-384" => EcCurve.P384,
        _ => EcCurve.P521,
    };

    [Fact]
    public void Rfc6979_appendix_A25_P256_SHA256_vectors_are_reproduced()
    {
        // RFC 6979 A.2.5: private key x, public key U, messages "sample" and "test".
        var key = DeterministicEcdsaKey.FromScalar(EcCurve.P256, Big("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"));
        Convert.ToHexStringLower(key.QxBytes).Should().Be("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6");
        Convert.ToHexStringLower(key.QyBytes).Should().Be("7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");

        var sample = key.SignData(Encoding.ASCII.GetBytes("sample"));
        Convert.ToHexStringLower(sample).Should().Be(
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716" +
            "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");

        var test = key.SignData(Encoding.ASCII.GetBytes("test"));
        Convert.ToHexStringLower(test).Should().Be(
            "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367" +
            "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083");

        var firstNonce = key.Rfc6979Nonces(SHA256.HashData(Encoding.ASCII.GetBytes("sample")), HashAlgorithmName.SHA256).First();
        firstNonce.Should().Be(Big("a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60"));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Base_point_is_on_the_curve_and_derived_public_keys_match_OpenSSL(string curveName)
    {
        var curve = Curve(curveName);
        curve.IsOnCurve(curve.G).Should().BeTrue();
        var key = DeterministicEcdsaKey.Derive(curve, SeedKdf.SeedMaterial(42), "test");
        curve.IsOnCurve(key.Q).Should().BeTrue();

        // OpenSSL computes Q from D alone; it must agree with our fixed-base multiplication.
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve.DotNetCurve, D = key.ToParameters(includePrivate: true).D });
        var exported = ecdsa.ExportParameters(includePrivateParameters: false);
        exported.Q.X.Should().Equal(key.QxBytes);
        exported.Q.Y.Should().Equal(key.QyBytes);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Deterministic_signatures_verify_with_DotNet_and_repeat_exactly(string curveName)
    {
        var curve = Curve(curveName);
        var key = DeterministicEcdsaKey.Derive(curve, SeedKdf.SeedMaterial(7), "sig");
        using var verifier = key.CreatePublicECDsa();
        for (var i = 0; i < 20; i++)
        {
            var message = Encoding.UTF8.GetBytes("message " + i);
            var signature = key.SignData(message);
            signature.Should().HaveCount(2 * curve.ByteLength);
            verifier.VerifyData(message, signature, curve.Hash).Should().BeTrue();
            key.SignData(message).Should().Equal(signature);
            message[0] ^= 1;
            verifier.VerifyData(message, signature, curve.Hash).Should().BeFalse();
        }
    }

    [Fact]
    public void Different_labels_give_different_keys_and_the_same_label_the_same_key()
    {
        var a = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(1), "a");
        var b = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(1), "b");
        var a2 = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(1), "a");
        var a3 = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(2), "a");
        a.D.Should().Be(a2.D);
        a.D.Should().NotBe(b.D);
        a.D.Should().NotBe(a3.D);
    }

    private static BigInteger Big(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);
}
