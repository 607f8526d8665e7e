using Doppel.Mdoc.Cbor;
using Doppel.Mdoc.Iso;

namespace Doppel.Mdoc.Tests;

/// <summary>Digest vectors from domain reference §5.8 (synthetic items and the ISO 18013-5 Annex D sample).</summary>
public sealed class AnnexDTests
{
    private const string AnnexDItem0 =
        "d8185863a4686469676573744944006672616e646f6d58208798645b20ea200e19ffabac92624bee6aec63aceedecfb1b80077d22bfc20e9" +
        "71656c656d656e744964656e7469666965726b66616d696c795f6e616d656c656c656d656e7456616c756563446f65";

    private static readonly byte[] Counting = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Annex_D_family_name_item_decodes_and_its_digest_matches_the_MSO_value_digest()
    {
        var bytes = Convert.FromHexString(AnnexDItem0);
        var tagged = CborDecoder.Decode(bytes, requireDeterministic: false);
        var item = CborDecoder.DecodeEmbedded(tagged, "item").AsMap("item");
        item.Get("digestID", "item").AsInt64("digestID").Should().Be(0);
        item.Get("elementIdentifier", "item").AsText("id").Should().Be("family_name");
        item.Get("elementValue", "item").AsText("value").Should().Be("Doe");
        Convert.ToHexStringLower(item.Get("random", "item").AsBytes("random").Span).Should().Be("8798645b20ea200e19ffabac92624bee6aec63aceedecfb1b80077d22bfc20e9");

        Convert.ToHexStringLower(MdocStructures.ValueDigest(tagged, "SHA-256")).Should().Be("75167333b47b6c2bfb86eccc1f438cf57af055371ac55e1e359e20f254adcebf");

        // Our encoder rebuilds the same bytes from the decoded fields.
        var rebuilt = MdocStructures.IssuerSignedItemBytes(0, item.Get("random", "item").AsBytes("random").ToArray(), new DataElement("family_name", "Doe"), CborEncodeOptions.Default);
        Convert.ToHexStringLower(rebuilt.Encoded.Span).Should().Be(AnnexDItem0);
    }

    [Theory]
    [InlineData(3, "issue_date", "2019-10-20", "b23f627e8999c706df0c0a4ed98ad74af988af619b4bb078b89058553f44615d", "2e35ad3c4e514bb67b1a9db51ce74e4cb9b7146e41ac52dac9ce86b8613db555")]
    [InlineData(4, "expiry_date", "2024-10-20", "c7ffa307e5de921e67ba5878094787e8807ac8e7b5b3932d2ce80f00f3e9abaf", "ea5c3304bb7c4a8dcb51c4c13b65264f845541341342093cca786e058fac2d59")]
    public void Annex_D_date_items_rebuilt_by_our_encoder_reproduce_the_MSO_digests(int digestId, string element, string date, string random, string digest)
    {
        var value = CborTag.Date(DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var item = MdocStructures.IssuerSignedItemBytes(digestId, Convert.FromHexString(random), new DataElement(element, value), CborEncodeOptions.Default);
        Convert.ToHexStringLower(MdocStructures.ValueDigest(item, "SHA-256")).Should().Be(digest);
    }

    [Fact]
    public void Synthetic_items_from_the_reference_have_the_listed_bytes_and_digests()
    {
        var familyName = MdocStructures.IssuerSignedItemBytes(0, Counting, new DataElement("family_name", "Doe"), CborEncodeOptions.Default);
        Convert.ToHexStringLower(familyName.Encoded.Span).Should().Be(
            "d8185852a4686469676573744944006672616e646f6d50000102030405060708090a0b0c0d0e0f71656c656d656e744964656e7469666965726b66616d696c795f6e616d656c656c656d656e7456616c756563446f65");
        Convert.ToHexStringLower(MdocStructures.ValueDigest(familyName, "SHA-256")).Should().Be("9ff0e57b852282c4b8f908155f87b1fc745c5d819fdb0dd857ae0745f1519246");

        // The wrong way (hashing the inner map without the tag-24 wrapper) gives the reference's negative vector.
        var inner = ((CborByteString)familyName.Content).Value.ToArray();
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(inner)).Should().Be("808e00b714d1da54df9ce1ccce5014a1d3813a4278b31b082ddb80f7a6a4c9d2");

        var birthDate = MdocStructures.IssuerSignedItemBytes(1, Counting, new DataElement("birth_date", CborTag.Date(new DateOnly(1990, 1, 15))), CborEncodeOptions.Default);
        Convert.ToHexStringLower(birthDate.Encoded.Span).Should().Be(
            "d818585ba4686469676573744944016672616e646f6d50000102030405060708090a0b0c0d0e0f71656c656d656e744964656e7469666965726a62697274685f646174656c656c656d656e7456616c7565d903ec6a313939302d30312d3135");
        Convert.ToHexStringLower(MdocStructures.ValueDigest(birthDate, "SHA-256")).Should().Be("8340e5af90143f35c6e88fd07a695ee0d6dbc6f9e67a8c2c44fb0a72520ee42e");

        var ageOver18 = MdocStructures.IssuerSignedItemBytes(2, Counting, new DataElement("age_over_18", true), CborEncodeOptions.Default);
        Convert.ToHexStringLower(MdocStructures.ValueDigest(ageOver18, "SHA-256")).Should().Be("c41c8ec7a7f78b0d03396ebd5f3825a82a4d2726f9794fc9d4661f4e7b0087e4");
    }

    /// <summary>
    /// The ISO/IEC 18013-5 Annex D IssuerSigned sample, as distributed in spruceid/isomdl
    /// (test/definitions/issuer_signed.cbor); its IACA is not part of the sample.
    /// </summary>
    private static byte[] AnnexDIssuerSigned() =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "annex-d-issuer-signed.hex")).Trim());

    [Fact]
    public void Annex_D_issuer_signed_sample_passes_every_check_but_the_unavailable_IACA()
    {
        var bytes = AnnexDIssuerSigned();
        var result = MdocVerifier.Verify(bytes, [], new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));
        result.Labels.Should().Equal([MdocFaults.UntrustedIaca], result.ToString());
        var document = result.Documents.Single();
        document.DocType.Should().Be("org.iso.18013.5.1.mDL");
        document.ElementCount.Should().Be(6);

        // After its validUntil (2021-10-01T13:30:02Z) the sample is reported as expired.
        MdocVerifier.Verify(bytes, [], new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero)).Labels.Should().Contain(MdocFaults.ExpiredValidity);
    }

    [Fact]
    public void Annex_D_sample_round_trips_byte_for_byte_through_decoder_and_encoder()
    {
        var bytes = AnnexDIssuerSigned();
        var decoded = CborDecoder.Decode(bytes);
        CborEncoder.Encode(decoded, new CborEncodeOptions { ReencodeDecoded = true }).Should().Equal(bytes);
        CborEncoder.Encode(decoded).Should().Equal(bytes);
    }

    [Fact]
    public void Annex_D_sample_with_an_altered_value_or_signature_is_detected()
    {
        var bytes = AnnexDIssuerSigned();
        var doe = Convert.FromHexString("63446f65"); // "Doe"
        var at = bytes.AsSpan().IndexOf(doe);
        var altered = (byte[])bytes.Clone();
        altered[at + 3] = (byte)'a'; // "Doa"
        MdocVerifier.Verify(altered, [], new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)).Labels
            .Should().Equal(MdocFaults.UntrustedIaca, MdocFaults.DigestMismatch);

        var badSignature = (byte[])bytes.Clone();
        badSignature[^1] ^= 0x01;
        MdocVerifier.Verify(badSignature, [], new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)).Labels
            .Should().Equal(MdocFaults.UntrustedIaca, MdocFaults.WrongSigner);
    }

    [Fact]
    public void Changing_one_byte_of_random_changes_the_digest()
    {
        var salt = (byte[])Counting.Clone();
        salt[5] ^= 0x01;
        var item = MdocStructures.IssuerSignedItemBytes(0, salt, new DataElement("family_name", "Doe"), CborEncodeOptions.Default);
        Convert.ToHexStringLower(MdocStructures.ValueDigest(item, "SHA-256")).Should().NotBe("9ff0e57b852282c4b8f908155f87b1fc745c5d819fdb0dd857ae0745f1519246");
    }
}
