using System.Text;
using Doppel.Mdoc.Cbor;
using Doppel.Mdoc.Cose;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Tests;

public sealed class CoseSign1Tests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("This is the content.");

    [Fact]
    public void Sig_structure_matches_the_reference_prefix()
    {
        // Domain reference §5.8: protected a10126, payload 0102.
        Convert.ToHexStringLower(CoseSign1.SigStructure(Convert.FromHexString("a10126"), [], [0x01, 0x02]))
            .Should().Be("846a5369676e61747572653143a1012640420102");
    }

    [Theory]
    [InlineData(-7, "a10126")]
    [InlineData(-35, "a1013822")]
    [InlineData(-36, "a1013823")]
    public void Signed_messages_verify_and_carry_the_algorithm_and_x5chain(long alg, string protectedHex)
    {
        var curve = EcCurve.FromCoseAlgorithm(alg);
        var key = DeterministicEcdsaKey.Derive(curve, SeedKdf.SeedMaterial(3), "cose");
        var fakeCert = new byte[] { 0x30, 0x00 };
        var encoded = CborEncoder.Encode(CoseSign1.Sign(key, Payload, detached: false, x5chain: [fakeCert]));

        var message = CoseSign1Message.Decode(CborDecoder.Decode(encoded));
        Convert.ToHexStringLower(message.ProtectedBytes.Span).Should().Be(protectedHex);
        message.Algorithm.Should().Be(alg);
        message.UnprotectedHeader.TryGetValue(CoseLabels.X5Chain, out var chain).Should().BeTrue();
        chain!.AsBytes("x5chain").ToArray().Should().Equal(fakeCert);
        message.Payload!.Value.ToArray().Should().Equal(Payload);
        message.Signature.Length.Should().Be(2 * curve.ByteLength);
        using var publicKey = key.CreatePublicECDsa();
        message.Verify(publicKey).Should().BeTrue();
    }

    [Fact]
    public void Tampering_with_payload_protected_header_or_signature_is_detected()
    {
        var key = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(3), "cose");
        using var publicKey = key.CreatePublicECDsa();
        var encoded = CborEncoder.Encode(CoseSign1.Sign(key, Payload, detached: false, x5chain: null));
        CoseSign1Message.Decode(CborDecoder.Decode(encoded)).Verify(publicKey).Should().BeTrue();

        // Flip one bit in every byte position in turn: each flip must break decoding or verification.
        for (var i = 0; i < encoded.Length; i++)
        {
            var copy = (byte[])encoded.Clone();
            copy[i] ^= 0x01;
            bool verified;
            try
            {
                verified = CoseSign1Message.Decode(CborDecoder.Decode(copy)).Verify(publicKey);
            }
            catch (CborException)
            {
                verified = false;
            }

            verified.Should().BeFalse($"a flipped bit at offset {i} must not verify");
        }
    }

    [Fact]
    public void Wrong_key_does_not_verify()
    {
        var key = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(3), "cose");
        var other = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(3), "other");
        using var otherPublic = other.CreatePublicECDsa();
        var message = CoseSign1Message.Decode(CborDecoder.Decode(CborEncoder.Encode(CoseSign1.Sign(key, Payload, detached: false, x5chain: null))));
        message.Verify(otherPublic).Should().BeFalse();
    }

    [Fact]
    public void Detached_payload_is_nil_and_must_be_supplied_to_verify()
    {
        var key = DeterministicEcdsaKey.Derive(EcCurve.P256, SeedKdf.SeedMaterial(3), "device");
        using var publicKey = key.CreatePublicECDsa();
        var encoded = CborEncoder.Encode(CoseSign1.Sign(key, Payload, detached: true, x5chain: null));
        var message = CoseSign1Message.Decode(CborDecoder.Decode(encoded));
        message.Payload.Should().BeNull();
        message.Verify(publicKey, Payload).Should().BeTrue();
        message.Verify(publicKey, Encoding.UTF8.GetBytes("other content")).Should().BeFalse();
    }

    [Fact]
    public void Signing_is_deterministic()
    {
        var key = DeterministicEcdsaKey.Derive(EcCurve.P384, SeedKdf.SeedMaterial(9), "cose");
        CborEncoder.Encode(CoseSign1.Sign(key, Payload, false, null)).Should().Equal(CborEncoder.Encode(CoseSign1.Sign(key, Payload, false, null)));
    }

    [Theory]
    [InlineData("83 40 a0 40", "expected 4 elements")]
    [InlineData("a0", "expected an array")]
    [InlineData("84 01 a0 40 40", "protected header: expected a byte string")]
    public void Malformed_COSE_Sign1_is_reported(string hex, string expected)
    {
        var act = () => CoseSign1Message.Decode(CborDecoder.Decode(Convert.FromHexString(hex.Replace(" ", string.Empty))));
        act.Should().Throw<CborException>().Which.Message.Should().Contain(expected);
    }
}
